import Foundation

/// The `.meta.json` beside every raw body: where it came from and what it is.
public struct SnapshotMeta: Codable, Equatable, Sendable {
    /// The request URL with secrets redacted.
    public var url: String
    /// The HTTP status.
    public var status: Int
    /// When the body was received, ISO 8601 UTC.
    public var fetchedAt: String
    /// Hex SHA-256 of the body as stored (before any later compression).
    public var sha256: String
    /// Size of the body in bytes.
    public var bytes: Int
    /// The request's parameters, secrets removed.
    public var params: [String: String]

    enum CodingKeys: String, CodingKey {
        case url, status, sha256, bytes, params
        case fetchedAt = "fetched_at"
    }

    public init(url: String, status: Int, fetchedAt: String, sha256: String, bytes: Int, params: [String: String]) {
        self.url = url
        self.status = status
        self.fetchedAt = fetchedAt
        self.sha256 = sha256
        self.bytes = bytes
        self.params = params
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decode(String.self, forKey: .url)
        status = try c.decode(Int.self, forKey: .status)
        fetchedAt = try c.decode(String.self, forKey: .fetchedAt)
        sha256 = try c.decode(String.self, forKey: .sha256)
        bytes = try c.decode(Int.self, forKey: .bytes)
        // Other tools may write numbers or booleans as parameter values: keep them as text.
        let raw = try c.decodeIfPresent([String: LooseScalar].self, forKey: .params) ?? [:]
        params = raw.mapValues(\.text)
    }

    /// The Unix time in seconds a range parameter holds (`from`, `to`, `period1`, ...), nil when
    /// it is missing or not a time between 1970 and 2200 (another tool may have written anything).
    public func unixSeconds(_ parameter: String) -> Int64? {
        params[parameter].flatMap(Double.init).flatMap(InputNumber.unixSeconds)
    }

    /// Reads a metadata file. A run reads hundreds while it plans (each dataset's fingerprint)
    /// and again while it builds, so the shape the fetcher writes goes through the byte scanner;
    /// anything else (numbers as parameters, a repeated key, a missing field) goes through
    /// JSONDecoder, which says what is wrong.
    /// - Throws: `DecodingError` when the file is not snapshot metadata.
    public static func decode(_ data: Data) throws -> SnapshotMeta {
        if let meta = scanned(data) { return meta }
        return try JSONDecoder().decode(SnapshotMeta.self, from: data)
    }

    /// The metadata when `data` is one object of the expected fields with string parameters; nil otherwise.
    private static func scanned(_ data: Data) -> SnapshotMeta? {
        struct Unexpected: Error {}
        return try? data.withUnsafeBytes { buffer -> SnapshotMeta in
            var cursor = JSONCursor(buffer)
            var url: String?, status: Int?, fetchedAt: String?, sha256: String?, bytes: Int?, params: [String: String]?
            func once<T>(_ field: inout T?, _ read: () throws -> T?) throws {
                guard field == nil, let value = try read() else { throw Unexpected() }
                field = value
            }
            func integer() throws -> Int? { Int(exactly: try cursor.readNumber()) }
            try cursor.expect(UInt8(ascii: "{"))
            repeat {
                let key = try cursor.readString()
                try cursor.expect(UInt8(ascii: ":"))
                switch key {
                case "url": try once(&url) { try cursor.readString() }
                case "status": try once(&status, integer)
                case "fetched_at": try once(&fetchedAt) { try cursor.readString() }
                case "sha256": try once(&sha256) { try cursor.readString() }
                case "bytes": try once(&bytes, integer)
                case "params":
                    try once(&params) {
                        var read: [String: String] = [:]
                        try cursor.expect(UInt8(ascii: "{"))
                        if cursor.consume(UInt8(ascii: "}")) { return read }
                        repeat {
                            let name = try cursor.readString()
                            try cursor.expect(UInt8(ascii: ":"))
                            guard read.updateValue(try cursor.readString(), forKey: name) == nil else { throw Unexpected() }
                        } while cursor.consume(UInt8(ascii: ","))
                        try cursor.expect(UInt8(ascii: "}"))
                        return read
                    }
                default: try cursor.skipValue()
                }
            } while cursor.consume(UInt8(ascii: ","))
            try cursor.expect(UInt8(ascii: "}"))
            guard cursor.atEnd(), let url, let status, let fetchedAt, let sha256, let bytes else { throw Unexpected() }
            return SnapshotMeta(url: url, status: status, fetchedAt: fetchedAt, sha256: sha256, bytes: bytes, params: params ?? [:])
        }
    }

    /// Canonical JSON: sorted keys, so the same fetch writes the same bytes.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}

/// A JSON scalar read as text.
private struct LooseScalar: Decodable {
    let text: String
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { text = s }
        else if let i = try? c.decode(Int64.self) { text = String(i) }
        else if let d = try? c.decode(Double.self) { text = String(d) }
        else if let b = try? c.decode(Bool.self) { text = String(b) }
        else { text = "" }
    }
}
