import Foundation

/// The team's shared raw cache (a bucket laid out as the raw layer): bronze looks here after
/// the raw folder and before the API, copies what it finds, and uploads what it fetches.
/// Implemented by the `Bucket` target for S3 and GCS; handed to runs as a build resource.
public protocol SharedRawCache: SnapshotCatalog, Sendable {
    /// `s3://bucket/prefix` or `gs://bucket/prefix`, for messages.
    var location: String { get }

    /// Copies a snapshot of the bucket into `store`, body and metadata byte for byte, after
    /// checking the body against the sha256 its metadata records.
    /// - Throws: `SharedCacheError` when the bucket cannot be read or the copy does not match.
    func download(_ dataset: RawDataset, key: String, on day: Day, into store: RawStore) throws -> RawSnapshot

    /// Uploads a local snapshot, body first and metadata second, never over an object already
    /// in the bucket: a key another writer took gets the refetch name (`key@HHMMSS`).
    /// - Returns: the object name the body now has in the bucket.
    /// - Throws: `SharedCacheError` when the bucket refused or could not be reached.
    @discardableResult
    func upload(_ snapshot: RawSnapshot, from store: RawStore) throws -> String
}

/// What went wrong talking to the shared bucket. A failed download falls back to the API and a
/// failed upload is retried by a later run, so these are warnings in a run and errors in `raw sync`.
public enum SharedCacheError: WarehouseError {
    /// The store did not answer (refused, timed out) or kept failing with 429/5xx.
    case unreachable(location: String, reason: String)
    /// The store answered with an error that retrying does not fix (403, 404 on the bucket, 400).
    case refused(location: String, operation: String, status: Int, detail: String)
    /// A downloaded body does not match the sha256 its metadata records.
    case corrupt(object: String, expected: String, actual: String)
    /// Credentials are missing or unreadable.
    case credentials(location: String, problem: String, fix: String)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .unreachable(let location, let reason):
            return ("the shared raw cache \(location) cannot be reached: \(reason)", "check the endpoint and network; runs go on from the APIs and a later run uploads what is missing")
        case .refused(let location, let operation, let status, let detail):
            let fix = status == 403 || status == 401
                ? "check the credentials and that they may list, read and create objects under the prefix (docs/shared-cache.md#permissions)"
                : "check [raw.remote] in warehouse.toml (bucket name, prefix, endpoint, region)"
            return ("the shared raw cache \(location) refused \(operation) (HTTP \(status)): \(detail)", fix)
        case .corrupt(let object, let expected, let actual):
            return ("\(object) in the shared raw cache does not match its metadata (sha256 \(actual), expected \(expected)); not copied", "remove or re-upload that object; the run fetched it from the API instead")
        case .credentials(let location, let problem, let fix):
            return ("no usable credentials for \(location): \(problem)", fix)
        }
    }
}

extension SharedCacheError {
    public var exitStatus: WarehouseExitStatus {
        if case .credentials = self { return .usage }
        return .failed
    }
}
