import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one-sided Smirnov statistic D+_n (scipy's `smirnov`): P(D+_n >= d) by the
/// Birnbaum-Tingey sum, whose terms are all positive, each taken in logarithms so that
/// neither the binomial coefficients nor the powers overflow for large n.
enum SmirnovDistribution {
    static func survival(n: Int, _ d: Double) -> Double {
        if d <= 0 { return 1 }
        if d >= 1 { return 0 }
        let size = Double(n)
        let last = Int((size * (1 - d)).rounded(.down))
        let logFactorial = Self.logGamma(size + 1)
        var sum = 0.0
        for v in 0...max(last, 0) {
            let j = Double(v)
            let remaining = 1 - d - j / size
            guard remaining > 0 || v == n else { continue }
            var logTerm = logFactorial - Self.logGamma(j + 1) - Self.logGamma(size - j + 1) + log(d) + (j - 1) * log(d + j / size)
            if v < n { logTerm += (size - j) * log(remaining) }
            sum += exp(logTerm)
        }
        return min(max(sum, 0), 1)
    }

    /// log(Gamma(x)), the C library's (Foundation's overload returns the sign as well).
    static func logGamma(_ x: Double) -> Double {
        #if canImport(Glibc)
        return Glibc.lgamma(x)
        #else
        return Darwin.lgamma(x)
        #endif
    }
}
