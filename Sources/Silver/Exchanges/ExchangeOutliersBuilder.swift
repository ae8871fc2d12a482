import Foundation
import Warehouse

/// Builds `silver.exchange_outliers`: the ticks of `silver.exchange_ticks` whose mid looks
/// wrong, by either of two rules, each tick keyed as in `exchange_ticks` so a join flags it
/// there; nothing is dropped.
///
/// - `return_z`: the robust z-score of the tick's log return (against the previous tick of the
///   same exchange and symbol) among that stream's returns of the UTC day: (r - median) over
///   1.4826 x the median absolute deviation (1.2533 x the mean absolute deviation when more than
///   half the returns equal the median), beyond `zLimit`. A lone bad price moves two returns, so
///   the tick after it is flagged too; the other rule tells them apart.
/// - `cross_venue`: the mid more than `deviationLimit` away from the median of every venue's mid
///   at that moment (its own and the others' last at or before it, none older than
///   `staleness`), when at least three venues quote: with two, the median is their mean and one
///   venue's bad price would make both look wrong.
///
/// Rebuilt whole when the ticks change, a symbol at a time, read in primary-key order.
struct ExchangeOutliersBuilder {
    static let layout = TableLayout("exchange_outliers", [
        .init("exchange", .text, notNull: true, "binance, kraken or coinbase"),
        .init("symbol", .text, notNull: true, "unified BASE/QUOTE"),
        .init("received_ts", .integer, notNull: true, "the tick's reception time, Unix ms (with raw_file_id and raw_line, its key in exchange_ticks)"),
        .init("received_at", .text, notNull: true, "received_ts as ISO 8601 UTC with milliseconds"),
        .init("mid", .real, notNull: true, "the tick's mid"),
        .init("log_return", .real, "ln(mid / the previous tick's mid) of the same exchange and symbol"),
        .init("return_z", .real, "robust z-score of log_return among the stream's returns that UTC day"),
        .init("venues", .integer, notNull: true, "venues with a mid at that moment, this one included"),
        .init("venues_median", .real, "median of those venues' mids (NULL under three venues)"),
        .init("deviation", .real, "mid / venues_median - 1"),
        .init("rule", .text, notNull: true, "return_z, cross_venue, or return_z+cross_venue"),
        .init("raw_line", .integer, notNull: true, "the tick's raw line, as in exchange_ticks"),
        .rawFile,
    ], primaryKey: ["exchange", "symbol", "received_ts", "raw_file_id", "raw_line"], withoutRowID: true)

    let context: BuildContext
    /// |return_z| above this flags a tick.
    let zLimit: Double
    /// |deviation| above this flags a tick.
    let deviationLimit: Double
    /// The oldest another venue's mid may be and still count at a moment, ms.
    let staleness: Int64

    /// `exchange_ticks_flagged`: every tick with its flag in a column (`outlier_rule`, NULL for a
    /// tick no rule flagged), for readers who want the ticks and their flags in one table. A view,
    /// since the ticks are append-only and a flag depends on later ticks and other venues.
    static let flaggedView = """
        CREATE VIEW IF NOT EXISTS exchange_ticks_flagged AS
        SELECT t.*, o.rule AS outlier_rule, o.return_z, o.deviation
        FROM exchange_ticks AS t LEFT JOIN exchange_outliers AS o USING (exchange, symbol, received_ts, raw_file_id, raw_line)
        """

    func build() throws -> BuildOutcome {
        let database = try SilverDatabase.open(context)
        try database.execute(Self.flaggedView)
        return try TableRebuild(Self.layout).build(in: database, columns: Self.layout.columns.map(\.name), context: context) { add in
            try VenueSeries.forEachSymbol(in: database, table: "exchange_ticks") { symbol, venues in
                let returns = venues.map { Self.returnScores($0) }
                let medians = Self.venueMedians(venues, staleness: staleness)
                for (v, series) in venues.enumerated() {
                    for i in series.times.indices {
                        let z = returns[v].z[i], (present, median) = medians[v][i]
                        let deviation = median.map { series.mids[i] / $0 - 1 }
                        var rules: [String] = []
                        if let z, abs(z) > zLimit { rules.append("return_z") }
                        if let deviation, abs(deviation) > deviationLimit { rules.append("cross_venue") }
                        guard !rules.isEmpty else { continue }
                        let optional = { (value: Double?) in value.map(SQLValue.real) ?? .null }
                        try add([.text(series.exchange), .text(symbol), .integer(series.times[i]), .text(ISO8601.format(unixMilliseconds: series.times[i])),
                                 .real(series.mids[i]), optional(returns[v].r[i]), optional(z), .integer(Int64(present)), optional(median),
                                 optional(deviation), .text(rules.joined(separator: "+")), .integer(series.lines[i]), .integer(series.files[i])])
                    }
                }
            }
        }
    }

    /// Each tick's log return (nil for a stream's first) and its robust z-score among the
    /// stream's returns of the same UTC day (nil when they do not vary).
    static func returnScores(_ series: VenueSeries) -> (r: [Double?], z: [Double?]) {
        var r = [Double?](repeating: nil, count: series.times.count)
        for i in series.times.indices.dropFirst() where series.mids[i] > 0 && series.mids[i - 1] > 0 { r[i] = log(series.mids[i] / series.mids[i - 1]) }
        var z = [Double?](repeating: nil, count: r.count)
        var start = 0
        while start < r.count {
            let day = Day(unixMilliseconds: series.times[start])
            var end = start
            while end < r.count, Day(unixMilliseconds: series.times[end]) == day { end += 1 }
            let values = r[start..<end].compactMap { $0 }.sorted()
            if let median = Percentile.of(values, 0.5) {
                let deviations = values.map { abs($0 - median) }
                let mad = Percentile.of(deviations.sorted(), 0.5) ?? 0
                let scale = mad > 0 ? 1.4826 * mad : 1.2533 * deviations.reduce(0, +) / Double(deviations.count)
                if scale > 0 { for i in start..<end { z[i] = r[i].map { ($0 - median) / scale } } }
            }
            start = end
        }
        return (r, z)
    }

    /// For each venue's each tick: how many venues have a mid at that moment (its own, and each
    /// other's last at or before it within `staleness`) and, from three, their median.
    static func venueMedians(_ venues: [VenueSeries], staleness: Int64) -> [[(Int, Double?)]] {
        var result = venues.map { [(Int, Double?)](repeating: (1, nil), count: $0.times.count) }
        var last = [(time: Int64, mid: Double)?](repeating: nil, count: venues.count)
        var next = [Int](repeating: 0, count: venues.count)
        // Moments in time order; all ticks of one millisecond update the venues before any is judged.
        while let now = venues.indices.compactMap({ v in next[v] < venues[v].times.count ? venues[v].times[next[v]] : nil }).min() {
            var judged: [(venue: Int, index: Int)] = []
            for v in venues.indices {
                while next[v] < venues[v].times.count, venues[v].times[next[v]] == now {
                    judged.append((v, next[v]))
                    last[v] = (now, venues[v].mids[next[v]])
                    next[v] += 1
                }
            }
            for (v, i) in judged {
                var mids = [venues[v].mids[i]]
                for w in venues.indices where w != v {
                    if let quote = last[w], now - quote.time <= staleness { mids.append(quote.mid) }
                }
                result[v][i] = (mids.count, mids.count >= 3 ? Percentile.of(mids.sorted(), 0.5) : nil)
            }
        }
        return result
    }
}
