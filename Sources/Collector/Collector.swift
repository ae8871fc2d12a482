import Foundation
import Warehouse
import WebSocket

/// `warehouse collect`: every venue's ticker stream into stream segments under the root's
/// raw layer, one thread per venue, until stopped. It takes a lock of its own worker name,
/// never the root's run lock, so scheduled `materialize` runs go on beside it; they read
/// only closed segments.
public final class Collector {
    public struct Options: Sendable {
        /// Names this collector's segments (`<worker>-HHMMSS.jsonl`); two collectors on one root need two names.
        public var worker = "main"
        public var flushSeconds: Double = 1
        public var rollSeconds: Double = 60
        public var rollBytes = 64 << 20
        public var stallSeconds: Double = 10
        public var backoffMax: Double = 30
        /// Seconds between REST ticker polls (polling mode, and the fallback while a stream is down).
        public var pollSeconds: Double = 2
        /// In ws mode, start polling once a stream has been down this long (nil: never poll).
        public var fallbackAfter: Double? = 2
        /// Seconds between round-trip probes of each venue's server-time endpoint (nil: none).
        public var probeSeconds: Double? = 60

        public init() {}
    }

    /// What a run did per venue.
    public struct VenueReport: Sendable {
        public let venue: String
        public let messages: Int
        public let connections: Int
        public let disconnects: Int
        public let failedConnects: Int
        public let refusedSubscriptions: Int
        /// REST ticker requests answered, and those that failed (polling mode and fallback).
        public let polls: Int
        public let failedPolls: Int
        /// Round trips measured against the venue's server-time endpoint.
        public let clockProbes: Int
        public let segments: Int
        /// Why the venue's worker stopped early (it could not write), nil when it ran to the end.
        public let failure: String?
    }

    public struct Report: Sendable {
        public let venues: [VenueReport]
        /// Segments a killed earlier run left open, closed at start.
        public let recovered: [String]
        public let seconds: Double
    }

    let layout: WarehouseLayout
    let feeds: [VenueFeed]
    let options: Options

    public init(layout: WarehouseLayout, feeds: [VenueFeed], options: Options = Options()) {
        self.layout = layout
        self.feeds = feeds
        self.options = options
    }

    /// Collects until `stop` is raised or `duration` seconds pass; every open segment is then
    /// flushed and closed before it returns.
    /// - Throws: `CollectorError.workerBusy` when a collector of the same worker name runs on
    ///   this root, `.cannotWrite` when the root cannot take segments.
    public func run(stop: StopFlag, duration: Double?) throws -> Report {
        try layout.prepare()
        let lockURL = layout.root.appendingPathComponent(".collect-\(options.worker).lock")
        let lock: RootLock
        do {
            lock = try RootLock(file: lockURL, wait: false)
        } catch RootLockError.busy {
            throw CollectorError.workerBusy(worker: options.worker, lock: lockURL.path)
        }
        let started = WebSocketConnection.monotonicSeconds()
        let store = RawStore(layout: layout)
        var recovered: [String] = []
        for feed in feeds {
            recovered += try SegmentRecovery.recover(store: store, dataset: RawDataset(source: feed.venue.rawValue, dataset: StreamSegment.tickerDataset), worker: options.worker)
        }
        let segmentPolicy = SegmentWriter.Policy(flushSeconds: options.flushSeconds, rollSeconds: options.rollSeconds, rollBytes: options.rollBytes)
        let streamPolicy = StreamWorker.Policy(stallSeconds: options.stallSeconds, backoffMax: options.backoffMax, fallbackAfter: options.fallbackAfter)
        let workers = feeds.map { feed in
            let source = feed.mode == .ws ? feed.url : feed.restBase
            let prober = feed.serverTime.flatMap { time in options.probeSeconds.map { ClockProber(url: time.url(base: feed.restBase), every: $0, stop: stop) } }
            return StreamWorker(feed: feed, writer: SegmentWriter(store: store, venue: feed.venue.rawValue, worker: options.worker, sourceURL: source, policy: segmentPolicy),
                                policy: streamPolicy, stop: stop, poller: RESTPoller(feed: feed, every: options.pollSeconds), prober: prober)
        }
        let group = DispatchGroup()
        let failures = FailureBox(count: workers.count)
        for (index, worker) in workers.enumerated() {
            group.enter()
            let thread = Thread {
                do { try worker.run() } catch { failures.set(index, "\(error)") }
                group.leave()
            }
            thread.name = "collect-\(worker.feed.venue.rawValue)"
            thread.start()
        }
        while !stop.isRaised {
            if let duration, WebSocketConnection.monotonicSeconds() - started >= duration { stop.raise(); break }
            if group.wait(timeout: .now() + 0.1) == .success { break }
        }
        stop.raise()
        group.wait()
        withExtendedLifetime(lock) {}
        let venues = workers.enumerated().map { index, worker in
            VenueReport(venue: worker.feed.venue.rawValue, messages: worker.tally.messages, connections: worker.tally.connections,
                        disconnects: worker.tally.disconnects, failedConnects: worker.tally.failedConnects,
                        refusedSubscriptions: worker.tally.refusedSubscriptions, polls: worker.tally.polls, failedPolls: worker.tally.failedPolls,
                        clockProbes: worker.tally.clockProbes, segments: worker.writer.closedSegments, failure: failures.get(index))
        }
        return Report(venues: venues, recovered: recovered, seconds: WebSocketConnection.monotonicSeconds() - started)
    }
}

/// Each worker's failure, written from its thread.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String?]
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: String) { lock.lock(); items[index] = value; lock.unlock() }
    func get(_ index: Int) -> String? { lock.lock(); defer { lock.unlock() }; return items[index] }
}
