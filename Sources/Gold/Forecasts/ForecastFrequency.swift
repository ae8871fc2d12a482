/// The bar widths forecasts are made at, each with its horizon, season and history.
struct ForecastFrequency: Sendable {
    /// `1m` or `1h`, the `frequency` column.
    let name: String
    let width: Int64
    /// Steps forecast ahead (and backtested).
    let horizon: Int
    /// A day of bars: the seasonal naive model's period.
    let season: Int
    /// The newest bars a series is fitted on.
    let limit: Int

    static let all = [
        ForecastFrequency(name: "1m", width: 60_000, horizon: 10, season: 1_440, limit: 2_000),
        ForecastFrequency(name: "1h", width: 3_600_000, horizon: 6, season: 24, limit: 1_000),
    ]

    /// Five rolling origins, each training series at least 20 bars.
    var backtest: Backtest { Backtest(horizon: horizon, origins: 5, season: season, minimumTraining: 20) }
}
