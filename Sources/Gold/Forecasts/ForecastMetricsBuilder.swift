import Foundation
import Warehouse

/// Builds `gold.forecast_metrics`: every model's rolling-origin backtest per exchange, symbol
/// and bar frequency, and which model is best by MAE averaged over the steps ahead. A series
/// too short for two origins has no rows; a model that cannot fit at every origin (the
/// seasonal naive without a day of bars) is left out of its series.
struct ForecastMetricsBuilder {
    let context: BuildContext
    let sql: MartSQL
    /// The bar widths worked at.
    let frequencies: [ForecastFrequency]

    static let columns = ["exchange", "symbol", "frequency", "model", "horizon", "origins", "mae", "rmse", "mape", "mean_mae", "best", "bars", "last_bar_end_ts"]

    func build() throws -> BuildOutcome {
        let database = try GoldDatabase.open(context)
        let (rebuild, _) = sql.rebuild(parameters: [:])
        return try rebuild.build(in: database, columns: Self.columns, context: context) { add in
            for frequency in frequencies {
                try PriceBars.forEach(in: database, width: frequency.width, limit: frequency.limit) { bars in
                    let scored = Self.scores(bars.values, frequency.backtest)
                    let best = Self.best(scored)
                    for (model, scores) in scored {
                        let mean = scores.map(\.mae).reduce(0, +) / Double(scores.count)
                        for score in scores {
                            try add([.text(bars.exchange), .text(bars.symbol), .text(frequency.name), .text(model.rawValue), .integer(Int64(score.horizon)),
                                     .integer(Int64(score.origins)), .real(score.mae), .real(score.rmse), .real(score.mape), .real(mean),
                                     .integer(model == best ? 1 : 0), .integer(Int64(bars.values.count)), .integer(bars.lastEnd)])
                        }
                    }
                }
            }
        }
    }

    /// Each model that fits at every origin with its scores, in `ForecastModel` order.
    static func scores(_ values: [Double], _ backtest: Backtest) -> [(ForecastModel, [Backtest.Score])] {
        ForecastModel.allCases.compactMap { model in backtest.scores(of: model, on: values).map { (model, $0) } }
    }

    /// The model with the lowest MAE averaged over the steps (the first on a tie).
    static func best(_ scored: [(ForecastModel, [Backtest.Score])]) -> ForecastModel? {
        var best: (ForecastModel, Double)?
        for (model, scores) in scored {
            let mean = scores.map(\.mae).reduce(0, +) / Double(scores.count)
            if best == nil || mean < best!.1 { best = (model, mean) }
        }
        return best?.0
    }
}
