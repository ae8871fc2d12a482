import Foundation
import HTTPClient
import Warehouse

extension BucketRawCache {
    /// The cache of a root's `[raw.remote]`, with credentials from the environment: S3 keys
    /// (`AWS_ACCESS_KEY_ID`, ... or a profile), GCS tokens (`GOOGLE_APPLICATION_CREDENTIALS`
    /// or `GOOGLE_OAUTH_ACCESS_TOKEN`; none needed on a custom endpoint such as an emulator,
    /// `STORAGE_EMULATOR_HOST` included). Nothing is contacted until the first lookup.
    /// - Throws: `SharedCacheError.credentials` when S3 keys or a GCS key file are missing or unreadable.
    public static func connect(_ remote: RawRemote, environment: [String: String], retryBaseSeconds: Double = 0.2) throws -> BucketRawCache {
        let retry = RetryPolicy(maxAttempts: 5, baseDelay: retryBaseSeconds, maxDelay: 5)
        switch remote.service {
        case .s3:
            let credentials = try S3Credentials.resolve(profile: remote.profile, environment: environment, location: remote.url)
            let region = S3Credentials.region(configured: remote.region, profile: remote.profile, environment: environment)
            let store = S3ObjectStore(bucket: remote.bucket, endpoint: remote.endpoint, region: region, addressing: remote.addressing,
                                      credentials: credentials, multipartThreshold: remote.multipartThreshold, retry: retry)
            return BucketRawCache(remote: remote, store: store)
        case .gcs:
            let emulator = environment["STORAGE_EMULATOR_HOST"].flatMap { $0.isEmpty ? nil : $0 }
            let endpoint = remote.endpoint ?? emulator.map { $0.hasPrefix("http") ? $0 : "http://\($0)" }
            let token = try GoogleAccessToken(environment: environment, location: remote.url, allowAnonymous: endpoint != nil)
            return BucketRawCache(remote: remote, store: GCSObjectStore(bucket: remote.bucket, endpoint: endpoint, token: token, retry: retry))
        }
    }
}
