import Foundation
import Warehouse

/// The CoinGecko bronze assets: the markets pages, the coin list (active and inactive), and
/// hourly market charts per coin.
public enum CoinGeckoAssets {
    public static let markets = AssetKey(.bronze, "coingecko_markets")
    public static let coinsList = AssetKey(.bronze, "coingecko_coins_list")
    public static let marketChart = AssetKey(.bronze, "coingecko_market_chart")

    /// Bumped whenever what these assets request changes.
    static let version = "coingecko-bronze-1"

    public static func specs(endpoint: SourceEndpoint, settings: WarehouseSettings) -> [AssetSpec] {
        let fetcher = Fetcher(endpoint: endpoint, concurrency: settings.fetchConcurrency)
        return [
            spec(markets, summary: "CoinGecko /coins/markets pages: the current top coins by market cap", upstreams: [], fetcher: fetcher) { _ in
                marketsRequests(universeSize: settings.universeSize)
            },
            spec(coinsList, summary: "CoinGecko /coins/list with platforms, active and inactive coins", upstreams: [], fetcher: fetcher) { _ in
                coinsListRequests()
            },
            spec(marketChart, summary: "CoinGecko /coins/{id}/market_chart/range: hourly price, market cap, volume per coin",
                 upstreams: [markets, coinsList], fetcher: fetcher) { context in
                try MarketChartPlanner(settings: settings, context: context).requests()
            },
        ]
    }

    /// A bronze spec whose staleness is "requests still missing from the raw cache today".
    private static func spec(_ key: AssetKey, summary: String, upstreams: [AssetKey], fetcher: Fetcher,
                             requests: @escaping (BuildContext) throws -> [RawRequest]) -> AssetSpec {
        let dataset = RawDataset(asset: key)
        func pendingInputs(_ context: BuildContext) throws -> [String: String] {
            let all = try requests(context)
            let missing = all.filter { Fetcher.cached($0, store: context.raw, today: context.clock.today) == nil }
            return ["requests": "\(missing.count) of \(all.count) missing on \(context.clock.today)"]
        }
        return AssetSpec(
            key: key, upstreams: upstreams, tags: ["crypto", "coingecko"], summary: summary, version: version,
            inputs: pendingInputs,
            build: { context in
                let stats = try fetcher.fetch(try requests(context), context: context)
                let files = try context.raw.snapshots(of: dataset).count
                return BuildOutcome(rows: files, requests: stats.requests, cacheHits: stats.cacheHits, bytesFetched: stats.bytes,
                                    inputsAfter: try pendingInputs(context))
            })
    }

    static func marketsRequests(universeSize: Int) -> [RawRequest] {
        let perPage = min(250, universeSize)
        let pages = (universeSize + perPage - 1) / perPage
        return (1...pages).map { page in
            RawRequest(dataset: RawDataset(asset: markets), key: "page-\(page)", path: "/api/v3/coins/markets",
                       params: [QueryParam("vs_currency", "usd"), QueryParam("order", "market_cap_desc"),
                                QueryParam("per_page", "\(perPage)"), QueryParam("page", "\(page)"),
                                QueryParam("sparkline", "false"), QueryParam("price_change_percentage", "24h,7d")],
                       freshness: .today)
        }
    }

    static func coinsListRequests() -> [RawRequest] {
        let dataset = RawDataset(asset: coinsList)
        return [
            RawRequest(dataset: dataset, key: "active", path: "/api/v3/coins/list",
                       params: [QueryParam("include_platform", "true")], freshness: .today),
            RawRequest(dataset: dataset, key: "inactive", path: "/api/v3/coins/list",
                       params: [QueryParam("include_platform", "true"), QueryParam("status", "inactive")], freshness: .today),
        ]
    }
}
