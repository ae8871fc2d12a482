import Foundation
import HTTPClient
import Warehouse

/// An S3 bucket (AWS or any S3-compatible server) through its REST API, every request signed
/// with Signature Version 4: ListObjectsV2 pages with continuation tokens, GetObject, and
/// PutObject or a multipart upload above a size threshold, both conditional (`If-None-Match: *`).
public final class S3ObjectStore: ObjectStore, @unchecked Sendable {
    public let bucket: String
    /// Objects per listing page (the stores' maximum is 1000).
    public var pageSize = 1000
    public var location: String { "s3://\(bucket)" }
    private let signer: SigV4Signer
    private let scheme: String
    private let host: String
    private let addressing: RawRemote.Addressing
    private let multipartThreshold: Int
    private let transport: StoreTransport
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - endpoint: the server (`http://127.0.0.1:9000`); nil for AWS in `region`.
    ///   - addressing: nil picks virtual-host on AWS and path-style on a custom endpoint.
    public init(bucket: String, endpoint: String?, region: String, addressing: RawRemote.Addressing?, credentials: S3Credentials,
                multipartThreshold: Int = 8 << 20, retry: RetryPolicy = RetryPolicy(maxAttempts: 5), now: @escaping @Sendable () -> Date = { Date() }) {
        self.bucket = bucket
        let base = URL(string: endpoint ?? "https://s3.\(region).amazonaws.com")!
        scheme = base.scheme ?? "https"
        host = base.host! + (base.port.map { ":\($0)" } ?? "")
        self.addressing = addressing ?? (endpoint == nil ? .virtual : .path)
        signer = SigV4Signer(credentials: credentials, region: region)
        self.multipartThreshold = max(5 << 20, multipartThreshold)
        transport = StoreTransport(location: "s3://\(bucket)", retry: retry)
        self.now = now
    }

    public func list(prefix: String, delimiter: String?) throws -> ObjectListing {
        var listing = ObjectListing()
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix), ("max-keys", "\(pageSize)")]
            if let delimiter { query.append(("delimiter", delimiter)) }
            if let token { query.append(("continuation-token", token)) }
            let response = try request("GET", key: nil, query: query)
            guard response.status == 200, let xml = S3XML(response.body) else { throw transport.refused("listing \(prefix)", response) }
            for item in xml.root.all("Contents") {
                guard let key = item.value("Key") else { continue }
                // A multipart ETag (`"…-3"`) is not the content's MD5.
                let etag = item.value("ETag")?.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).lowercased()
                listing.objects[key] = ObjectInfo(size: Int(item.value("Size") ?? "") ?? 0, md5: etag.flatMap { $0.count == 32 ? $0 : nil })
            }
            listing.prefixes += xml.root.all("CommonPrefixes").compactMap { $0.value("Prefix") }
            listing.pages += 1
            token = xml.root.value("IsTruncated") == "true" ? xml.root.value("NextContinuationToken") : nil
        } while token != nil
        return listing
    }

    public func get(_ name: String) throws -> Data? {
        let response = try request("GET", key: name)
        switch response.status {
        case 200: return response.body
        case 404: return nil
        default: throw transport.refused("reading \(name)", response)
        }
    }

    public func create(_ name: String, data: Data, contentType: String) throws -> Bool {
        if data.count > multipartThreshold { return try createInParts(name, data: data, contentType: contentType) }
        let response = try request("PUT", key: name, headers: ["content-type": contentType, "if-none-match": "*"], body: data)
        switch response.status {
        case 200: return true
        case 412: return false
        default: throw transport.refused("writing \(name)", response)
        }
    }

    /// A multipart upload in parts of the threshold's size; completing it is conditional, and
    /// an upload that does not complete is aborted, so no parts are left behind to pay for.
    private func createInParts(_ name: String, data: Data, contentType: String) throws -> Bool {
        let start = try request("POST", key: name, query: [("uploads", "")], headers: ["content-type": contentType], body: Data())
        guard start.status == 200, let uploadID = S3XML(start.body)?.root.value("UploadId") else { throw transport.refused("starting the upload of \(name)", start) }
        do {
            var parts: [(Int, String)] = []
            var offset = 0
            while offset < data.count {
                let part = data.subdata(in: offset..<min(data.count, offset + multipartThreshold))
                let number = parts.count + 1
                let response = try request("PUT", key: name, query: [("partNumber", "\(number)"), ("uploadId", uploadID)], body: part)
                guard response.status == 200, let etag = response.headers["etag"] else { throw transport.refused("uploading part \(number) of \(name)", response) }
                parts.append((number, etag))
                offset += part.count
            }
            let manifest = "<CompleteMultipartUpload>" + parts.map { "<Part><PartNumber>\($0.0)</PartNumber><ETag>\($0.1)</ETag></Part>" }.joined() + "</CompleteMultipartUpload>"
            let done = try request("POST", key: name, query: [("uploadId", uploadID)], headers: ["content-type": "application/xml", "if-none-match": "*"], body: Data(manifest.utf8))
            if done.status == 412 { try? abort(name, uploadID); return false }
            // S3 may answer 200 and still report an error in the body.
            guard done.status == 200, S3XML(done.body)?.root.name != "Error" else { throw transport.refused("completing the upload of \(name)", done) }
            return true
        } catch {
            try? abort(name, uploadID)
            throw error
        }
    }

    private func abort(_ name: String, _ uploadID: String) throws {
        _ = try request("DELETE", key: name, query: [("uploadId", uploadID)])
    }

    /// The URL path of an object (or of the bucket) under the addressing in use, encoded once.
    func path(of key: String?) -> String {
        let object = key.map { "/" + URIEncoding.encode($0, keepingSlashes: true) } ?? "/"
        return addressing == .path ? "/\(bucket)" + (key == nil ? "" : object) : object
    }

    private var requestHost: String { addressing == .path ? host : "\(bucket).\(host)" }

    private func request(_ method: String, key: String?, query: [(String, String)] = [], headers extra: [String: String] = [:],
                         body: Data? = nil) throws -> HTTPResponse {
        let path = path(of: key)
        let payloadHash = Crypto.sha256Hex(body ?? Data())
        let queryText = query.isEmpty ? "" : "?" + query.map { $0.1.isEmpty && $0.0 == "uploads" ? "uploads" : "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
        let url = "\(scheme)://\(requestHost)\(path)\(queryText)"
        return try transport.send(method, url, body: body) {
            var headers = extra
            headers["host"] = requestHost
            headers["x-amz-date"] = SigV4Signer.amzDate(now())
            headers["x-amz-content-sha256"] = payloadHash
            if let token = signer.credentials.sessionToken { headers["x-amz-security-token"] = token }
            let signature = signer.sign(method: method, path: path, query: query, headers: headers.map { ($0.key, $0.value) },
                                        payloadHash: payloadHash, date: headers["x-amz-date"]!)
            headers["authorization"] = signature.authorization
            return headers
        }
    }
}
