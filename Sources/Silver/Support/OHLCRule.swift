/// The row-level rule of a price bar: prices positive, low <= open, close <= high, volume not
/// negative (a missing value breaks nothing). A bar that breaks it is quarantined in `_rejects`
/// under the rule `ohlc`, and the asset's `ohlc_rules` check weighs how many were.
enum OHLCRule {
    static let name = "ohlc"

    /// Why a bar breaks the rule, nil when it keeps it.
    static func problem(open: Double?, high: Double?, low: Double?, close: Double?, volume: Double? = nil) -> String? {
        for (label, value) in [("open", open), ("high", high), ("low", low), ("close", close)] {
            if let value, !(value > 0) { return "\(label) is \(value), not a positive price" }
        }
        if let low, let high, low > high { return "low \(low) is above high \(high)" }
        for (label, value) in [("open", open), ("close", close)] {
            guard let value else { continue }
            if let low, value < low { return "\(label) \(value) is below low \(low)" }
            if let high, value > high { return "\(label) \(value) is above high \(high)" }
        }
        if let volume, volume < 0 { return "volume \(volume) is negative" }
        return nil
    }
}
