import Foundation
import HTTPClient
import Warehouse

/// A Google Cloud Storage bucket through the JSON API: `storage/v1` listing pages,
/// `alt=media` downloads, and `upload/storage/v1` media uploads with `ifGenerationMatch=0`,
/// so an object that exists is never replaced. Tokens come from `GoogleAccessToken`.
public final class GCSObjectStore: ObjectStore, @unchecked Sendable {
    public let bucket: String
    /// Objects per listing page (the stores' maximum is 1000).
    public var pageSize = 1000
    public var location: String { "gs://\(bucket)" }
    private let endpoint: String
    private let token: GoogleAccessToken
    private let transport: StoreTransport

    /// - Parameter endpoint: the API root; nil for `https://storage.googleapis.com`.
    public init(bucket: String, endpoint: String?, token: GoogleAccessToken, retry: RetryPolicy = RetryPolicy(maxAttempts: 5)) {
        self.bucket = bucket
        self.endpoint = endpoint ?? "https://storage.googleapis.com"
        self.token = token
        transport = StoreTransport(location: "gs://\(bucket)", retry: retry)
    }

    public func list(prefix: String, delimiter: String?) throws -> ObjectListing {
        var listing = ObjectListing()
        var pageToken: String?
        repeat {
            var query = [("prefix", prefix), ("maxResults", "\(pageSize)"), ("fields", "items(name,size,md5Hash),prefixes,nextPageToken")]
            if let delimiter { query.append(("delimiter", delimiter)) }
            if let pageToken { query.append(("pageToken", pageToken)) }
            let response = try send("GET", "\(endpoint)/storage/v1/b/\(URIEncoding.encode(bucket))/o?" + URIEncoding.query(query))
            guard response.status == 200, let page = try? JSONDecoder().decode(Page.self, from: response.body) else { throw transport.refused("listing \(prefix)", response) }
            for item in page.items ?? [] {
                listing.objects[item.name] = ObjectInfo(size: Int(item.size ?? "") ?? 0, md5: item.md5Hash.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0).hex })
            }
            listing.prefixes += page.prefixes ?? []
            listing.pages += 1
            pageToken = page.nextPageToken.flatMap { $0.isEmpty ? nil : $0 }
        } while pageToken != nil
        return listing
    }

    public func get(_ name: String) throws -> Data? {
        let response = try send("GET", "\(endpoint)/storage/v1/b/\(URIEncoding.encode(bucket))/o/\(URIEncoding.encode(name))?alt=media")
        switch response.status {
        case 200: return response.body
        case 404: return nil
        default: throw transport.refused("reading \(name)", response)
        }
    }

    public func create(_ name: String, data: Data, contentType: String) throws -> Bool {
        let query = URIEncoding.query([("uploadType", "media"), ("name", name), ("ifGenerationMatch", "0")])
        let response = try send("POST", "\(endpoint)/upload/storage/v1/b/\(URIEncoding.encode(bucket))/o?\(query)", body: data, contentType: contentType)
        switch response.status {
        case 200: return true
        case 412: return false
        default: throw transport.refused("writing \(name)", response)
        }
    }

    private func send(_ method: String, _ url: String, body: Data? = nil, contentType: String? = nil) throws -> HTTPResponse {
        try transport.send(method, url, body: body) {
            var headers: [String: String] = [:]
            if let authorization = try token.authorization() { headers["authorization"] = authorization }
            if let contentType { headers["content-type"] = contentType }
            return headers
        }
    }

    private struct Page: Decodable {
        struct Item: Decodable {
            let name: String
            let size: String?
            let md5Hash: String?

            enum CodingKeys: String, CodingKey { case name, size, md5Hash }

            // GCS writes sizes as strings (int64 in JSON); accept a number too.
            init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                name = try c.decode(String.self, forKey: .name)
                md5Hash = try? c.decodeIfPresent(String.self, forKey: .md5Hash)
                size = (try? c.decodeIfPresent(String.self, forKey: .size)) ?? (try? c.decodeIfPresent(Int.self, forKey: .size)).flatMap { $0.map(String.init) }
            }
        }
        let items: [Item]?
        let prefixes: [String]?
        let nextPageToken: String?
    }
}
