import Foundation
import Warehouse

/// Incremental history for range endpoints (CoinGecko market_chart/range, Yahoo chart): what
/// each entity's snapshots already cover, read from their range parameters, and the windows
/// still missing from a wanted span.
///
/// The window that reaches "now" is keyed by the entity (`bitcoin`, `AAPL`); older windows by
/// entity and day range (`bitcoin@20250101-20250331`). A range fetched up to now today counts
/// as complete while younger than the dataset's freshness, so reruns within it request nothing,
/// and a later run asks only for what came since.
struct HistoryWindows {
    let dataset: RawDataset
    /// The query parameters that hold the range, in Unix seconds (`from`/`to`, `period1`/`period2`).
    let fromParam: String
    let toParam: String
    /// Windows are never shorter than this (a shorter span would change the API's granularity).
    let minSpan: Int64
    /// Windows are never longer than this, when the API caps the span.
    let maxSpan: Int64?
    /// Seconds a range fetched up to now today stands for "up to now" (the dataset's freshness).
    let maxAge: Int
    let context: BuildContext

    /// A covered range and the day it was fetched.
    typealias Coverage = (from: Int64, to: Int64, day: Day)

    /// The span asked for: `--from/--to` or `--partition` days, else `historyDays` up to now.
    func wanted(historyDays: Int) -> (Int64, Int64) {
        let now = context.clock.nowUnixSeconds
        let start = context.partition.map { $0.from.startUnixSeconds } ?? (now - Int64(historyDays) * 86_400)
        let end = context.partition.map { min(now, $0.to.adding(days: 1).startUnixSeconds - 1) } ?? now
        return (start, end)
    }

    /// Per entity, the ranges its snapshots hold (empty with `--refresh`).
    func coverage() throws -> [String: [Coverage]] {
        guard !context.refresh else { return [:] }
        let now = context.clock.nowUnixSeconds
        let todayStart = context.clock.today.startUnixSeconds
        var coverage: [String: [Coverage]] = [:]
        let store = context.raw
        for snapshot in try store.snapshots(of: dataset) {
            // Parameters another tool wrote may be anything: a range that is not two Unix times covers nothing.
            guard let meta = try? store.meta(of: snapshot),
                  let from = meta.unixSeconds(fromParam), let to = meta.unixSeconds(toParam) else { continue }
            let fetched = ISO8601.parse(meta.fetchedAt).map { Int64($0.timeIntervalSince1970) } ?? to
            // What was fetched today up to its fetch time counts as complete while it is fresh.
            let fresh = WarehouseSettings.isFresh(fetched: Date(timeIntervalSince1970: Double(fetched)), now: context.clock.now, maxAge: maxAge)
            let end = snapshot.day.startUnixSeconds >= todayStart && to >= fetched - 3600 && fresh ? now : min(to, fetched)
            coverage[RawKey.entity(of: snapshot.key), default: []].append((from, end, snapshot.day))
        }
        return coverage
    }

    /// The requests that fill an entity's gaps in `wanted`.
    func requests(for entity: String, covered: [Coverage], wanted: (Int64, Int64),
                  make: (_ key: String, _ from: Int64, _ to: Int64, _ reachesNow: Bool) -> RawRequest) -> [RawRequest] {
        Self.subtract(covered.map { ($0.from, $0.to) }, from: wanted).flatMap { gap in
            windows(gap: gap).map { from, to in
                let reachesNow = to >= context.clock.nowUnixSeconds
                let key = reachesNow ? entity : "\(entity)@\(Self.compact(Day(unixSeconds: from)))-\(Self.compact(Day(unixSeconds: to)))"
                return make(key, from, to, reachesNow).covering(from: fromParam, to: toParam)
            }
        }
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

    /// A gap widened to `minSpan` and cut into equal windows of at most `maxSpan`.
    func windows(gap: (Int64, Int64)) -> [(Int64, Int64)] {
        let end = gap.1
        let start = min(gap.0, end - minSpan)
        let span = end - start
        let count = maxSpan.map { Int((span + $0 - 1) / $0) } ?? 1
        let width = span / Int64(count)
        return (0..<count).map { i in
            let from = start + Int64(i) * width
            return (from, i == count - 1 ? end : from + width)
        }
    }

    static func compact(_ day: Day) -> String { day.description.replacingOccurrences(of: "-", with: "") }
}
