import Foundation

/// The team's shared raw cache: a bucket holding the raw layer (BRIEF section 3) under a
/// prefix, `[raw.remote]` in `warehouse.toml`. Runs look there before calling an API and
/// upload what they fetch. Credentials never live here: they come from the environment.
public struct RawRemote: Sendable, Equatable {
    /// The object store's protocol.
    public enum Service: String, Sendable {
        /// Amazon S3 or any S3-compatible store (MinIO, Cloudflare R2, GCS interoperability).
        case s3
        /// Google Cloud Storage through its JSON API.
        case gcs = "gs"
    }

    /// How an S3 bucket is addressed: in the host name (`bucket.s3.amazonaws.com`, AWS's
    /// default) or in the path (`host/bucket`, what most S3-compatible servers expect).
    public enum Addressing: String, Sendable {
        case virtual, path
    }

    public var service: Service
    public var bucket: String
    /// The folder inside the bucket that holds `raw/`, without slashes at either end; may be empty.
    public var prefix: String
    /// The store's base URL when not the provider's public one (`http://127.0.0.1:9000`).
    public var endpoint: String?
    /// S3 region; `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's, then us-east-1.
    public var region: String?
    /// S3 addressing; unset, virtual-host on AWS and path-style on a custom endpoint.
    public var addressing: Addressing?
    /// The S3 credentials profile (`AWS_PROFILE` otherwise, then `default`).
    public var profile: String?
    /// Bodies larger than this go up in parts (S3 multipart upload); parts are this size too, at least 5 MiB.
    public var multipartThreshold = 8 << 20

    /// `s3://bucket/prefix` or `gs://bucket/prefix`, as written in the settings.
    public var url: String { "\(service.rawValue)://\(bucket)" + (prefix.isEmpty ? "" : "/\(prefix)") }

    /// The object name of a path relative to the root (`raw/DAY/...`).
    public func objectName(_ relativePath: String) -> String { prefix.isEmpty ? relativePath : "\(prefix)/\(relativePath)" }

    /// Reads `s3://bucket[/prefix]` or `gs://bucket[/prefix]`.
    /// - Throws: `ConfigurationError` naming `setting` when the URL is not one of those.
    public init(url text: String, setting: String) throws {
        let fix = "write e.g. url = \"s3://team-bucket/warehouse\" or url = \"gs://team-bucket/warehouse\""
        guard let scheme = text.range(of: "://"), let service = Service(rawValue: String(text[..<scheme.lowerBound]).lowercased()) else {
            throw ConfigurationError(setting: setting, problem: "'\(text)' is not an s3:// or gs:// bucket URL", fix: fix)
        }
        let rest = text[scheme.upperBound...].split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let bucket = rest.first, Self.isBucketName(bucket) else {
            throw ConfigurationError(setting: setting, problem: "'\(text)' does not name a bucket (3-63 lowercase letters, digits, '-', '.' and '_')", fix: fix)
        }
        let prefix = rest.dropFirst()
        guard prefix.allSatisfy({ $0 != "." && $0 != ".." }) else {
            throw ConfigurationError(setting: setting, problem: "'\(text)' has a '.' or '..' folder in its prefix", fix: fix)
        }
        self.service = service
        self.bucket = bucket
        self.prefix = prefix.joined(separator: "/")
    }

    static func isBucketName(_ name: String) -> Bool {
        (3...63).contains(name.count) && name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "-._".contains($0) }
            && (name.first!.isLetter || name.first!.isNumber)
    }
}

extension WarehouseSettings {
    static let rawRemoteKeys = ["url", "endpoint", "region", "addressing", "profile", "multipart_threshold_mb"].map { "raw.remote.\($0)" }

    /// Reads `[raw.remote]`; returns the keys it knows. `WAREHOUSE_RAW_REMOTE` (a URL, or `off`)
    /// overrides the file's `url` (see `applyRawRemote(environment:)`).
    mutating func applyRawRemote(toml document: TOMLDocument, source: String) throws -> Set<String> {
        func text(_ key: String) throws -> String? {
            guard let value = document.values["raw.remote.\(key)"] else { return nil }
            guard case .string(let text) = value, !text.isEmpty else {
                throw ConfigurationError(setting: "\(source): raw.remote.\(key)", problem: "must be a non-empty string", fix: "quote the value")
            }
            return text
        }
        guard let url = try text("url") else {
            if let stray = Self.rawRemoteKeys.first(where: { document.values[$0] != nil }) {
                throw ConfigurationError(setting: "\(source): \(stray)", problem: "is set but raw.remote.url is not", fix: "add url = \"s3://bucket/prefix\" (or gs://) to [raw.remote], or remove the section")
            }
            return Set(Self.rawRemoteKeys)
        }
        var remote = try RawRemote(url: url, setting: "\(source): raw.remote.url")
        if let endpoint = try text("endpoint") {
            guard let parsed = URL(string: endpoint), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ConfigurationError(setting: "\(source): raw.remote.endpoint", problem: "'\(endpoint)' is not an http(s) URL", fix: "write e.g. endpoint = \"https://storage.googleapis.com\" or \"http://127.0.0.1:9000\"")
            }
            remote.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        }
        remote.region = try text("region")
        remote.profile = try text("profile")
        if let addressing = try text("addressing") {
            guard let parsed = RawRemote.Addressing(rawValue: addressing) else {
                throw ConfigurationError(setting: "\(source): raw.remote.addressing", problem: "'\(addressing)' is neither virtual nor path", fix: "write addressing = \"path\" or \"virtual\"")
            }
            remote.addressing = parsed
        }
        if let value = document.values["raw.remote.multipart_threshold_mb"] {
            guard case .integer(let megabytes) = value, (5...5000).contains(megabytes) else {
                throw ConfigurationError(setting: "\(source): raw.remote.multipart_threshold_mb", problem: "must be a whole number of MiB from 5 to 5000", fix: "write e.g. multipart_threshold_mb = 8")
            }
            remote.multipartThreshold = megabytes << 20
        }
        rawRemote = remote
        return Set(Self.rawRemoteKeys)
    }

    /// `WAREHOUSE_RAW_REMOTE=s3://...` points the root at a bucket (keeping the file's other
    /// `[raw.remote]` keys); `off` turns the shared cache off for this process.
    mutating func applyRawRemote(environment: [String: String]) throws {
        guard let text = environment["WAREHOUSE_RAW_REMOTE"], !text.isEmpty else { return }
        if text.lowercased() == "off" { rawRemote = nil; return }
        var remote = try RawRemote(url: text, setting: "WAREHOUSE_RAW_REMOTE")
        if let configured = rawRemote {
            remote.endpoint = configured.endpoint
            remote.region = configured.region
            remote.addressing = configured.addressing
            remote.profile = configured.profile
            remote.multipartThreshold = configured.multipartThreshold
        }
        rawRemote = remote
    }
}
