import Foundation
import Warehouse

/// Decides which market_chart/range windows to fetch: for each coin of the universe, the
/// part of the wanted history that raw snapshots do not already cover, in windows of 2 to 89
/// days (the API answers daily points beyond 90 days and 5-minute points within one day, so
/// that keeps every window hourly). A dead coin's history is closed once it was fetched on a
/// day it was already listed inactive: it is not fetched again.
struct MarketChartPlanner {
    let settings: WarehouseSettings
    let context: BuildContext

    var history: HistoryWindows {
        HistoryWindows(dataset: RawDataset(asset: CoinGeckoAssets.marketChart), fromParam: "from", toParam: "to",
                       minSpan: 2 * 86_400, maxSpan: 89 * 86_400, maxAge: settings.freshness(of: CoinGeckoAssets.marketChart.name), context: context)
    }

    func requests() throws -> [RawRequest] {
        let history = self.history
        let wanted = history.wanted(historyDays: settings.historyDays)
        guard wanted.0 < wanted.1 else { return [] }
        let coverage = try history.coverage()
        let universe = CoinUniverseReader(context: context)
        let active = try universe.topCoins(settings.universeSize).map(\.id)
        let inactive = settings.includeInactive ? try universe.inactiveCoins(on: context.clock.today).filter { !active.contains($0) } : []
        var requests: [RawRequest] = []
        for coin in active + inactive where RawKey.isValid(coin) {
            let covered = coverage[coin] ?? []
            if context.partition == nil, inactive.contains(coin), try historyIsClosed(coin, covered: covered, universe: universe) { continue }
            requests += history.requests(for: coin, covered: covered, wanted: wanted) { key, from, to, reachesNow in
                RawRequest(dataset: RawDataset(asset: CoinGeckoAssets.marketChart), key: key,
                           path: "/api/v3/coins/\(coin)/market_chart/range",
                           params: [QueryParam("vs_currency", "usd"), QueryParam("from", "\(from)"), QueryParam("to", "\(to)")],
                           freshness: reachesNow ? .today(maxAge: settings.freshness(of: CoinGeckoAssets.marketChart.name)) : .forever)
            }
        }
        return requests
    }

    func historyIsClosed(_ coin: String, covered: [HistoryWindows.Coverage], universe: CoinUniverseReader) throws -> Bool {
        guard let lastFetch = covered.map(\.day).max() else { return false }
        return try universe.inactiveCoins(on: lastFetch).contains(coin)
    }
}
