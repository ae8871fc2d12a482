import Foundation

/// The forecasting models `gold.forecast_metrics` backtests and `gold.price_forecasts` uses,
/// each fitted on a series alone and deterministic: smoothing weights are chosen from a fixed
/// grid by the smallest in-sample sum of squared one-step errors, AR coefficients by ordinary
/// least squares. Initial states follow statsmodels' "known" initialization (level y0, trend
/// y1 - y0), so its fits are the test's oracle.
enum ForecastModel: String, CaseIterable, Sendable {
    case naive
    case seasonalNaive = "seasonal_naive"
    case ses
    case holt
    case ar

    /// The smoothing weights tried: 0.1, 0.2, ..., 0.9.
    static let grid = (1...9).map { Double($0) / 10 }
    /// The AR model's order.
    static let arOrder = 2

    /// The fewest observations a fit needs.
    func minimumLength(season: Int) -> Int {
        switch self {
        case .naive: return 1
        case .seasonalNaive: return season
        case .ses: return 2
        case .holt: return 3
        case .ar: return 3 * Self.arOrder + 2
        }
    }

    /// A fit on `series` and its forecast of the next `horizon` values, with the parameters
    /// chosen (as text, e.g. `alpha=0.3`); nil when the series is too short.
    func forecast(_ series: [Double], horizon: Int, season: Int) -> (values: [Double], parameters: String)? {
        guard series.count >= minimumLength(season: season), horizon > 0 else { return nil }
        switch self {
        case .naive:
            return ([Double](repeating: series[series.count - 1], count: horizon), "")
        case .seasonalNaive:
            let last = series.suffix(season)
            return ((0..<horizon).map { last[last.startIndex + $0 % season] }, "m=\(season)")
        case .ses:
            let alpha = Self.grid.min { Self.ses(series, $0).sse < Self.ses(series, $1).sse }!
            return ([Double](repeating: Self.ses(series, alpha).level, count: horizon), "alpha=\(alpha)")
        case .holt:
            var best = (alpha: 0.0, beta: 0.0, sse: Double.infinity)
            for alpha in Self.grid {
                for beta in Self.grid {
                    let sse = Self.holt(series, alpha, beta).sse
                    if sse < best.sse { best = (alpha, beta, sse) }
                }
            }
            let fit = Self.holt(series, best.alpha, best.beta)
            return ((1...horizon).map { fit.level + Double($0) * fit.trend }, "alpha=\(best.alpha),beta=\(best.beta)")
        case .ar:
            guard let coefficients = Self.autoregression(series, order: Self.arOrder) else { return nil }
            var history = Array(series.suffix(Self.arOrder))
            var values: [Double] = []
            for _ in 0..<horizon {
                var next = coefficients[0]
                for lag in 1...Self.arOrder { next += coefficients[lag] * history[history.count - lag] }
                values.append(next)
                history.append(next)
            }
            return (values, "c=\(coefficients[0])," + (1...Self.arOrder).map { "phi\($0)=\(coefficients[$0])" }.joined(separator: ","))
        }
    }

    /// Simple exponential smoothing from level y0: the last level and the in-sample SSE.
    static func ses(_ y: [Double], _ alpha: Double) -> (level: Double, sse: Double) {
        var level = y[0], sse = 0.0
        for value in y.dropFirst() {
            let error = value - level
            sse += error * error
            level += alpha * error
        }
        return (level, sse)
    }

    /// Holt's linear trend from level y0 and trend y1 - y0: the last level and trend, and the SSE.
    static func holt(_ y: [Double], _ alpha: Double, _ beta: Double) -> (level: Double, trend: Double, sse: Double) {
        var level = y[0], trend = y[1] - y[0], sse = 0.0
        for value in y.dropFirst() {
            let predicted = level + trend
            let error = value - predicted
            sse += error * error
            let previous = level
            level = predicted + alpha * error
            trend = beta * (level - previous) + (1 - beta) * trend
        }
        return (level, trend, sse)
    }

    /// y_t = c + phi_1 y_(t-1) + ... + phi_p y_(t-p) by least squares: [c, phi_1, ..., phi_p],
    /// nil when the lags are collinear (a constant series). Solved on the centred series, which
    /// gives the same fit and keeps the normal equations well conditioned at price levels.
    static func autoregression(_ y: [Double], order p: Int) -> [Double]? {
        let mean = y.reduce(0, +) / Double(y.count)
        let z = y.map { $0 - mean }
        let k = p + 1
        var a = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
        for t in p..<z.count {
            var row = [1.0]
            for lag in 1...p { row.append(z[t - lag]) }
            for i in 0..<k {
                for j in 0..<k { a[i][j] += row[i] * row[j] }
                a[i][k] += row[i] * z[t]
            }
        }
        // Gaussian elimination with partial pivoting.
        for column in 0..<k {
            let pivot = (column..<k).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            guard abs(a[pivot][column]) > 1e-12 * max(1, abs(a[0][0])) else { return nil }
            a.swapAt(column, pivot)
            for row in 0..<k where row != column {
                let factor = a[row][column] / a[column][column]
                for j in column...k { a[row][j] -= factor * a[column][j] }
            }
        }
        let solution = (0..<k).map { a[$0][k] / a[$0][$0] }
        // Back to levels: z = y - mean, so c = c_z + mean * (1 - sum phi).
        let phis = Array(solution.dropFirst())
        return [solution[0] + mean * (1 - phis.reduce(0, +))] + phis
    }
}
