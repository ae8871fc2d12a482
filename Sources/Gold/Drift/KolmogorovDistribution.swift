import Foundation

/// The distribution of the two-sided one-sample Kolmogorov statistic D_n for finite n
/// (scipy's `kstwo`), computed with the same choice of method per region as scipy
/// (Simard and L'Ecuyer 2011), so p-values agree with scipy's to far better than 1e-6.
enum KolmogorovDistribution {
    /// P(D_n >= d).
    static func survival(n: Int, _ d: Double) -> Double {
        guard n > 0, !d.isNaN else { return .nan }
        if d >= 1 { return 0 }
        if d <= 0 { return 1 }
        let size = Double(n)
        let t = size * d
        if t <= 1 {
            // Ruben and Gambino: exact for 1/2n <= d <= 1/n.
            if t <= 0.5 { return 1 }
            let cdf = n <= 140
                ? (1...n).reduce(1.0) { $0 * (Double($1) * (1 / size) * (2 * t - 1)) }
                : exp(logFactorialOverPower(n) + size * log(2 * t - 1))
            return clip(1 - cdf)
        }
        if t >= size - 1 { return clip(2 * pow(1 - d, size)) }
        if d >= 0.5 { return clip(2 * SmirnovDistribution.survival(n: n, d)) }
        let nx2 = t * d
        if n <= 140 {
            if nx2 <= 0.754693 { return clip(1 - durbin(n: n, d)) }
            if nx2 <= 4 { return clip(1 - pomeranz(n: n, d)) }
            return clip(2 * SmirnovDistribution.survival(n: n, d))
        }
        if nx2 >= 370 { return 0 }
        if nx2 >= 2.2 { return clip(2 * SmirnovDistribution.survival(n: n, d)) }
        let cdf = n <= 100_000 && size * pow(d, 1.5) <= 1.4 ? durbin(n: n, d) : pelzGood(n: n, d)
        return clip(1 - cdf)
    }

    /// log(n! / n^n) by Stirling's series.
    static func logFactorialOverPower(_ n: Int) -> Double {
        let coefficients = [-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
                            8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
                            -2.7777777777777777778e-3, 8.3333333333333333333e-2]
        let reciprocal = 1 / Double(n)
        let series = coefficients.reduce(0.0) { $0 * (reciprocal / Double(n)) + $1 }
        return log(Double(n)) / 2 - Double(n) + log(2 * Double.pi) / 2 + reciprocal * series
    }

    static func clip(_ p: Double) -> Double { min(max(p, 0), 1) }

    /// 2^128 and 2^-128: the rescaling steps that keep long products inside a Double's range.
    static let scaleUp = 0x1p128
    static let scaleDown = 0x1p-128
}
