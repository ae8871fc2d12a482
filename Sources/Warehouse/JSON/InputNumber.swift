/// Conversions of numbers that come from outside (raw bodies, metadata, other tools' files)
/// that never trap: where Swift's own initialisers crash on NaN, infinity or a value beyond
/// `Int64`, these return nil, so the caller rejects the row and names it.
public enum InputNumber {
    /// The latest time accepted from a source: 2200-01-01T00:00:00Z, in Unix seconds.
    public static let latestUnixSeconds: Int64 = 7_258_118_400

    /// The value rounded toward zero as an `Int64`; nil for NaN, infinity or a value outside `Int64`.
    public static func int64(_ value: Double) -> Int64? {
        // 2^63 is exactly representable; Int64.max is not, so compare against 2^63 itself.
        guard value.isFinite, value >= -9_223_372_036_854_775_808.0, value < 9_223_372_036_854_775_808.0 else { return nil }
        return Int64(value.rounded(.towardZero))
    }

    /// A whole number within `range` (a rank, a count); nil otherwise.
    public static func integer(_ value: Double, in range: ClosedRange<Int64>) -> Int64? {
        guard let whole = int64(value), range.contains(whole) else { return nil }
        return whole
    }

    /// A Unix time in seconds after 1970 and before 2200, rounded down; nil otherwise.
    public static func unixSeconds(_ value: Double) -> Int64? {
        guard value.isFinite, value > 0, value < Double(latestUnixSeconds) else { return nil }
        return Int64(value.rounded(.down))
    }

    /// A Unix time in milliseconds after 1970 and before 2200, rounded down; nil otherwise.
    public static func unixMilliseconds(_ value: Double) -> Int64? {
        guard value.isFinite, value > 0, value < Double(latestUnixSeconds) * 1000 else { return nil }
        return Int64(value.rounded(.down))
    }
}
