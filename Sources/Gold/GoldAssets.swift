import Warehouse

/// The gold assets: marts in gold.sqlite, defined by the SQL files in `sql/`.
public enum GoldAssets {
    public static let coinDailyFeatures = AssetKey(.gold, "coin_daily_features")
    public static let cryptoAnalyticsMart = AssetKey(.gold, "crypto_analytics_mart")
    public static let marketSegmentAnalysis = AssetKey(.gold, "market_segment_analysis")

    /// Bumped when the Swift side of a mart changes (the SQL side versions itself).
    static let codeVersion = "gold-1"

    /// - Throws: `GoldError.missingSQL` when a mart's SQL file cannot be read.
    public static func specs(settings: WarehouseSettings) throws -> [AssetSpec] {
        let features = try MartSQL.load("coin_daily_features")
        let analytics = try MartSQL.load("crypto_analytics_mart")
        let segments = try MartSQL.load("market_segment_analysis")
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
        ]
    }
}
