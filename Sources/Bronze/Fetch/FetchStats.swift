import Warehouse

/// What a batch of requests cost.
public struct FetchStats: Sendable {
    /// HTTP requests made to the API (retries included).
    public var requests = 0
    /// Requests answered by the raw folder of this root.
    public var cacheHits = 0
    /// Requests answered by the shared bucket (copied into the raw folder).
    public var bucketHits = 0
    public var bytes = 0
    public var stored = 0
    /// Snapshots uploaded to the shared bucket, and uploads that failed.
    public var uploads = 0
    public var uploadFailures = 0
    public init() {}
}

extension BuildOutcome {
    /// Adds what a batch cost: API requests, cache and bucket hits, bytes, uploads.
    mutating func add(_ stats: FetchStats) {
        requests += stats.requests
        cacheHits += stats.cacheHits
        bytesFetched += stats.bytes
        bucketHits += stats.bucketHits
        uploads += stats.uploads
        uploadFailures += stats.uploadFailures
    }
}
