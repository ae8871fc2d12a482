import Foundation
import Warehouse

/// The CoinGecko bronze assets: markets pages, the coin list (active and inactive), hourly
/// market charts per coin, and OHLC candles.
public enum CoinGeckoAssets {
    public static let markets = AssetKey(.bronze, "coingecko_markets")
    public static let coinsList = AssetKey(.bronze, "coingecko_coins_list")
    public static let marketChart = AssetKey(.bronze, "coingecko_market_chart")
    public static let ohlc = AssetKey(.bronze, "coingecko_ohlc")

    public static func specs(settings: WarehouseSettings) -> [AssetSpec] {
        [
            BronzeAsset.spec(markets, summary: "CoinGecko /coins/markets pages: the current top coins by market cap",
                             tags: ["crypto"], source: "coingecko") { _ in marketsRequests(universeSize: settings.universeSize, maxAge: settings.freshness(of: markets.name)) },
            BronzeAsset.spec(coinsList, summary: "CoinGecko /coins/list with platforms, active and inactive coins",
                             tags: ["crypto"], source: "coingecko") { _ in coinsListRequests(maxAge: settings.freshness(of: coinsList.name)) },
            BronzeAsset.spec(marketChart, summary: "CoinGecko /coins/{id}/market_chart/range: hourly price, market cap, volume per coin",
                             tags: ["crypto"], upstreams: [markets, coinsList], source: "coingecko") { context in
                try MarketChartPlanner(settings: settings, context: context).requests()
            },
            BronzeAsset.spec(ohlc, summary: "CoinGecko /coins/{id}/ohlc: candles for the top coins",
                             tags: ["crypto"], upstreams: [markets], source: "coingecko") { context in
                try CoinUniverseReader(context: context).topCoins(settings.ohlcCoins).map(\.id).filter(RawKey.isValid).map { coin in
                    RawRequest(dataset: RawDataset(asset: ohlc), key: coin, path: "/api/v3/coins/\(coin)/ohlc",
                               params: [QueryParam("vs_currency", "usd"), QueryParam("days", "\(settings.ohlcDays)")],
                               freshness: .today(maxAge: settings.freshness(of: ohlc.name)))
                }
            },
        ]
    }

    static func marketsRequests(universeSize: Int, maxAge: Int) -> [RawRequest] {
        let perPage = min(250, universeSize)
        let pages = (universeSize + perPage - 1) / perPage
        return (1...pages).map { page in
            RawRequest(dataset: RawDataset(asset: markets), key: "page-\(page)", path: "/api/v3/coins/markets",
                       params: [QueryParam("vs_currency", "usd"), QueryParam("order", "market_cap_desc"),
                                QueryParam("per_page", "\(perPage)"), QueryParam("page", "\(page)"),
                                QueryParam("sparkline", "false"), QueryParam("price_change_percentage", "24h,7d")],
                       freshness: .today(maxAge: maxAge))
        }
    }

    static func coinsListRequests(maxAge: Int) -> [RawRequest] {
        let dataset = RawDataset(asset: coinsList)
        return [
            RawRequest(dataset: dataset, key: "active", path: "/api/v3/coins/list",
                       params: [QueryParam("include_platform", "true")], freshness: .today(maxAge: maxAge)),
            RawRequest(dataset: dataset, key: "inactive", path: "/api/v3/coins/list",
                       params: [QueryParam("include_platform", "true"), QueryParam("status", "inactive")], freshness: .today(maxAge: maxAge)),
        ]
    }
}
