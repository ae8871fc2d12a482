/// The two-sample Kolmogorov-Smirnov test, two-sided, with the asymptotic p-value that
/// `scipy.stats.ks_2samp(method="asymp")` reports, so that drift numbers here and in a
/// notebook agree.
public struct KolmogorovSmirnov: Equatable {
    /// The largest distance between the two empirical distribution functions.
    public let statistic: Double
    /// The probability of a distance at least this large if both samples came from one distribution.
    public let pValue: Double

    /// Tests two samples; `nil` when either is empty (there is no distribution to compare).
    public init?(_ first: [Double], _ second: [Double]) {
        guard !first.isEmpty, !second.isEmpty else { return nil }
        let a = first.sorted(), b = second.sorted()
        statistic = Self.distance(a, b)
        // Smirnov's limit: D over n = m * n / (m + n) points, rounded half to even as numpy does.
        let m = Double(max(a.count, b.count)), n = Double(min(a.count, b.count))
        let effective = (m * n / (m + n)).rounded(.toNearestOrEven)
        pValue = min(max(KolmogorovDistribution.survival(n: Int(effective), statistic), 0), 1)
    }

    /// sup |F_a - F_b| over every observed value, each ECDF taken right-continuous.
    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        let na = Double(a.count), nb = Double(b.count)
        var i = 0, j = 0
        var largest = 0.0
        while i < a.count || j < b.count {
            let value = j == b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
            while i < a.count, a[i] <= value { i += 1 }
            while j < b.count, b[j] <= value { j += 1 }
            largest = max(largest, abs(Double(i) / na - Double(j) / nb))
        }
        return largest
    }
}
