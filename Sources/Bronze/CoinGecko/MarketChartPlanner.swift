import Foundation
import Warehouse

/// Decides which market_chart/range windows to fetch: for each coin of the universe, the
/// part of the wanted history that raw snapshots do not already cover, split into windows
/// short enough for hourly granularity (the API answers daily points beyond 90 days and
/// 5-minute points within one day, so windows stay between 2 and 89 days).
///
/// The window that reaches "now" is keyed by the coin id (`bitcoin`); older windows by coin
/// and day range (`bitcoin@20250101-20250331`). A coin fetched up to now today is complete
/// for today, so reruns on the same day request nothing.
struct MarketChartPlanner {
    let settings: WarehouseSettings
    let context: BuildContext

    static let maxWindow: Int64 = 89 * 86_400
    static let minWindow: Int64 = 2 * 86_400

    func requests() throws -> [RawRequest] {
        let now = context.clock.nowUnixSeconds
        let todayStart = context.clock.today.startUnixSeconds
        let wantedStart = context.partition.map { $0.from.startUnixSeconds } ?? (now - Int64(settings.historyDays) * 86_400)
        let wantedEnd = context.partition.map { min(now, $0.to.adding(days: 1).startUnixSeconds - 1) } ?? now
        guard wantedStart < wantedEnd else { return [] }
        let coverage = context.refresh ? [:] : try existingCoverage(now: now, todayStart: todayStart)
        let (active, inactive) = try universe()
        var requests: [RawRequest] = []
        for coin in active + inactive {
            let covered = coverage[coin] ?? []
            if context.partition == nil, inactive.contains(coin), try historyIsClosed(coin, covered: covered) { continue }
            for gap in Self.subtract(covered.map { ($0.0, $0.1) }, from: (wantedStart, wantedEnd)) {
                requests += windows(for: coin, gap: gap, now: now)
            }
        }
        return requests
    }

    /// Coin ids: today's top of /coins/markets, and the inactive coins when configured.
    func universe() throws -> (active: [String], inactive: [String]) {
        let store = context.raw
        let today = context.clock.today
        var active: [String] = []
        var seen = Set<String>()
        for snapshot in try store.snapshots(of: RawDataset(asset: CoinGeckoAssets.markets), on: today) {
            for id in try Self.ids(in: store.body(of: snapshot)) where seen.insert(id).inserted { active.append(id) }
        }
        active = Array(active.prefix(settings.universeSize)).filter(RawKey.isValid)
        let inactive = settings.includeInactive ? try inactiveCoins(on: today).filter { !seen.contains($0) && RawKey.isValid($0) } : []
        return (active, inactive)
    }

    /// The ids in a day's `status=inactive` coin list (empty when that day has none).
    func inactiveCoins(on day: Day) throws -> [String] {
        guard let snapshot = context.raw.snapshot(of: RawDataset(asset: CoinGeckoAssets.coinsList), key: "inactive", on: day) else { return [] }
        return try Self.ids(in: context.raw.body(of: snapshot))
    }

    /// A dead coin's history is closed once it was fetched on a day it was already listed
    /// inactive: nothing newer will ever come, so it is not fetched again.
    func historyIsClosed(_ coin: String, covered: [(Int64, Int64, Day)]) throws -> Bool {
        guard let lastFetch = covered.map(\.2).max() else { return false }
        return try inactiveCoins(on: lastFetch).contains(coin)
    }

    static func ids(in body: Data) throws -> [String] {
        (try JSONValue.parse(body).array ?? []).compactMap { $0["id"]?.text }
    }

    /// Per coin, the time ranges its snapshots already hold, with the day each was fetched.
    func existingCoverage(now: Int64, todayStart: Int64) throws -> [String: [(Int64, Int64, Day)]] {
        var coverage: [String: [(Int64, Int64, Day)]] = [:]
        let store = context.raw
        for snapshot in try store.snapshots(of: RawDataset(asset: CoinGeckoAssets.marketChart)) {
            guard let meta = try? store.meta(of: snapshot),
                  let from = meta.params["from"].flatMap(Double.init), let to = meta.params["to"].flatMap(Double.init) else { continue }
            let fetched = ISO8601.parse(meta.fetchedAt).map { Int64($0.timeIntervalSince1970) } ?? Int64(to)
            // What was fetched today up to its fetch time counts as complete until tomorrow.
            let end = snapshot.day.startUnixSeconds >= todayStart && Int64(to) >= fetched - 3600 ? now : min(Int64(to), fetched)
            coverage[RawKey.entity(of: snapshot.key), default: []].append((Int64(from), end, snapshot.day))
        }
        return coverage
    }

    /// `wanted` minus the union of `covered`, as sorted disjoint ranges.
    static func subtract(_ covered: [(Int64, Int64)], from wanted: (Int64, Int64)) -> [(Int64, Int64)] {
        var gaps: [(Int64, Int64)] = []
        var cursor = wanted.0
        for (start, end) in covered.sorted(by: { $0.0 < $1.0 }) where end > cursor {
            if start > cursor { gaps.append((cursor, min(start, wanted.1))) }
            cursor = max(cursor, end)
            if cursor >= wanted.1 { break }
        }
        if cursor < wanted.1 { gaps.append((cursor, wanted.1)) }
        return gaps.filter { $0.1 > $0.0 }
    }

    func windows(for coin: String, gap: (Int64, Int64), now: Int64) -> [RawRequest] {
        let end = gap.1
        let start = min(gap.0, end - Self.minWindow)
        let span = end - start
        let count = Int((span + Self.maxWindow - 1) / Self.maxWindow)
        let width = span / Int64(count)
        return (0..<count).map { i in
            let from = start + Int64(i) * width
            let to = i == count - 1 ? end : from + width
            let reachesNow = to >= now
            let key = reachesNow ? coin : "\(coin)@\(Self.compact(Day(unixSeconds: from)))-\(Self.compact(Day(unixSeconds: to)))"
            return RawRequest(dataset: RawDataset(asset: CoinGeckoAssets.marketChart), key: key,
                              path: "/api/v3/coins/\(coin)/market_chart/range",
                              params: [QueryParam("vs_currency", "usd"), QueryParam("from", "\(from)"), QueryParam("to", "\(to)")],
                              freshness: reachesNow ? .today : .forever)
        }
    }

    static func compact(_ day: Day) -> String { day.description.replacingOccurrences(of: "-", with: "") }
}
