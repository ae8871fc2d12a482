import Foundation
import Warehouse

/// Builds `gold.price_forecasts`: for each series `gold.forecast_metrics` scored, the best
/// model refitted on all its bars forecasts the next horizon, with 80% and 95% intervals from
/// that model's backtest RMSE at each step ahead (normal quantiles 1.2816 and 1.96).
struct PriceForecastsBuilder {
    let context: BuildContext
    let sql: MartSQL
    /// The bar widths worked at.
    let frequencies: [ForecastFrequency]

    static let columns = ["exchange", "symbol", "frequency", "model", "parameters", "origin_ts", "step", "target_ts", "target",
                          "forecast", "lo80", "hi80", "lo95", "hi95"]

    func build() throws -> BuildOutcome {
        let database = try GoldDatabase.open(context)
        // Per series: the best model and its RMSE per step ahead.
        var chosen: [String: (model: ForecastModel, rmse: [Int: Double])] = [:]
        for row in try database.rows("SELECT exchange, symbol, frequency, model, horizon, rmse FROM forecast_metrics WHERE best = 1") {
            guard let model = ForecastModel(rawValue: row[3].string ?? ""), let step = row[4].int, let rmse = row[5].double else { continue }
            chosen["\(row[0].string ?? "")|\(row[1].string ?? "")|\(row[2].string ?? "")", default: (model, [:])].rmse[step] = rmse
        }
        let (rebuild, _) = sql.rebuild(parameters: [:])
        return try rebuild.build(in: database, columns: Self.columns, context: context) { add in
            for frequency in frequencies {
                try PriceBars.forEach(in: database, width: frequency.width, limit: frequency.limit) { bars in
                    guard let pick = chosen["\(bars.exchange)|\(bars.symbol)|\(frequency.name)"],
                          let fit = pick.model.forecast(bars.values, horizon: frequency.horizon, season: frequency.season) else { return }
                    for (index, value) in fit.values.enumerated() {
                        let step = index + 1, target = bars.lastEnd + Int64(step) * frequency.width
                        let spread = pick.rmse[step] ?? 0
                        try add([.text(bars.exchange), .text(bars.symbol), .text(frequency.name), .text(pick.model.rawValue), .text(fit.parameters),
                                 .integer(bars.lastEnd), .integer(Int64(step)), .integer(target), .text(ISO8601.format(Date(timeIntervalSince1970: Double(target) / 1000))),
                                 .real(value), .real(value - 1.2816 * spread), .real(value + 1.2816 * spread), .real(value - 1.96 * spread), .real(value + 1.96 * spread)])
                    }
                }
            }
        }
    }
}
