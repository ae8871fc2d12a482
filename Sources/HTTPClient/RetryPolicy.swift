import Foundation

/// When and how long to wait before trying a request again: exponential backoff with
/// jitter on transient failures (429, 5xx, timeouts, cut-off or unparsable bodies), and the
/// server's `Retry-After` when it gives a usable one.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// The longest `Retry-After` honoured; longer hints are capped.
    public var maxRetryAfter: Double

    public init(maxAttempts: Int = 8, baseDelay: Double = 0.2, maxDelay: Double = 20, maxRetryAfter: Double = 120) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Retries of a request whose address refuses connections or does not resolve: a couple,
    /// in case a server is just starting, then it is reported, not waited on.
    public static let unreachableRetries = 2

    /// Whether an HTTP status is worth retrying.
    public static func isTransient(status: Int) -> Bool { status == 429 || status == 408 || (500...599).contains(status) }

    /// Seconds to wait before attempt `attempt + 1` (attempt counts from 1).
    /// - Parameter retryAfter: the raw `Retry-After` header, if any. "0", negative or
    ///   unreadable values are no hint, so the backoff applies, never a zero wait.
    public func delay(afterAttempt attempt: Int, retryAfter: String?, random: Double = Double.random(in: 0..<1)) -> Double {
        if let hint = retryAfter.flatMap(Self.parseRetryAfter), hint > 0 {
            return min(hint, maxRetryAfter)
        }
        let exponential = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        return exponential * (0.5 + 0.5 * random)
    }

    /// Reads delta-seconds; HTTP-dates are not used by the APIs we call and count as no hint.
    static func parseRetryAfter(_ text: String) -> Double? {
        guard let seconds = Double(text.trimmingCharacters(in: .whitespaces)), seconds.isFinite else { return nil }
        return seconds
    }
}
