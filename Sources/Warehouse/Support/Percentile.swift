/// Quantiles by linear interpolation between closest ranks (numpy's and pandas' default), so
/// the figures the marts and silver's gap detection compute equal an oracle's.
public enum Percentile {
    /// The `p` quantile of ascending `sorted` values; nil when there are none.
    public static func of(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = Double(sorted.count - 1) * p
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
