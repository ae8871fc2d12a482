/// A rolling-origin backtest: the series is cut at `origins` points, each `horizon` after the
/// previous and the last `horizon` before the end; at each cut a model is fitted on what came
/// before and forecasts the next `horizon` values, and the errors per step ahead are averaged.
struct Backtest: Sendable {
    /// Errors of one model at one step ahead, over the origins.
    struct Score: Equatable, Sendable {
        let horizon: Int
        let origins: Int
        let mae: Double
        let rmse: Double
        /// Mean absolute percentage error, in percent.
        let mape: Double
    }

    let horizon: Int
    let origins: Int
    let season: Int
    /// The shortest training series an origin may leave.
    let minimumTraining: Int

    /// The cuts: indexes where each test window starts, oldest first; fewer than asked when the
    /// series is short, none when even two do not fit.
    func cuts(count: Int) -> [Int] {
        let available = (count - minimumTraining) / horizon
        let used = min(origins, available)
        guard used >= 2 else { return [] }
        return (1...used).reversed().map { count - $0 * horizon }
    }

    /// The model's score per step ahead (1...horizon), nil when it cannot be fitted at every cut.
    func scores(of model: ForecastModel, on series: [Double]) -> [Score]? {
        let cuts = self.cuts(count: series.count)
        guard !cuts.isEmpty else { return nil }
        var absolute = [[Double]](repeating: [], count: horizon), percentage = absolute
        for cut in cuts {
            guard let forecast = model.forecast(Array(series[..<cut]), horizon: horizon, season: season) else { return nil }
            for step in 0..<horizon {
                let actual = series[cut + step]
                absolute[step].append(abs(actual - forecast.values[step]))
                percentage[step].append(abs(actual - forecast.values[step]) / abs(actual) * 100)
            }
        }
        return (0..<horizon).map { step in
            let n = Double(cuts.count)
            return Score(horizon: step + 1, origins: cuts.count, mae: absolute[step].reduce(0, +) / n,
                         rmse: (absolute[step].map { $0 * $0 }.reduce(0, +) / n).squareRoot(), mape: percentage[step].reduce(0, +) / n)
        }
    }
}
