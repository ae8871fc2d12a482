import Foundation
import HTTPClient
import Warehouse

/// HTTP to one object store, shared by a run's threads: a pool of keep-alive connections,
/// retries with backoff and jitter on 429, 5xx and dropped connections (as for the APIs),
/// and a breaker: once the store is unreachable, every later call of the run fails at once
/// (uploads become warnings and lookups go to the API) instead of waiting on it again.
final class StoreTransport: @unchecked Sendable {
    let location: String
    private let retry: RetryPolicy
    private let timeout: Double
    private var idle: [CurlHTTPClient] = []
    private var down: String?
    private let lock = NSLock()

    init(location: String, retry: RetryPolicy, timeout: Double = 60) {
        self.location = location
        self.retry = retry
        self.timeout = timeout
    }

    /// Sends a request, signing each attempt anew (`headers` is asked per attempt: signatures carry the time).
    /// - Returns: the first response that is not a transient failure.
    /// - Throws: `SharedCacheError.unreachable` when the store did not answer usefully.
    func send(_ method: String, _ url: String, body: Data? = nil, headers: () throws -> [String: String]) throws -> HTTPResponse {
        if let reason = lock.withLock({ down }) { throw SharedCacheError.unreachable(location: location, reason: reason) }
        let client = lock.withLock { idle.popLast() } ?? CurlHTTPClient(timeout: timeout)
        defer { lock.withLock { idle.append(client) } }
        var last = ""
        for attempt in 1...retry.maxAttempts {
            var retryAfter: String?
            do {
                let response = try client.send(method, url, headers: try headers(), body: body)
                guard RetryPolicy.isTransient(status: response.status) else { return response }
                last = "HTTP \(response.status)"
                retryAfter = response.headers["retry-after"]
            } catch let error as TransportError {
                last = error.message
                if error.isUnreachable && attempt > RetryPolicy.unreachableRetries { break }
            }
            if attempt < retry.maxAttempts { Thread.sleep(forTimeInterval: retry.delay(afterAttempt: attempt, retryAfter: retryAfter)) }
        }
        lock.withLock { down = last }
        throw SharedCacheError.unreachable(location: location, reason: last)
    }

    /// The store's answer as an error: the operation, status and the start of the body.
    func refused(_ operation: String, _ response: HTTPResponse) -> SharedCacheError {
        .refused(location: location, operation: operation, status: response.status,
                 detail: String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
