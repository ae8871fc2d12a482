import Warehouse

/// A bar width forecasts are made at (`exchanges.forecast_bars`), with its horizon, season and history.
struct ForecastFrequency: Sendable, Equatable {
    /// `10s`, `1m`, `1h` as configured: the `frequency` column.
    let name: String
    let width: Int64
    /// Steps forecast ahead (and backtested): 10 for minute bars, 6 for others (a minute of
    /// 10-second bars, six hours of hourly ones).
    let horizon: Int
    /// A day of bars: the seasonal naive model's period.
    let season: Int
    /// The newest bars a series is fitted on: 2,000, or 1,000 of bars an hour or wider.
    let limit: Int

    /// The frequency of a configured width (`WarehouseSettings.duration` reads it); nil when it
    /// is not one (settings refuse those before a run).
    init?(_ name: String) {
        guard let seconds = WarehouseSettings.duration(name), seconds <= 86_400 else { return nil }
        self.name = name
        width = Int64(seconds) * 1000
        horizon = seconds >= 60 && seconds < 3600 ? 10 : 6
        season = max(1, 86_400 / seconds)
        limit = seconds >= 3600 ? 1_000 : 2_000
    }

    /// The configured frequencies, narrowest first.
    static func all(_ names: [String]) -> [ForecastFrequency] { names.compactMap(ForecastFrequency.init).sorted { $0.width < $1.width } }

    /// Five rolling origins, each training series at least 20 bars.
    var backtest: Backtest { Backtest(horizon: horizon, origins: 5, season: season, minimumTraining: 20) }
}
