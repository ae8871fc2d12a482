import Foundation
import HTTPClient
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
        uncached(requests, in: store, clock: clock)
    }

    /// The requests `catalog` (the raw folder or the shared bucket) cannot answer.
    static func uncached(_ requests: [RawRequest], in catalog: SnapshotCatalog, clock: WarehouseClock) -> [RawRequest] {
        let days = newestDaysFirst(requests, in: catalog)
        return requests.filter { answer($0, in: catalog, clock: clock, days: days) == nil }
    }

    /// The days of `catalog`, newest first, when a request kept forever may be answered by any of them.
    private static func newestDaysFirst(_ requests: [RawRequest], in catalog: SnapshotCatalog) -> [Day] {
        let keepsForever = requests.contains { if case .forever = $0.freshness { return true } else { return false } }
        return keepsForever ? ((try? catalog.days()) ?? []).reversed() : []
    }

    /// The snapshot (day and key) that answers a request under its freshness policy, if any;
    /// `days` are the catalog's days, newest first, searched for requests kept forever.
    static func answer(_ request: RawRequest, in catalog: SnapshotCatalog, clock: WarehouseClock, days newestFirst: [Day]) -> (day: Day, key: String)? {
        let today = clock.today
        let dataset = request.dataset
        func matches(_ key: String, on day: Day) -> SnapshotMeta? {
            guard let meta = try? catalog.meta(of: dataset, key: key, on: day), meta.params == request.paramDictionary else { return nil }
            return meta
        }
        switch request.freshness {
        case .today(let maxAge):
            // The newest fetch of the key today (a refetch is stored beside the first, never over it).
            guard let key = try? catalog.newestKey(answering: request.key, of: dataset, on: today), let meta = matches(key, on: today),
                  let fetched = ISO8601.parse(meta.fetchedAt), WarehouseSettings.isFresh(fetched: fetched, now: clock.now, maxAge: maxAge) else { return nil }
            return (today, key)
        case .forever:
            for day in newestFirst where (try? catalog.contains(dataset, key: request.key, on: day)) == true && matches(request.key, on: day) != nil {
                return (day, request.key)
            }
            return nil
        case .recent(let seconds):
            let entity = RawKey.entity(of: request.key)
            let oldest = clock.now.addingTimeInterval(-Double(seconds))
            let key = ((try? catalog.keys(of: dataset, on: today)) ?? []).reversed().first { key in
                guard RawKey.entity(of: key) == entity, let meta = matches(key, on: today), let fetched = ISO8601.parse(meta.fetchedAt) else { return false }
                return fetched >= oldest
            }
            return key.map { (today, $0) }
        }
    }

    /// Fetches every request not already cached (all of them with `refresh`) and stores each
    /// body. With a shared bucket, what the raw folder lacks is looked up there before the API,
    /// and what the API returns is uploaded (the run's end uploads whatever the bucket still lacks).
    /// - Parameter replan: the requests again, for builds whose requests follow from the raw
    ///   folder (history windows): asked after the bucket gave snapshots, so only what is still
    ///   missing goes to the API.
    /// - Throws: `FetchFailures` when any request failed; what succeeded is stored and counted.
    public func fetch(_ requests: [RawRequest], context: BuildContext, replan: (() throws -> [RawRequest])? = nil) throws -> FetchStats {
        let store = context.raw
        let shared = context.sharedCache
        var stats = FetchStats()
        var pending = context.refresh ? requests : Self.uncached(requests, store: store, clock: context.clock)
        stats.cacheHits = requests.count - pending.count
        if let shared, !context.refresh, !pending.isEmpty {
            let (copied, missing) = pull(pending, from: shared, into: store, context: context)
            stats.bucketHits = copied
            pending = missing
            if copied > 0, let replan { pending = Self.uncached(try replan(), store: store, clock: context.clock) }
        }
        let lock = NSLock()
        var failures: [(key: String, error: Error)] = []
        var done = 0
        Self.parallel(pending, workers: concurrency, worker: { CurlHTTPClient(timeout: timeout) }) { request, client in
            do {
                let (attempts, bytes, snapshot) = try fetchOne(request, client: client, store: store, context: context)
                let uploaded = shared.map { upload(snapshot, to: $0, from: store, context: context) }
                lock.lock()
                stats.requests += attempts; stats.bytes += bytes; stats.stored += 1
                if let uploaded { if uploaded { stats.uploads += 1 } else { stats.uploadFailures += 1 } }
                lock.unlock()
            } catch {
                let attempts = (error as? CountedFailure)?.attempts ?? 1
                lock.lock(); stats.requests += attempts; failures.append((request.key, endpoint.redact((error as? CountedFailure)?.error ?? error))); lock.unlock()
            }
            lock.lock(); done += 1; let progress = done; lock.unlock()
            if progress % 25 == 0 || progress == pending.count { context.progress(progress, pending.count) }
        }
        if !failures.isEmpty {
            throw FetchFailures(dataset: pending.first?.dataset.description ?? "", failures: failures.sorted { $0.key < $1.key }, stored: stats.stored)
        }
        return stats
    }

    /// Copies from the bucket what answers each request: the snapshot the freshness rules pick,
    /// or for a history window the entity's snapshots that cover it. Returns how many were copied
    /// and the requests still to fetch (a window counts as still to fetch: replanning decides).
    /// A bucket that fails leaves its requests to the API, with a warning.
    private func pull(_ requests: [RawRequest], from shared: any SharedRawCache, into store: RawStore,
                      context: BuildContext) -> (copied: Int, missing: [RawRequest]) {
        let days = Self.newestDaysFirst(requests, in: shared)
        let allDays = requests.contains { $0.range != nil } ? ((try? shared.days()) ?? []).reversed() : []
        // What answers each request, found first and downloaded once: windows of one entity share snapshots.
        let lock = NSLock()
        var found: [Int: [(day: Day, key: String)]] = [:]
        Self.parallel(Array(requests.enumerated()), workers: concurrency, worker: {}) { item, _ in
            let (index, request) = item
            let answers = request.range == nil
                ? Self.answer(request, in: shared, clock: context.clock, days: days).map { [$0] } ?? []
                : Self.covering(request, in: shared, days: Array(allDays), local: store)
            lock.lock(); found[index] = answers; lock.unlock()
        }
        struct Wanted: Hashable { let dataset: RawDataset; let day: Day; let key: String }
        let wanted = Array(Set(found.flatMap { index, answers in answers.map { Wanted(dataset: requests[index].dataset, day: $0.day, key: $0.key) } }))
        var copied = Set<Wanted>()
        Self.parallel(wanted, workers: concurrency, worker: {}) { snapshot, _ in
            do {
                _ = try shared.download(snapshot.dataset, key: snapshot.key, on: snapshot.day, into: store)
                lock.lock(); copied.insert(snapshot); lock.unlock()
            } catch {
                context.logger.warning("not copied from the shared raw cache; fetching from the API instead", metadata: ["key": "\(snapshot.key)", "error": "\(error)"])
            }
        }
        let missing = requests.indices.filter { index in
            requests[index].range != nil || !(found[index] ?? []).contains { copied.contains(Wanted(dataset: requests[index].dataset, day: $0.day, key: $0.key)) }
        }
        return (copied.count, missing.map { requests[$0] })
    }

    /// The bucket's snapshots of a window's entity (any day, newest first) that cover some of
    /// the window the ones before them left open, skipping those this root holds already.
    static func covering(_ request: RawRequest, in catalog: SnapshotCatalog, days newestFirst: [Day], local: RawStore) -> [(day: Day, key: String)] {
        guard let range = request.range, let window = request.window else { return [] }
        let entity = RawKey.entity(of: request.key)
        let others = request.paramDictionary.filter { $0.key != range.from && $0.key != range.to }
        var open = [(window.from, window.to)]
        var chosen: [(day: Day, key: String)] = []
        for day in newestFirst where !open.isEmpty {
            for key in ((try? catalog.keys(of: request.dataset, on: day)) ?? []) where RawKey.entity(of: key) == entity {
                guard !local.contains(request.dataset, key: key, on: day), let meta = try? catalog.meta(of: request.dataset, key: key, on: day),
                      meta.params.filter({ $0.key != range.from && $0.key != range.to }) == others,
                      let from = meta.params[range.from].flatMap(Int64.init), let to = meta.params[range.to].flatMap(Int64.init) else { continue }
                // A range reaching past its fetch time holds data up to the fetch only.
                let end = min(to, ISO8601.parse(meta.fetchedAt).map { Int64($0.timeIntervalSince1970) } ?? to)
                let remaining = open.flatMap { HistoryWindows.subtract([(from, end)], from: $0) }
                guard remaining.map({ $0.1 - $0.0 }).reduce(0, +) < open.map({ $0.1 - $0.0 }).reduce(0, +) else { continue }
                open = remaining
                chosen.append((day, key))
            }
        }
        return chosen
    }

    /// Uploads one fetched snapshot; false (with a warning) when the bucket refused or is down.
    private func upload(_ snapshot: RawSnapshot, to shared: any SharedRawCache, from store: RawStore, context: BuildContext) -> Bool {
        do {
            try shared.upload(snapshot, from: store)
            return true
        } catch {
            context.logger.warning("not uploaded to the shared raw cache; a later run uploads it", metadata: ["file": "\(snapshot.relativePath)", "error": "\(error)"])
            return false
        }
    }

    /// Runs `body` over the items on up to `workers` threads, each with its own `worker()` state
    /// (an HTTP client keeps its connection), and returns when all are done.
    private static func parallel<Item, Worker>(_ items: [Item], workers: Int, worker: () -> Worker, _ body: (Item, Worker) -> Void) {
        guard !items.isEmpty else { return }
        let lock = NSLock()
        var next = 0
        DispatchQueue.concurrentPerform(iterations: min(workers, items.count)) { _ in
            let state = worker()
            while true {
                lock.lock()
                guard next < items.count else { lock.unlock(); return }
                let item = items[next]
                next += 1
                lock.unlock()
                body(item, state)
            }
        }
    }

    private struct CountedFailure: Error, CustomStringConvertible {
        let attempts: Int
        let error: Error
        var description: String { "\(error)" }
    }

    /// One request with retries; returns (attempts, body bytes, the stored snapshot).
    private func fetchOne(_ request: RawRequest, client: CurlHTTPClient, store: RawStore, context: BuildContext) throws -> (Int, Int, RawSnapshot) {
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
                        let snapshot = try store.write(body: response.body, meta: meta, dataset: request.dataset, key: request.key, day: context.clock.today)
                        return (attempt, response.body.count, snapshot)
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
