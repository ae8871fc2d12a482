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

    /// - Throws: `GoldError.missingSQL` when a mart's SQL file cannot be read.
    public static func specs(settings: WarehouseSettings) throws -> [AssetSpec] {
        let features = try MartSQL.load("coin_daily_features")
        let analytics = try MartSQL.load("crypto_analytics_mart")
        let segments = try MartSQL.load("market_segment_analysis")
        let universe = try MartSQL.load("universe_membership")
        let research = try MartSQL.load("research_dataset")
        let dashboard = try MartSQL.load("dashboard_dataset")
        let stocks = try MartSQL.load("stock_features")
        let drift = try MartSQL.load("feature_drift")
        return [
            AssetSpec(key: stockFeatures, upstreams: [AssetKey(.silver, "stock_prices"), AssetKey(.silver, "fx_rates")], tags: ["stocks", "features"],
                      summary: "Daily close in USD and INR per ticker with return, SMA 20/50, RSI 14, MACD and 20-day volatility on the INR close; exports/features_dataset.parquet",
                      columns: GoldColumns.stockFeatures,
                      version: "\(codeVersion)+\(stocks.version)+fx2",
                      checks: [AssetCheck("rate_positive", .range(column: "usd_inr_rate", min: 0, max: nil)),
                               AssetCheck("rsi_0_100", .range(column: "rsi_14", min: 0, max: 100)),
                               AssetCheck("convertible_currency", .sql(StockFeaturesBuilder.convertibleCurrencySQL), severity: .warn)],
                      exports: ["features_dataset.parquet"],
                      build: { try StockFeaturesBuilder(context: $0, sql: stocks).build() }),
            AssetSpec(key: featureDrift, upstreams: [stockFeatures], tags: ["stocks", "features", "drift"],
                      summary: "Per run and feature: KS statistic and p-value of stock_features' newest \(settings.driftWindowDays) trading days against the baseline; drifted when p < \(settings.driftAlpha)",
                      columns: GoldColumns.featureDrift,
                      version: "\(codeVersion)+\(drift.version)+alpha\(settings.driftAlpha)",
                      inputs: { ["baseline": try FeatureBaseline.list(layout: $0.layout).first { $0.asset == stockFeatures }?.id ?? "none"] },
                      checks: [AssetCheck("baseline_exists", .sql("SELECT 'warehouse baseline create \(stockFeatures)' AS fix WHERE NOT EXISTS (SELECT 1 FROM _baselines WHERE asset = '\(stockFeatures)')"), severity: .warn),
                               AssetCheck("no_drift", .sql("SELECT feature, ks_stat, p_value FROM {{table}} WHERE drifted = 1 AND sequence = (SELECT max(sequence) FROM {{table}}) ORDER BY feature"), severity: .warn),
                               AssetCheck("p_value_0_1", .range(column: "p_value", min: 0, max: 1))],
                      runsWithUpstreams: true,
                      build: { try FeatureDriftBuilder(context: $0, sql: drift, monitor: stockFeaturesMonitor, alpha: settings.driftAlpha).build() }),
            AssetSpec(key: coinDailyFeatures, upstreams: [AssetKey(.silver, "coin_prices")], tags: ["crypto", "features"],
                      summary: "Daily OHLC bars per coin with return, SMA 20/50, RSI 14, MACD and 20-day volatility",
                      columns: GoldColumns.coinDailyFeatures,
                      version: "\(codeVersion)+\(features.version)",
                      checks: [AssetCheck("ohlc_rules", .ohlc(key: ["coin_id", "date"], volume: "volume")),
                               AssetCheck("rsi_0_100", .range(column: "rsi_14", min: 0, max: 100))],
                      build: { try CoinDailyFeaturesBuilder(context: $0, sql: features).build() }),
            AssetSpec(key: cryptoAnalyticsMart, upstreams: [AssetKey(.silver, "coin_markets"), coinDailyFeatures], tags: ["crypto", "analytics"],
                      summary: "Top \(settings.martTopN) coins now: price, market cap, category, 24h/7d change, 30-day volatility, rank",
                      columns: GoldColumns.cryptoAnalyticsMart,
                      version: "\(codeVersion)+\(analytics.version)+top\(settings.martTopN)",
                      checks: [AssetCheck("top_n_rows", .rowCount(min: 1, max: settings.martTopN)),
                               AssetCheck("known_category", .acceptedValues(column: "market_cap_category", values: ["Large Cap", "Mid Cap", "Small Cap", "Micro Cap"])),
                               AssetCheck("coin_in_markets", .relationship(column: "coin_id", table: "silver.coin_markets", toColumn: "coin_id"))],
                      build: { try SQLMartBuilder(context: $0, sql: analytics, parameters: ["top_n": "\(settings.martTopN)"]).build() }),
            AssetSpec(key: marketSegmentAnalysis, upstreams: [cryptoAnalyticsMart], tags: ["crypto", "analytics"],
                      summary: "Aggregates of the analytics mart per market-cap category",
                      columns: GoldColumns.marketSegmentAnalysis,
                      version: "\(codeVersion)+\(segments.version)",
                      checks: [AssetCheck("shares_sum_to_100", .sql("SELECT total FROM (SELECT sum(market_share_pct) AS total FROM {{table}}) WHERE abs(total - 100) > 1e-6"))],
                      build: { try SQLMartBuilder(context: $0, sql: segments, parameters: [:]).build() }),
            AssetSpec(key: universeMembership, upstreams: [coinDailyFeatures], tags: ["crypto", "research"],
                      summary: "Point-in-time Top-\(settings.researchTopN) universe per date, dead coins included",
                      columns: GoldColumns.universeMembership,
                      version: "\(codeVersion)+\(universe.version)+top\(settings.researchTopN)",
                      checks: [AssetCheck("rank_within_n", .range(column: "rank", min: 1, max: Double(settings.researchTopN))),
                               AssetCheck("market_cap_positive", .range(column: "market_cap", min: 0, max: nil))],
                      build: { try SQLMartBuilder(context: $0, sql: universe, parameters: ["top_n": "\(settings.researchTopN)"]).build() }),
            AssetSpec(key: researchDataset, upstreams: [universeMembership, coinDailyFeatures], tags: ["crypto", "research"],
                      summary: "Survivorship-bias-free research rows with forward returns; exports/crypto_market_data.parquet",
                      columns: GoldColumns.researchDataset,
                      version: "\(codeVersion)+\(research.version)",
                      checks: [AssetCheck("member_of_universe", .sql("SELECT r.date, r.coin_id FROM {{table}} AS r LEFT JOIN universe_membership AS u USING (date, coin_id) WHERE u.coin_id IS NULL"))],
                      exports: ["crypto_market_data.parquet"],
                      build: { try SQLMartBuilder(context: $0, sql: research, parameters: [:]).build() }),
            AssetSpec(key: dashboardDataset,
                      upstreams: [coinDailyFeatures] + ["coin_markets", "asset_map", "chain_tvl", "protocol_tvl", "dex_volume", "social_metrics"].map { AssetKey(.silver, $0) },
                      tags: ["crypto", "dashboard"],
                      summary: "Current Top-\(settings.dashboardTopN) canonical assets with history, TVL, DEX volume and social scores",
                      columns: GoldColumns.dashboardDataset,
                      version: "\(codeVersion)+\(dashboard.version)+top\(settings.dashboardTopN)",
                      checks: [AssetCheck("only_canonical_assets", .sql("SELECT DISTINCT d.canonical_id FROM {{table}} AS d JOIN silver.asset_map AS m ON m.coin_id = d.canonical_id WHERE m.is_native = 0")),
                               AssetCheck("at_most_top_n_assets", .sql("SELECT n FROM (SELECT count(DISTINCT canonical_id) AS n FROM {{table}}) WHERE n > \(settings.dashboardTopN)"))],
                      exports: ["dashboard_data.parquet", "user_facing_data.parquet"],
                      build: { try SQLMartBuilder(context: $0, sql: dashboard, parameters: ["top_n": "\(settings.dashboardTopN)"]).build() }),
        ]
    }
}
