/// How often the emulator misbehaves, per API request. Draws are deterministic in the
/// request's sequence number, so a test sees the same faults every time.
public struct FaultPlan: Sendable, Equatable {
    /// Share of requests answered 429 with a `Retry-After` header.
    public var rateLimited: Double = 0
    /// The `Retry-After` value sent with a 429 (seconds; "0" or junk to test "no hint").
    public var retryAfter: String = "1"
    /// Share answered 500 or 503.
    public var serverErrors: Double = 0
    /// Share answered after `slowSeconds`.
    public var slow: Double = 0
    public var slowSeconds: Double = 2
    /// Share whose body is cut off mid-stream (the connection drops).
    public var truncated: Double = 0

    public init(rateLimited: Double = 0, retryAfter: String = "1", serverErrors: Double = 0,
                slow: Double = 0, slowSeconds: Double = 2, truncated: Double = 0) {
        self.rateLimited = rateLimited
        self.retryAfter = retryAfter
        self.serverErrors = serverErrors
        self.slow = slow
        self.slowSeconds = slowSeconds
        self.truncated = truncated
    }

    /// No faults.
    public static let none = FaultPlan()

    public var isEmpty: Bool { rateLimited == 0 && serverErrors == 0 && slow == 0 && truncated == 0 }
}
