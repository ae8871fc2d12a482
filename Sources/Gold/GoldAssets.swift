import Warehouse

/// The gold assets: marts in gold.sqlite, defined by the SQL files in `sql/`.
public enum GoldAssets {
    public static let coinDailyFeatures = AssetKey(.gold, "coin_daily_features")
    public static let cryptoAnalyticsMart = AssetKey(.gold, "crypto_analytics_mart")
    public static let marketSegmentAnalysis = AssetKey(.gold, "market_segment_analysis")
    public static let universeMembership = AssetKey(.gold, "universe_membership")
    public static let researchDataset = AssetKey(.gold, "research_dataset")
    public static let dashboardDataset = AssetKey(.gold, "dashboard_dataset")

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
        return [
            AssetSpec(key: coinDailyFeatures, upstreams: [AssetKey(.silver, "coin_prices")], tags: ["crypto", "features"],
                      summary: "Daily OHLC bars per coin with return, SMA 20/50, RSI 14, MACD and 20-day volatility",
                      version: "\(codeVersion)+\(features.version)",
                      build: { try CoinDailyFeaturesBuilder(context: $0, sql: features).build() }),
            AssetSpec(key: cryptoAnalyticsMart, upstreams: [AssetKey(.silver, "coin_markets"), coinDailyFeatures], tags: ["crypto", "analytics"],
                      summary: "Top \(settings.martTopN) coins now: price, market cap, category, 24h/7d change, 30-day volatility, rank",
                      version: "\(codeVersion)+\(analytics.version)+top\(settings.martTopN)",
                      build: { try SQLMartBuilder(context: $0, sql: analytics, parameters: ["top_n": "\(settings.martTopN)"]).build() }),
            AssetSpec(key: marketSegmentAnalysis, upstreams: [cryptoAnalyticsMart], tags: ["crypto", "analytics"],
                      summary: "Aggregates of the analytics mart per market-cap category",
                      version: "\(codeVersion)+\(segments.version)",
                      build: { try SQLMartBuilder(context: $0, sql: segments, parameters: [:]).build() }),
            AssetSpec(key: universeMembership, upstreams: [coinDailyFeatures], tags: ["crypto", "research"],
                      summary: "Point-in-time Top-\(settings.researchTopN) universe per date, dead coins included",
                      version: "\(codeVersion)+\(universe.version)+top\(settings.researchTopN)",
                      build: { try SQLMartBuilder(context: $0, sql: universe, parameters: ["top_n": "\(settings.researchTopN)"]).build() }),
            AssetSpec(key: researchDataset, upstreams: [universeMembership, coinDailyFeatures], tags: ["crypto", "research"],
                      summary: "Survivorship-bias-free research rows with forward returns; exports/crypto_market_data.parquet",
                      version: "\(codeVersion)+\(research.version)",
                      build: { try SQLMartBuilder(context: $0, sql: research, parameters: [:], exports: ["crypto_market_data.parquet"]).build() }),
            AssetSpec(key: dashboardDataset,
                      upstreams: [coinDailyFeatures] + ["coin_markets", "asset_map", "chain_tvl", "protocol_tvl", "dex_volume", "social_metrics"].map { AssetKey(.silver, $0) },
                      tags: ["crypto", "dashboard"],
                      summary: "Current Top-\(settings.dashboardTopN) canonical assets with history, TVL, DEX volume and social scores",
                      version: "\(codeVersion)+\(dashboard.version)+top\(settings.dashboardTopN)",
                      build: { try SQLMartBuilder(context: $0, sql: dashboard, parameters: ["top_n": "\(settings.dashboardTopN)"],
                                                  exports: ["dashboard_data.parquet", "user_facing_data.parquet"]).build() }),
        ]
    }
}
