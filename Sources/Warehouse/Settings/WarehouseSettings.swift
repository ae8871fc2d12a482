import Foundation

/// What a run fetches and how hard it may hit the APIs. Layered: built-in defaults, then
/// `warehouse.toml` at the root, then environment variables (and `.env`). Every default suits
/// the built-in emulator.
public struct WarehouseSettings: Sendable, Equatable {
    // CoinGecko
    /// Coins taken from /coins/markets (top N by market cap) and fetched with full history.
    public var universeSize = 300
    /// Days of hourly history fetched per coin when no partition is given.
    public var historyDays = 730
    /// Whether coins that died (`status=inactive`) are fetched too (survivorship-bias-free research).
    public var includeInactive = true
    /// Coins (top of the universe) whose OHLC candles are fetched, and over how many days.
    public var ohlcCoins = 50
    public var ohlcDays = 30
    /// Size of the analytics mart.
    public var martTopN = 50
    /// Size of the point-in-time research universe.
    public var researchTopN = 200
    /// Canonical assets in the dashboard dataset.
    public var dashboardTopN = 50

    // Stocks and FX (Yahoo Finance)
    public var tickers = ["AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "JPM", "RELIANCE.NS", "TCS.NS", "INFY.NS", "HDFCBANK.NS"]
    public var fxTickers = ["USDINR=X"]
    public var stockHistoryDays = 730
    /// Robust z-score of a daily return above which a bar is flagged `outlier` in silver.stock_prices.
    public var outlierThreshold = 5.0
    /// Feature drift: a feature has drifted when its KS p-value against the baseline is below alpha.
    public var driftAlpha = 0.05
    /// Trading days in a drift window: the baseline freezes the newest ones, each run compares its newest ones.
    public var driftWindowDays = 60

    // DeFi Llama
    public var chains = ["Ethereum", "Solana", "BSC", "Tron", "Arbitrum", "Avalanche", "Polygon"]
    public var protocols = ["aave", "uniswap", "lido", "makerdao", "curve-dex", "pancakeswap"]
    public var dexes = ["uniswap", "pancakeswap", "curve-dex", "raydium"]

    // LunarCrush
    /// Coins (top of the universe) whose social metrics are fetched, and over how many days.
    public var socialCoins = 30
    public var socialDays = 365

    // Exchanges
    public var exchanges = ["binance", "kraken", "coinbase"]
    public var exchangeSymbols = ["BTC/USDT", "ETH/USDT", "SOL/USDT", "BTC/USD", "ETH/USD", "SOL/USD"]
    /// Quotes counted as another in unified symbols (`USDT=USD`: a BTC/USDT ticker is BTC/USD
    /// in `silver.exchange_ticks`, its `quote` column still USDT); none by default, so USD and
    /// USDT stay distinct.
    public var quoteAs: [String] = []
    /// `quoteAs` read as quote -> the quote it counts as.
    public var quoteAliases: [String: String] {
        Dictionary(quoteAs.compactMap { item -> (String, String)? in
            let sides = item.uppercased().split(separator: "=").map(String.init)
            return sides.count == 2 ? (sides[0], sides[1]) : nil
        }, uniquingKeysWith: { $1 })
    }
    /// The bar widths `gold.forecast_metrics` and `gold.price_forecasts` work at (`10s`, `1m`,
    /// `1h`; each whole seconds from 1 s to a day): 10-second bars give forecasts after minutes
    /// of collection, hourly ones after days.
    public var forecastBars = ["10s", "1m", "1h"]
    /// A ticker poll is reused for this long; `--refresh` polls again.
    public var tickerPollSeconds = 86_400
    /// How old a venue's last mid may be at a grid bucket's end and still count in
    /// `gold.cross_exchange_spreads`; older, the venue is left out of that bucket.
    public var spreadStalenessSeconds = 10.0
    /// A pause in a venue's stream longer than this many times its typical (median) inter-arrival
    /// that day is a gap in `silver.exchange_gaps`.
    public var gapFactor = 5.0
    /// A tick whose log return has a robust z-score beyond this is an outlier (`silver.exchange_outliers`).
    public var outlierZ = 10.0
    /// A tick whose mid is further than this share from the venues' median at that moment is an outlier.
    public var outlierDeviation = 0.01

    /// The jobs `warehouse schedule run` starts (`[[schedules]]`; `Schedule.defaults` when none is declared).
    public var schedules = Schedule.defaults

    /// Where runs' failures, warnings and drift are sent (`[[alerts]]`).
    public var alerts: [AlertTarget] = []

    /// Freshness set per bronze dataset (`[freshness]`); the rest use `defaultFreshness`.
    public var freshnessOverrides: [String: Int] = [:]

    /// The team's shared raw cache (`[raw.remote]`), nil when raw snapshots stay on this machine.
    public var rawRemote: RawRemote?

    /// The PostgreSQL database every materialized silver and gold table is published to
    /// (`[targets.postgres]`), nil when the marts stay in SQLite alone.
    public var postgres: PostgresTarget?

    /// The Parquet lake kept in step with gold (`[lake]`), nil when there is none.
    public var lake: LakeSettings?

    // Fetching
    public var fetchConcurrency = 4
    /// Requests per second per source; a source without an entry uses its API's published limit.
    public var rateLimits: [String: Double] = [:]
    /// First retry delay in seconds (doubling, with jitter).
    public var retryBaseSeconds = 0.2

    public init() {}

    /// The settings of a root: defaults, then `ROOT/warehouse.toml` if present, then the environment.
    /// - Throws: `ConfigurationError` naming the file line or variable that is wrong.
    public static func load(root: URL, environment: [String: String]) throws -> WarehouseSettings {
        var settings = WarehouseSettings()
        let file = root.appendingPathComponent("warehouse.toml")
        if let text = try SettingsFile.text(of: file) {
            try settings.apply(toml: text, source: file.path)
        }
        try settings.apply(environment: environment)
        return settings
    }
}
