import Foundation

/// The few operations the shared raw cache needs from an object store, which S3 and GCS both
/// offer: paged listing, download, and a create that never replaces an existing object.
public protocol ObjectStore: Sendable {
    /// `s3://bucket` or `gs://bucket`, for messages.
    var location: String { get }
    /// Every object and common prefix under `prefix`, all pages read; with `delimiter` "/" the
    /// names below the next "/" are folded into `prefixes`.
    /// - Throws: `SharedCacheError` when the store fails or refuses.
    func list(prefix: String, delimiter: String?) throws -> ObjectListing
    /// An object's bytes, nil when there is no such object.
    func get(_ name: String) throws -> Data?
    /// Creates an object unless one of that name exists (S3 `If-None-Match: *`, GCS
    /// `ifGenerationMatch=0`); returns false, writing nothing, when it exists.
    func create(_ name: String, data: Data, contentType: String) throws -> Bool
}

/// One listing: objects by name, and the folded common prefixes.
public struct ObjectListing: Sendable, Equatable {
    public var objects: [String: ObjectInfo] = [:]
    public var prefixes: [String] = []
    /// Requests it took (pages).
    public var pages = 0

    public init() {}
}

/// What a listing tells of one object without reading it.
public struct ObjectInfo: Sendable, Equatable {
    public var size: Int
    /// Hex MD5 of the content when the store reports it (S3's ETag of a single-part upload,
    /// GCS's `md5Hash`): compares a local file with the object without downloading it.
    public var md5: String?

    public init(size: Int, md5: String?) {
        self.size = size
        self.md5 = md5
    }
}
