import Foundation
import Warehouse

/// Builds `gold.cross_exchange_spreads`: per symbol, the venues' mids aligned on a 1-second and
/// a 1-minute grid by an as-of join (`AsOfGrid`), and per bucket the spread between the highest
/// and the lowest venue. Mids come from every tick in `silver.exchange_ticks`, streamed and
/// polled alike; a venue whose last mid is older than `staleness` at a bucket's end is left out.
struct CrossExchangeSpreadsBuilder {
    let context: BuildContext
    let sql: MartSQL
    /// The oldest a venue's mid may be at a bucket's end, in ms; never less than one bucket, so a
    /// 1-minute bucket takes the last mid of its minute.
    let staleness: Int64

    /// The grids, by the name the `grid` column holds.
    static let grids: [(name: String, width: Int64)] = [("1s", 1_000), ("1m", 60_000)]

    static let columns = ["symbol", "grid", "bucket_end_ts", "bucket_end", "venues", "mids", "high_exchange", "high_mid",
                          "low_exchange", "low_mid", "spread_abs", "spread_rel"]

    func build() throws -> BuildOutcome {
        let database = try GoldDatabase.open(context)
        let (rebuild, _) = sql.rebuild(parameters: [:])
        return try rebuild.build(in: database, columns: Self.columns, context: context) { add in
            try VenueSeries.forEachSymbol(in: database, table: "silver.exchange_ticks") { symbol, series in
                for grid in Self.grids {
                    try AsOfGrid(width: grid.width, staleness: max(staleness, grid.width)).align(series) { end, mids in
                        try add(Self.row(symbol: symbol, grid: grid.name, end: end, exchanges: series.map(\.exchange), mids: mids))
                    }
                }
            }
        }
    }

    /// One bucket's row. Of venues with equal mids the first by name is the high (or low) one;
    /// with fewer than two venues the spread columns are NULL.
    static func row(symbol: String, grid: String, end: Int64, exchanges: [String], mids: [Double?]) -> [SQLValue] {
        var high: Int?, low: Int?, json: [String] = []
        for (index, mid) in mids.enumerated() {
            guard let mid else { continue }
            json.append("\"\(exchanges[index])\":\(mid)")
            if high == nil || mid > mids[high!]! { high = index }
            if low == nil || mid < mids[low!]! { low = index }
        }
        let compared = json.count >= 2
        let text = { (index: Int?) in compared ? SQLValue.text(exchanges[index!]) : .null }
        let value = { (index: Int?) in compared ? SQLValue.real(mids[index!]!) : .null }
        let spread = compared ? mids[high!]! - mids[low!]! : nil
        return [.text(symbol), .text(grid), .integer(end), .text(ISO8601.format(Date(timeIntervalSince1970: Double(end) / 1000))), .integer(Int64(json.count)), .text("{" + json.joined(separator: ",") + "}"),
                text(high), value(high), text(low), value(low), spread.map(SQLValue.real) ?? .null, spread.map { .real($0 / mids[low!]!) } ?? .null]
    }
}
