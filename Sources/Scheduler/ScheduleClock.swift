import Foundation

/// The time the scheduler goes by, and how it waits: the system clock in the daemon, a clock a
/// test moves in the tests (so days of schedules run in seconds).
public protocol ScheduleClock: AnyObject {
    var now: Date { get }
    /// Whether the scheduler was asked to stop (SIGTERM, SIGINT).
    var stopRequested: Bool { get }
    /// Waits until `date`; false when a stop was asked for meanwhile.
    func sleep(until date: Date) -> Bool
}

/// The system clock; `stop()` (from a signal handler) ends the current wait within a second.
public final class SystemScheduleClock: ScheduleClock, @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    public init() {}

    public var now: Date { Date() }

    public var stopRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    public func sleep(until date: Date) -> Bool {
        while !stopRequested {
            let left = date.timeIntervalSinceNow
            if left <= 0 { return true }
            Thread.sleep(forTimeInterval: min(left, 1))
        }
        return false
    }
}

/// A clock that jumps to whatever it is asked to wait for, up to an end: a test runs days of
/// schedules at once. `advance(by:)` lets a job take time.
public final class SimulatedScheduleClock: ScheduleClock {
    public private(set) var now: Date
    /// Waiting past this stops the scheduler, as a signal would.
    public var end: Date

    public init(start: Date, end: Date) {
        now = start
        self.end = end
    }

    public var stopRequested: Bool { now >= end }

    public func sleep(until date: Date) -> Bool {
        guard date < end else {
            now = end
            return false
        }
        now = max(now, date)
        return true
    }

    public func advance(by seconds: TimeInterval) { now = now.addingTimeInterval(seconds) }
}
