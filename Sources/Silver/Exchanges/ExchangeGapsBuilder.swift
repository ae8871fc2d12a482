import Foundation
import Warehouse

/// Builds `silver.exchange_gaps`: per exchange and symbol, every pause in the venue's stream
/// longer than `factor` times its typical inter-arrival, from the stream ticks of
/// `silver.exchange_ticks` (polls are hours apart by design and are left out).
///
/// The typical inter-arrival of a day is the median of that day's positive gaps between
/// consecutive messages (messages in the same millisecond are one arrival); a pause counts on
/// the day it began, so the one across midnight is judged by the earlier day. A day with fewer
/// than two arrivals has no typical gap and no gaps. Each gap says how many `closed` events of
/// the venue's connection fall inside it, telling a drop the collector saw from a silent one.
/// Rebuilt whole when the ticks change: one pass in primary-key order, one day in memory.
struct ExchangeGapsBuilder {
    static let layout = TableLayout("exchange_gaps", [
        .init("exchange", .text, notNull: true, "binance, kraken or coinbase"),
        .init("symbol", .text, notNull: true, "unified BASE/QUOTE"),
        .init("date", .text, notNull: true, "UTC day the gap began"),
        .init("gap_start_ts", .integer, notNull: true, "reception time of the last message before the gap, Unix ms"),
        .init("gap_end_ts", .integer, notNull: true, "reception time of the first message after it, Unix ms"),
        .init("gap_start", .text, notNull: true, "gap_start_ts as ISO 8601 UTC"),
        .init("gap_end", .text, notNull: true, "gap_end_ts as ISO 8601 UTC"),
        .init("gap_ms", .integer, notNull: true, "gap_end_ts - gap_start_ts"),
        .init("typical_interarrival_ms", .real, notNull: true, "median positive inter-arrival of the exchange and symbol that day"),
        .init("threshold_ms", .real, notNull: true, "exchanges.gap_factor x the typical inter-arrival: longer pauses are gaps"),
        .init("disconnects_within", .integer, notNull: true, "closed events of the exchange's connection between the gap's two messages"),
    ], primaryKey: ["exchange", "symbol", "gap_start_ts"], indexes: [.init("exchange_gaps_date", on: ["date"])], withoutRowID: true)

    let context: BuildContext
    /// A pause longer than this many typical inter-arrivals is a gap.
    let factor: Double

    func build() throws -> BuildOutcome {
        let database = try SilverDatabase.open(context)
        let closes = try Self.closes(database)
        return try TableRebuild(Self.layout).build(in: database, columns: Self.layout.columns.map(\.name), context: context) { add in
            try Self.forEachDay(database) { exchange, symbol, day, times, next in
                for gap in Self.gaps(times: times, next: next, factor: factor) {
                    let start = gap.start, end = gap.end
                    let within = closes[exchange].map { Self.count($0, after: start, upTo: end) } ?? 0
                    try add([.text(exchange), .text(symbol), .text(day.description), .integer(start), .integer(end),
                             .text(ISO8601.format(unixMilliseconds: start)), .text(ISO8601.format(unixMilliseconds: end)),
                             .integer(end - start), .real(gap.typical), .real(gap.typical * factor), .integer(Int64(within))])
                }
            }
        }
    }

    /// The gaps of one day: `times` its arrivals in order, `next` the first arrival after it (the
    /// next day's), if any.
    static func gaps(times: [Int64], next: Int64?, factor: Double) -> [(start: Int64, end: Int64, typical: Double)] {
        let within = zip(times.dropFirst(), times).map { $0 - $1 }
        guard let typical = Percentile.of(within.filter { $0 > 0 }.map(Double.init).sorted(), 0.5) else { return [] }
        let threshold = typical * factor
        var found: [(Int64, Int64, Double)] = []
        for (index, gap) in within.enumerated() where Double(gap) > threshold { found.append((times[index], times[index + 1], typical)) }
        if let next, let last = times.last, Double(next - last) > threshold { found.append((last, next, typical)) }
        return found
    }

    /// Calls `body` per exchange, symbol and UTC day with the day's stream arrivals and the
    /// first arrival after the day; reads in primary-key order, one day in memory.
    private static func forEachDay(_ database: Database, _ body: (String, String, Day, [Int64], Int64?) throws -> Void) throws {
        let ticks = try database.prepare("SELECT exchange, symbol, received_ts FROM exchange_ticks WHERE source = 'ws' ORDER BY exchange, symbol, received_ts")
        var current: (exchange: String, symbol: String, day: Day)?
        var times: [Int64] = []
        while try ticks.step() {
            let exchange = ticks.string(at: 0), symbol = ticks.string(at: 1), received = ticks.int64(at: 2)
            let day = Day(unixMilliseconds: received)
            if let key = current, key.exchange != exchange || key.symbol != symbol || key.day != day {
                let sameStream = key.exchange == exchange && key.symbol == symbol
                try body(key.exchange, key.symbol, key.day, times, sameStream ? received : nil)
                times.removeAll(keepingCapacity: true)
            }
            current = (exchange, symbol, day)
            times.append(received)
        }
        if let key = current { try body(key.exchange, key.symbol, key.day, times, nil) }
    }

    /// The reception times of each exchange's `closed` events, ascending.
    private static func closes(_ database: Database) throws -> [String: [Int64]] {
        guard try database.tableExists("exchange_connections") else { return [:] }
        var result: [String: [Int64]] = [:]
        let events = try database.prepare("SELECT exchange, received_ts FROM exchange_connections WHERE event = 'closed' ORDER BY exchange, received_ts")
        while try events.step() { result[events.string(at: 0), default: []].append(events.int64(at: 1)) }
        return result
    }

    /// How many of the ascending `times` are in (start, end].
    private static func count(_ times: [Int64], after start: Int64, upTo end: Int64) -> Int {
        func firstAbove(_ value: Int64) -> Int {
            var (low, high) = (0, times.count)
            while low < high {
                let middle = (low + high) / 2
                if times[middle] > value { high = middle } else { low = middle + 1 }
            }
            return low
        }
        return firstAbove(end) - firstAbove(start)
    }
}
