import Foundation

/// Spaces requests to one source at most `requestsPerSecond`, across all worker threads.
public final class RateLimiter: @unchecked Sendable {
    private let interval: Double
    private var next: Double = 0
    private let lock = NSLock()

    /// - Parameter requestsPerSecond: nil or <= 0 means unlimited.
    public init(requestsPerSecond: Double?) {
        interval = (requestsPerSecond ?? 0) > 0 ? 1 / requestsPerSecond! : 0
    }

    /// Blocks until this caller may send a request.
    public func acquire() {
        guard interval > 0 else { return }
        lock.lock()
        let now = ProcessInfo.processInfo.systemUptime
        let slot = max(now, next)
        next = slot + interval
        lock.unlock()
        if slot > now { Thread.sleep(forTimeInterval: slot - now) }
    }
}
