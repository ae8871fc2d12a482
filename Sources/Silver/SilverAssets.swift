import Warehouse

/// The silver assets: typed, validated staging tables in silver.sqlite built from raw files.
public enum SilverAssets {
    public static let coinMarkets = AssetKey(.silver, "coin_markets")
    public static let coinPrices = AssetKey(.silver, "coin_prices")

    public static func specs() -> [AssetSpec] {
        [
            AssetSpec(
                key: coinMarkets, upstreams: [AssetKey(.bronze, "coingecko_markets")], tags: ["crypto", "coingecko"],
                summary: "Every /coins/markets row per snapshot day, typed (price, market cap, rank, 24h/7d change)",
                version: "coin-markets-1",
                inputs: { context in ["raw:\(SilverInputs.markets)": try context.raw.fingerprint(of: SilverInputs.markets)] },
                build: { context in try CoinMarketsBuilder(context: context).build() }),
            AssetSpec(
                key: coinPrices, upstreams: [AssetKey(.bronze, "coingecko_market_chart")], tags: ["crypto", "coingecko"],
                summary: "Price, market cap and volume per coin and timestamp, newest snapshot wins",
                version: "coin-prices-1",
                inputs: { context in ["raw:\(SilverInputs.marketChart)": try context.raw.fingerprint(of: SilverInputs.marketChart)] },
                build: { context in try CoinPricesBuilder(context: context).build() }),
        ]
    }
}
