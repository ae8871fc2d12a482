import Foundation

/// AWS Signature Version 4 (header form): an HMAC-SHA256 chain over the canonical request,
/// as AWS's documentation and test suite define it. S3 paths are signed as sent (encoded once,
/// never normalized).
public struct SigV4Signer: Sendable {
    public let credentials: S3Credentials
    public let region: String
    public let service: String

    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// What signing a request produced; `authorization` goes into the `Authorization` header.
    public struct Signature: Sendable {
        public let canonicalRequest: String
        public let stringToSign: String
        public let signature: String
        public let authorization: String
    }

    /// Signs a request whose headers already hold everything to be signed (`host`,
    /// `x-amz-date`, `x-amz-content-sha256`, and any others): every header given is signed.
    /// - Parameters:
    ///   - path: the URI path as sent, already percent-encoded (`/bucket/raw/2025-01-01/x.json`).
    ///   - query: the query's names and values, decoded.
    ///   - payloadHash: hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
    ///   - date: `YYYYMMDD'T'HHMMSS'Z'`, the value of `x-amz-date`.
    public func sign(method: String, path: String, query: [(String, String)], headers: [(String, String)],
                     payloadHash: String, date: String) -> Signature {
        var merged: [String: [String]] = [:]
        for (name, value) in headers { merged[name.lowercased(), default: []].append(Self.trim(value)) }
        let names = merged.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let canonicalHeaders = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        let encoded: [(name: String, value: String)] = query.map { (URIEncoding.encode($0.0), URIEncoding.encode($0.1)) }
        let sorted = encoded.sorted { a, b in a.name == b.name ? a.value < b.value : a.name < b.name }
        let canonicalQuery = sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let canonicalRequest = [method, path.isEmpty ? "/" : path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].joined(separator: "\n")
        let day = String(date.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", date, scope, Crypto.sha256Hex(Data(canonicalRequest.utf8))].joined(separator: "\n")
        var key = Crypto.hmacSHA256(key: Array("AWS4\(credentials.secretAccessKey)".utf8), day)
        for part in [region, service, "aws4_request"] { key = Crypto.hmacSHA256(key: key, part) }
        let signature = Crypto.hmacSHA256(key: key, stringToSign).hex
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature, authorization: authorization)
    }

    /// `x-amz-date` of a moment.
    public static func amzDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// Leading and trailing spaces removed, inner runs of spaces made one (SigV4 header values).
    static func trim(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}
