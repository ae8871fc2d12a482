import Foundation
import Logging
import Warehouse

/// Turns requests into raw snapshots: cache first, then HTTP with a shared rate limit,
/// retries and JSON validation, on a few worker threads each with its own connection.
public final class Fetcher: @unchecked Sendable {
    public let endpoint: SourceEndpoint
    public let retry: RetryPolicy
    public let concurrency: Int
    private let limiter: RateLimiter
    private let timeout: Double

    public init(endpoint: SourceEndpoint, retry: RetryPolicy = RetryPolicy(), concurrency: Int = 4, timeout: Double = 60) {
        self.endpoint = endpoint
        self.retry = retry
        self.concurrency = max(1, concurrency)
        self.timeout = timeout
        limiter = RateLimiter(requestsPerSecond: endpoint.requestsPerSecond)
    }

    /// The requests the raw cache cannot answer under their freshness policies (the raw days
    /// are listed once for the whole batch).
    public static func uncached(_ requests: [RawRequest], store: RawStore, clock: WarehouseClock) -> [RawRequest] {
        let keepsForever = requests.contains { if case .forever = $0.freshness { return true } else { return false } }
        let newestFirst: [Day] = keepsForever ? ((try? store.days()) ?? []).reversed() : []
        return requests.filter { cached($0, store: store, clock: clock, days: newestFirst) == nil }
    }

    /// The cached snapshot that answers a request under its freshness policy, if any;
    /// `days` are the raw days, newest first, searched for requests kept forever.
    static func cached(_ request: RawRequest, store: RawStore, clock: WarehouseClock, days newestFirst: [Day]) -> RawSnapshot? {
        let today = clock.today
        switch request.freshness {
        case .today(let maxAge):
            // The newest fetch of the key today (a refetch is stored beside the first, never over it).
            guard let snapshot = try? store.newest(of: request.dataset, key: request.key, on: today),
                  let meta = try? store.meta(of: snapshot), meta.params == request.paramDictionary,
                  let fetched = ISO8601.parse(meta.fetchedAt), WarehouseSettings.isFresh(fetched: fetched, now: clock.now, maxAge: maxAge) else { return nil }
            return snapshot
        case .forever:
            for day in newestFirst {
                guard let snapshot = store.snapshot(of: request.dataset, key: request.key, on: day),
                      let meta = try? store.meta(of: snapshot), meta.params == request.paramDictionary else { continue }
                return snapshot
            }
            return nil
        case .recent(let seconds):
            let entity = RawKey.entity(of: request.key)
            let oldest = clock.now.addingTimeInterval(-Double(seconds))
            return ((try? store.snapshots(of: request.dataset, on: today)) ?? []).reversed().first { snapshot in
                guard RawKey.entity(of: snapshot.key) == entity, let meta = try? store.meta(of: snapshot),
                      meta.params == request.paramDictionary, let fetched = ISO8601.parse(meta.fetchedAt) else { return false }
                return fetched >= oldest
            }
        }
    }

    /// Fetches every request not already cached (all of them with `refresh`) and stores each body.
    /// - Throws: `FetchFailures` when any request failed; what succeeded is stored and counted.
    public func fetch(_ requests: [RawRequest], context: BuildContext) throws -> FetchStats {
        let store = context.raw
        var stats = FetchStats()
        let pending = context.refresh ? requests : Self.uncached(requests, store: store, clock: context.clock)
        stats.cacheHits = requests.count - pending.count
        let lock = NSLock()
        var failures: [(key: String, error: Error)] = []
        var nextIndex = 0
        var done = 0
        let workers = min(concurrency, max(1, pending.count))
        DispatchQueue.concurrentPerform(iterations: pending.isEmpty ? 0 : workers) { _ in
            let client = CurlHTTPClient(timeout: timeout)
            while true {
                lock.lock()
                guard nextIndex < pending.count else { lock.unlock(); return }
                let request = pending[nextIndex]
                nextIndex += 1
                lock.unlock()
                do {
                    let (attempts, bytes) = try fetchOne(request, client: client, store: store, context: context)
                    lock.lock(); stats.requests += attempts; stats.bytes += bytes; stats.stored += 1; done += 1; lock.unlock()
                } catch {
                    let attempts = (error as? CountedFailure)?.attempts ?? 1
                    lock.lock(); stats.requests += attempts; failures.append((request.key, endpoint.redact((error as? CountedFailure)?.error ?? error))); done += 1; lock.unlock()
                }
                lock.lock(); let progress = done; lock.unlock()
                if progress % 25 == 0 || progress == pending.count { context.progress(progress, pending.count) }
            }
        }
        if !failures.isEmpty {
            throw FetchFailures(dataset: pending.first?.dataset.description ?? "", failures: failures.sorted { $0.key < $1.key }, stored: stats.stored)
        }
        return stats
    }

    private struct CountedFailure: Error, CustomStringConvertible {
        let attempts: Int
        let error: Error
        var description: String { "\(error)" }
    }

    /// One request with retries; returns (attempts, body bytes).
    private func fetchOne(_ request: RawRequest, client: CurlHTTPClient, store: RawStore, context: BuildContext) throws -> (Int, Int) {
        let url = request.url(base: endpoint.baseURL)
        var lastProblem = ""
        for attempt in 1...retry.maxAttempts {
            limiter.acquire()
            var retryAfter: String?
            do {
                let response = try client.get(url, headers: endpoint.secretHeaders)
                if response.status == 200 {
                    do {
                        try JSONValidator.validate(response.body)
                        let meta = SnapshotMeta(url: url, status: 200, fetchedAt: ISO8601.format(context.clock.now, milliseconds: true),
                                                sha256: Fingerprint.sha256(response.body), bytes: response.body.count,
                                                params: request.paramDictionary)
                        try store.write(body: response.body, meta: meta, dataset: request.dataset, key: request.key, day: context.clock.today)
                        return (attempt, response.body.count)
                    } catch let error as JSONSyntaxError {
                        lastProblem = "body is not valid JSON (\(error)); not stored"
                    }
                } else if RetryPolicy.isTransient(status: response.status) {
                    lastProblem = "HTTP \(response.status)"
                    retryAfter = response.headers["retry-after"]
                } else {
                    throw CountedFailure(attempts: attempt, error: FetchError.rejected(
                        url: url, status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self)))
                }
            } catch let error as TransportError {
                lastProblem = error.message
                if error.isUnreachable {
                    // An address that refuses or does not resolve is retried briefly, then reported as such.
                    guard attempt <= RetryPolicy.unreachableRetries else {
                        throw CountedFailure(attempts: attempt, error: FetchError.unreachable(url: url, attempts: attempt, reason: error.message,
                                                                                               variable: endpoint.baseURLVariable))
                    }
                    Thread.sleep(forTimeInterval: retry.baseDelay * Double(attempt))
                    continue
                }
            }
            if attempt < retry.maxAttempts {
                let wait = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
                context.logger.debug("retrying", metadata: ["url": "\(url)", "problem": "\(lastProblem)", "wait": "\(wait)"])
                Thread.sleep(forTimeInterval: wait)
            }
        }
        throw CountedFailure(attempts: retry.maxAttempts, error: FetchError.exhausted(url: url, attempts: retry.maxAttempts, last: lastProblem))
    }
}
