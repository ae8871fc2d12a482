import Foundation
import Warehouse
import WebSocket

/// Keeps one venue's feed going until told to stop: connects, subscribes, stores every
/// message and every connection event, and reconnects with exponential backoff and jitter;
/// while the stream is down (or in polling mode, always) it polls the venue's REST ticker, and
/// it writes the clock probes its prober measured.
final class StreamWorker {
    struct Policy: Sendable {
        /// No message for this long means the connection is dead: it is dropped and reopened.
        var stallSeconds: Double = 10
        /// A subscription not confirmed (nor data flowing) within this long failed.
        var subscribeSeconds: Double = 10
        var connectSeconds: Double = 10
        /// Backoff: the first delay, its ceiling; each failed attempt doubles it, jittered to 50-100%.
        var backoffBase: Double = 0.5
        var backoffMax: Double = 30
        /// In ws mode, poll the REST ticker while the stream has been down this long or more (nil: never).
        var fallbackAfter: Double? = 2
    }

    /// What one worker did, for the run's summary.
    struct Tally: Sendable {
        var messages = 0
        var connections = 0
        var disconnects = 0
        var failedConnects = 0
        var refusedSubscriptions = 0
        var polls = 0
        var failedPolls = 0
        var clockProbes = 0
    }

    let feed: VenueFeed
    let writer: SegmentWriter
    let policy: Policy
    let stop: StopFlag
    let poller: RESTPoller
    let prober: ClockProber?
    private var tallied = Tally()
    private var connectionNumber: Int64 = 0
    /// When the stream went down (monotonic seconds), nil while it is up.
    private var downSince: Double? = WebSocketConnection.monotonicSeconds()

    init(feed: VenueFeed, writer: SegmentWriter, policy: Policy, stop: StopFlag, poller: RESTPoller, prober: ClockProber?) {
        self.feed = feed
        self.writer = writer
        self.policy = policy
        self.stop = stop
        self.poller = poller
        self.prober = prober
    }

    /// What the worker did so far.
    var tally: Tally {
        var tally = tallied
        tally.polls = poller.polls
        tally.failedPolls = poller.failures
        return tally
    }

    /// Runs until `stop` is raised, then closes the open segment. Errors writing segments end
    /// the worker (thrown); a venue's failures never do.
    func run() throws {
        defer {
            prober?.finish()
            try? writer.close()
        }
        prober?.start()
        switch feed.mode {
        case .ws: try stream()
        case .poll:
            while !stop.isRaised {
                try poller.pollIfDue(into: writer, connection: connectionNumber)
                try tick()
                if !stop.isRaised { Thread.sleep(forTimeInterval: 0.05) }
            }
        }
        try tick()
        try writer.event("stopped", reason: "collector stopping", connection: connectionNumber)
    }

    /// The stream, reopened after every failure until stop is raised.
    private func stream() throws {
        var failures = 0
        var generator = SystemRandomNumberGenerator()
        while !stop.isRaised {
            if connectionNumber > 0 || failures > 0 {
                let delay = min(policy.backoffMax, policy.backoffBase * pow(2, Double(max(0, failures - 1)))) * Double.random(in: 0.5...1, using: &generator)
                try writer.event("reconnect_attempt", detail: "attempt \(failures + 1) after \(String(format: "%.2f", delay)) s", connection: connectionNumber + 1)
                try sleep(delay)
                if stop.isRaised { break }
            }
            let healthy = try session()
            failures = healthy ? 0 : failures + 1
            if downSince == nil { downSince = WebSocketConnection.monotonicSeconds() }
        }
    }

    /// Sleeps in short steps until `seconds` pass or stop is raised, writing due flushes and
    /// probes, and polling the REST ticker once the stream has been down long enough.
    private func sleep(_ seconds: Double) throws {
        let end = WebSocketConnection.monotonicSeconds() + seconds
        while !stop.isRaised, WebSocketConnection.monotonicSeconds() < end {
            if let after = policy.fallbackAfter, let down = downSince, WebSocketConnection.monotonicSeconds() - down >= after {
                try poller.pollIfDue(into: writer, connection: connectionNumber)
            }
            Thread.sleep(forTimeInterval: min(0.1, max(0, end - WebSocketConnection.monotonicSeconds())))
            try tick()
        }
    }

    /// Writes the probes measured since the last call, and flushes or rolls the segment when due.
    private func tick() throws {
        for result in prober?.take() ?? [] {
            tallied.clockProbes += 1
            if let status = result.status, status == 200 {
                try writer.event("clock_probe", code: 200, detail: result.body, sentMillis: result.sentMillis, roundTripMicros: result.roundTripMicros, connection: connectionNumber)
            } else {
                try writer.event("clock_probe_failed", code: result.status.map(Int64.init), reason: result.error ?? result.body, detail: prober?.url,
                                 sentMillis: result.sentMillis, roundTripMicros: result.roundTripMicros, connection: connectionNumber)
            }
        }
        try writer.tick()
    }

    /// One connection from connect to close; true when it was subscribed and streamed (so the
    /// backoff starts over), false when it failed before that.
    private func session() throws -> Bool {
        let connection: WebSocketConnection
        do {
            connection = try WebSocketClient.connect(feed.url, timeout: policy.connectSeconds)
        } catch {
            tallied.failedConnects += 1
            try writer.event("connect_failed", reason: "\(error)", connection: connectionNumber + 1)
            return false
        }
        connectionNumber += 1
        tallied.connections += 1
        let number = connectionNumber
        try writer.event("connected", detail: feed.url, connection: number)
        var subscribed = false
        // Replies are read until market data flows: a venue may confirm some markets and refuse others.
        var flowing = false
        var refused: [String] = []
        do {
            if let subscribe = feed.subscribeMessage { try connection.send(text: subscribe) }
            let opened = WebSocketConnection.monotonicSeconds()
            var lastMessage = opened
            while true {
                if stop.isRaised {
                    try? connection.sendClose(code: 1000, reason: "collector stopping")
                    try writer.event("closed", code: 1000, reason: "collector stopping", detail: "stopping", connection: number)
                    return true
                }
                // Probes and flushes before waiting, so whatever they write precedes the next message
                // in time as in the file.
                try tick()
                let message = try connection.receive(timeout: 0.2)
                let received = Reception.now()
                let now = WebSocketConnection.monotonicSeconds()
                guard let message else {
                    if !subscribed, now - opened > policy.subscribeSeconds {
                        return try giveUp(connection, number, reason: refused.isEmpty ? "no subscription confirmed within \(Int(policy.subscribeSeconds)) s" : refused.joined(separator: "; "))
                    }
                    if now - lastMessage > policy.stallSeconds {
                        tallied.disconnects += 1
                        try writer.event("message_gap", detail: String(format: "%.3f", now - lastMessage), connection: number)
                        connection.abort()
                        try writer.event("closed", reason: "stalled: no message for \(Int(policy.stallSeconds)) s", detail: "stalled", connection: number)
                        return subscribed
                    }
                    continue
                }
                lastMessage = now
                switch message {
                case .text(let bytes):
                    try writer.message(bytes, received: received, connection: number)
                    tallied.messages += 1
                    guard !flowing else { continue }
                    switch feed.classify(bytes) {
                    case .data:
                        flowing = true
                        downSince = nil
                        if !subscribed { try writer.event("subscribed", detail: "data flowing", connection: number) }
                        subscribed = true
                    case .subscribed(let what):
                        subscribed = true
                        try writer.event("subscribed", detail: what, connection: number)
                    case .refused(let reason):
                        refused.append(reason)
                        tallied.refusedSubscriptions += 1
                        try writer.event("subscribe_failed", reason: reason, connection: number)
                    case .status(let detail):
                        try writer.event("status", detail: detail, connection: number)
                    case .other:
                        break
                    }
                case .binary(let bytes):
                    try writer.event("binary_message", detail: "\(bytes.count) bytes, not stored", connection: number)
                case .close(let code, let reason):
                    tallied.disconnects += 1
                    try writer.event("closed", code: code.map(Int64.init), reason: reason, detail: "by_venue", connection: number)
                    return subscribed
                }
            }
        } catch let error as CollectorError {
            throw error
        } catch {
            tallied.disconnects += 1
            try writer.event("closed", reason: "\(error)", detail: "lost", connection: number)
            return subscribed
        }
    }

    private func giveUp(_ connection: WebSocketConnection, _ number: Int64, reason: String) throws -> Bool {
        try? connection.sendClose(code: 1000, reason: "subscription failed")
        try writer.event("closed", code: 1000, reason: "subscription failed: \(reason)", detail: "subscription_failed", connection: number)
        return false
    }
}

/// Raised once to stop every worker (a signal, or the end of `--duration`).
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    public init() {}

    public var isRaised: Bool { lock.lock(); defer { lock.unlock() }; return raised }

    public func raise() { lock.lock(); raised = true; lock.unlock() }
}
