import Foundation
import Warehouse

/// The gold assets: marts in gold.sqlite, defined by the SQL files in `sql/`.
public enum GoldAssets {
    public static let coinDailyFeatures = AssetKey(.gold, "coin_daily_features")
    public static let cryptoAnalyticsMart = AssetKey(.gold, "crypto_analytics_mart")
    public static let marketSegmentAnalysis = AssetKey(.gold, "market_segment_analysis")
    public static let universeMembership = AssetKey(.gold, "universe_membership")
    public static let researchDataset = AssetKey(.gold, "research_dataset")
    public static let dashboardDataset = AssetKey(.gold, "dashboard_dataset")
    public static let stockFeatures = AssetKey(.gold, "stock_features")
    public static let featureDrift = AssetKey(.gold, "feature_drift")
    public static let exchangeKPIs = AssetKey(.gold, "exchange_kpis")
    public static let forecastMetrics = AssetKey(.gold, "forecast_metrics")
    public static let priceForecasts = AssetKey(.gold, "price_forecasts")
    public static let crossExchangeSpreads = AssetKey(.gold, "cross_exchange_spreads")

    /// The stock features watched for drift by `gold.feature_drift`.
    static let stockFeaturesMonitor = FeatureMonitor(asset: stockFeatures, dateColumn: "date", features: FeatureRow.columns)
    /// The assets whose features can be frozen as a baseline and are watched for drift.
    public static let monitors = [stockFeaturesMonitor]

    /// Brings an existing gold.sqlite's bookkeeping tables up to this version's schema, so a
    /// reader that only reads finds them; no mart is rebuilt.
    public static func upgrade(_ layout: WarehouseLayout) throws {
        guard FileManager.default.fileExists(atPath: layout.goldDatabase.path) else { return }
        let database = try GoldDatabase.open(layout: layout)
        try MaterializationLog.prepare(database)
    }

    /// The analysts' views in gold.sqlite (`sql/views.sql`), name -> description from its
    /// `-- view NAME: description` comments.
    public static var views: [String: String] {
        guard let file = try? MartSQL.load("views", environment: [:]) else { return [:] }
        var views: [String: String] = [:]
        for line in file.text.split(separator: "\n") where line.hasPrefix("-- view ") {
            let rest = line.dropFirst("-- view ".count)
            guard let colon = rest.firstIndex(of: ":") else { continue }
            views[String(rest[..<colon])] = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return views
    }

    /// Bumped when the Swift side of a mart changes (the SQL side versions itself).
    static let codeVersion = "gold-1"

    /// Every gold asset: the marts Swift builds, then the models (`sql/` and `ROOT/models/`),
    /// each model checked against `upstreams` (every silver asset, with its columns) and the
    /// rest of gold before anything runs.
    /// - Parameters:
    ///   - root: the root whose `models/` folder adds models; nil for the built-in ones only.
    ///   - environment: for `WAREHOUSE_SQL_DIR`.
    /// - Throws: `GoldError.missingSQL` when a mart's SQL file cannot be read; `DeclarationError`
    ///   naming the file and line of a model that cannot be used.
    public static func specs(settings: WarehouseSettings, root: URL? = nil, upstreams: [AssetSpec],
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [AssetSpec] {
        let swift = try swiftSpecs(settings: settings)
        let models = try ModelCatalog.models(root: root, settings: settings, environment: environment)
        let columns = try ModelValidator(tables: upstreams + swift).validate(models)
        return swift + models.map { $0.spec(columns: columns[$0.key] ?? [:]) }
    }

    /// The marts Swift builds (features and drift), whose SQL files hold no asset header.
    static func swiftSpecs(settings: WarehouseSettings) throws -> [AssetSpec] {
        let features = try MartSQL.load("coin_daily_features")
        let stocks = try MartSQL.load("stock_features")
        let drift = try MartSQL.load("feature_drift")
        let kpis = try MartSQL.load("exchange_kpis")
        let spreads = try MartSQL.load("cross_exchange_spreads")
        let metrics = try MartSQL.load("forecast_metrics")
        let forecasts = try MartSQL.load("price_forecasts")
        let bars = ForecastFrequency.all(settings.forecastBars)
        let barsVersion = "+bars:" + bars.map(\.name).joined(separator: ",")
        return [
            AssetSpec(key: forecastMetrics, upstreams: [AssetKey(.silver, "exchange_ticks")], tags: ["crypto", "exchanges", "forecasts"],
                      summary: "Per exchange, symbol and bar frequency (\(bars.map(\.name).joined(separator: ", "))): naive, seasonal naive, SES, Holt and AR(2) backtested at rolling origins, MAE, RMSE and MAPE per step ahead, the best model marked",
                      columns: GoldColumns.forecastMetrics, version: "\(codeVersion)+\(metrics.version)+models1" + barsVersion,
                      checks: [AssetCheck("one_best_per_series", .sql("SELECT exchange, symbol, frequency FROM {{table}} GROUP BY exchange, symbol, frequency HAVING count(DISTINCT CASE WHEN best = 1 THEN model END) <> 1")),
                               AssetCheck("errors_not_negative", .range(column: "mae", min: 0, max: nil))],
                      source: metrics.path,
                      build: { try ForecastMetricsBuilder(context: $0, sql: metrics, frequencies: bars).build() }),
            AssetSpec(key: priceForecasts, upstreams: [AssetKey(.silver, "exchange_ticks"), forecastMetrics], tags: ["crypto", "exchanges", "forecasts"],
                      summary: "Per exchange, symbol and bar frequency: the next mids from the best backtested model, with 80% and 95% intervals",
                      columns: GoldColumns.priceForecasts, version: "\(codeVersion)+\(forecasts.version)+models1" + barsVersion,
                      checks: [AssetCheck("interval_ordered", .sql("SELECT exchange, symbol, frequency, step FROM {{table}} WHERE NOT (lo95 <= lo80 AND lo80 <= forecast AND forecast <= hi80 AND hi80 <= hi95)"))],
                      source: forecasts.path,
                      build: { try PriceForecastsBuilder(context: $0, sql: forecasts, frequencies: bars).build() }),
            AssetSpec(key: crossExchangeSpreads, upstreams: [AssetKey(.silver, "exchange_ticks")], tags: ["crypto", "exchanges"],
                      summary: "Per symbol, the venues' mids on a 1 s and a 1 min grid (as-of, at most \(settings.spreadStalenessSeconds) s old) with the highest and lowest venue and the spread between them",
                      columns: GoldColumns.crossExchangeSpreads, version: "\(codeVersion)+\(spreads.version)+asof1+stale\(settings.spreadStalenessSeconds)",
                      checks: [AssetCheck("spread_not_negative", .range(column: "spread_abs", min: 0, max: nil)),
                               AssetCheck("venues_compared", .sql("SELECT symbol, grid, bucket_end FROM {{table}} WHERE (venues >= 2) <> (spread_abs IS NOT NULL)"))],
                      source: spreads.path,
                      build: { try CrossExchangeSpreadsBuilder(context: $0, sql: spreads, staleness: Int64((settings.spreadStalenessSeconds * 1000).rounded())).build() }),
            AssetSpec(key: exchangeKPIs, upstreams: [AssetKey(.silver, "exchange_ticks"), AssetKey(.silver, "exchange_connections")], tags: ["crypto", "exchanges"],
                      summary: "Per exchange, symbol and UTC day: stream messages, updates per minute, inter-arrival and latency percentiles, round trips to the venue's server time (the latency estimate), disconnects, reconnects, downtime and the share of the day covered",
                      columns: GoldColumns.exchangeKPIs, version: "\(codeVersion)+\(kpis.version)",
                      checks: [AssetCheck("share_0_1", .range(column: "share_covered", min: 0, max: 1)),
                               AssetCheck("latency_not_negative", .range(column: "latency_min_ms", min: 0, max: nil), severity: .warn)],
                      source: kpis.path,
                      build: { try ExchangeKPIsBuilder(context: $0, sql: kpis).build() }),
            AssetSpec(key: stockFeatures, upstreams: [AssetKey(.silver, "stock_prices"), AssetKey(.silver, "fx_rates")], tags: ["stocks", "features"],
                      summary: "Daily close in USD and INR per ticker with return, SMA 20/50, RSI 14, MACD and 20-day volatility on the INR close; exports/features_dataset.parquet",
                      columns: GoldColumns.stockFeatures,
                      version: "\(codeVersion)+\(stocks.version)+fx2",
                      checks: [AssetCheck("rate_positive", .range(column: "usd_inr_rate", min: 0, max: nil)),
                               AssetCheck("rsi_0_100", .range(column: "rsi_14", min: 0, max: 100)),
                               AssetCheck("convertible_currency", .sql(StockFeaturesBuilder.convertibleCurrencySQL), severity: .warn)],
                      exports: ["features_dataset.parquet"], source: stocks.path,
                      build: { try StockFeaturesBuilder(context: $0, sql: stocks).build() }),
            AssetSpec(key: featureDrift, upstreams: [stockFeatures], tags: ["stocks", "features", "drift"],
                      summary: "Per run and feature: KS statistic and p-value of stock_features' newest \(settings.driftWindowDays) trading days against the baseline; drifted when p < \(settings.driftAlpha)",
                      columns: GoldColumns.featureDrift,
                      version: "\(codeVersion)+\(drift.version)+alpha\(settings.driftAlpha)",
                      inputs: { ["baseline": try FeatureBaseline.list(layout: $0.layout).first { $0.asset == stockFeatures }?.id ?? "none"] },
                      checks: [AssetCheck("baseline_exists", .sql("SELECT 'warehouse baseline create \(stockFeatures)' AS fix WHERE NOT EXISTS (SELECT 1 FROM _baselines WHERE asset = '\(stockFeatures)')"), severity: .warn),
                               AssetCheck("no_drift", .sql("SELECT feature, ks_stat, p_value FROM {{table}} WHERE drifted = 1 AND sequence = (SELECT max(sequence) FROM {{table}}) ORDER BY feature"), severity: .warn),
                               AssetCheck("p_value_0_1", .range(column: "p_value", min: 0, max: 1))],
                      runsWithUpstreams: true, source: drift.path,
                      build: { try FeatureDriftBuilder(context: $0, sql: drift, monitor: stockFeaturesMonitor, alpha: settings.driftAlpha).build() }),
            AssetSpec(key: coinDailyFeatures, upstreams: [AssetKey(.silver, "coin_prices")], tags: ["crypto", "features"],
                      summary: "Daily OHLC bars per coin with return, SMA 20/50, RSI 14, MACD and 20-day volatility",
                      columns: GoldColumns.coinDailyFeatures,
                      version: "\(codeVersion)+\(features.version)",
                      checks: [AssetCheck("ohlc_rules", .ohlc(key: ["coin_id", "date"], volume: "volume")),
                               AssetCheck("rsi_0_100", .range(column: "rsi_14", min: 0, max: 100))],
                      source: features.path, changes: ChangeScope(entity: "coin_id", since: "date", unit: .day),
                      build: { try CoinDailyFeaturesBuilder(context: $0, sql: features).build() }),
        ]
    }
}
