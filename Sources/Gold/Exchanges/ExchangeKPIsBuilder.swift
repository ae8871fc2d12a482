import Foundation
import Warehouse

/// Builds `gold.exchange_kpis`: per exchange, symbol and UTC day, how many stream messages
/// arrived and how regularly, how late they were against the venue's own clock, and how often
/// and how long the venue's connection was down. Definitions (docs/exchanges.md):
/// - `covered_minutes`: UTC minutes of the day with at least one message; `share_covered` is
///   that over 1,440, `updates_per_minute` messages over it.
/// - inter-arrival: gaps between consecutive messages of the symbol that day, reconnections included.
/// - latency: received_ts - exchange_ts; NULL with `latency_source` saying so where the venue
///   sends no time of its own (Kraken's ticker). Never estimated from anything else.
/// - round trips: the collector's clock probes of the venue's server-time endpoint that day;
///   `latency_estimate_ms` is half their median, the one honest figure for a venue without
///   its own time (per exchange, like the outages).
/// - disconnects: the venue's `closed` events that day that the collector did not ask for
///   (by_venue, lost, stalled); reconnects: `connected` events of a run's second or later
///   connection; downtime: from each such close to the next `connected` of the same worker
///   (or its `stopped`), counted on the close's day. These three are per exchange.
struct ExchangeKPIsBuilder {
    let context: BuildContext
    let sql: MartSQL

    static let columns = ["exchange", "symbol", "date", "messages", "covered_minutes", "share_covered", "updates_per_minute",
                          "interarrival_p50_ms", "interarrival_p95_ms", "latency_source", "latency_min_ms", "latency_p50_ms",
                          "latency_p95_ms", "latency_max_ms", "clock_probes", "round_trip_p50_ms", "round_trip_p95_ms", "latency_estimate_ms",
                          "disconnects", "reconnects", "downtime_seconds"]

    /// Connection facts of one exchange and day.
    struct Outages { var disconnects = 0; var reconnects = 0; var downtime = 0.0; var roundTrips: [Double] = [] }

    func build() throws -> BuildOutcome {
        let database = try GoldDatabase.open(context)
        let outages = try Self.outages(database)
        let (rebuild, _) = sql.rebuild(parameters: [:])
        return try rebuild.build(in: database, columns: Self.columns, context: context) { add in
            var current: (exchange: String, symbol: String, day: Day)?
            var times: [Int64] = [], latencies: [Double] = []
            func flush() throws {
                guard let key = current, !times.isEmpty else { return }
                let o = outages["\(key.exchange)|\(key.day)"] ?? Outages()
                try add(Self.row(exchange: key.exchange, symbol: key.symbol, day: key.day, times: times, latencies: latencies, outages: o))
            }
            let statement = try database.prepare("SELECT exchange, symbol, received_ts, exchange_ts FROM silver.exchange_ticks WHERE source = 'ws' ORDER BY exchange, symbol, received_ts")
            while try statement.step() {
                let exchange = statement.string(at: 0), symbol = statement.string(at: 1)
                let received = statement.int64(at: 2)
                let day = Day(unixMilliseconds: received)
                if current == nil || current!.exchange != exchange || current!.symbol != symbol || current!.day != day {
                    try flush()
                    current = (exchange, symbol, day)
                    times.removeAll(keepingCapacity: true)
                    latencies.removeAll(keepingCapacity: true)
                }
                times.append(received)
                if !(statement.storageClass(at: 3) == .null) { latencies.append(Double(received - statement.int64(at: 3))) }
            }
            try flush()
        }
    }

    static func row(exchange: String, symbol: String, day: Day, times: [Int64], latencies: [Double], outages: Outages) -> [SQLValue] {
        let minutes = Set(times.map { $0 / 60_000 }).count
        let gaps = zip(times.dropFirst(), times).map { Double($0 - $1) }.sorted()
        let latency = latencies.sorted(), roundTrips = outages.roundTrips.sorted()
        let optional = { (value: Double?) in value.map(SQLValue.real) ?? .null }
        return [.text(exchange), .text(symbol), .text(day.description), .integer(Int64(times.count)), .integer(Int64(minutes)),
                .real(Double(minutes) / 1440), .real(Double(times.count) / Double(minutes)),
                optional(Percentile.of(gaps, 0.5)), optional(Percentile.of(gaps, 0.95)),
                .text(latency.isEmpty ? "not sent by the venue" : "exchange_ts"),
                optional(latency.first), optional(Percentile.of(latency, 0.5)), optional(Percentile.of(latency, 0.95)), optional(latency.last),
                .integer(Int64(roundTrips.count)), optional(Percentile.of(roundTrips, 0.5)), optional(Percentile.of(roundTrips, 0.95)),
                optional(Percentile.of(roundTrips, 0.5).map { $0 / 2 }), .integer(Int64(outages.disconnects)), .integer(Int64(outages.reconnects)), .real(outages.downtime)]
    }

    /// Disconnects, reconnects, downtime and clock-probe round trips per `exchange|day`, from the connection events in order.
    static func outages(_ database: Database) throws -> [String: Outages] {
        var result: [String: Outages] = [:]
        guard try database.scalar("SELECT count(*) FROM silver.sqlite_master WHERE name = 'exchange_connections'")?.int ?? 0 > 0 else { return result }
        // An open outage per exchange and worker: when it began and on which day it counts.
        var open: [String: (since: Int64, key: String)] = [:]
        let events = try database.prepare("SELECT exchange, worker, connection, event, detail, received_ts, round_trip_ms FROM silver.exchange_connections ORDER BY exchange, worker, received_ts, raw_file_id, raw_line")
        while try events.step() {
            let exchange = events.string(at: 0), worker = events.string(at: 1)
            let connection = (events.storageClass(at: 2) == .null) ? 0 : events.int64(at: 2)
            let event = events.string(at: 3), detail = events.string(at: 4)
            let at = events.int64(at: 5)
            let key = "\(exchange)|\(Day(unixMilliseconds: at))"
            let stream = "\(exchange)|\(worker)"
            switch event {
            case "clock_probe":
                if let trip = events.double(at: 6) { result[key, default: Outages()].roundTrips.append(trip) }
            case "closed" where ["by_venue", "lost", "stalled"].contains(detail):
                result[key, default: Outages()].disconnects += 1
                if open[stream] == nil { open[stream] = (at, key) }
            case "connected", "stopped":
                if event == "connected", connection > 1 { result[key, default: Outages()].reconnects += 1 }
                if let outage = open.removeValue(forKey: stream) { result[outage.key, default: Outages()].downtime += Double(at - outage.since) / 1000 }
            default:
                break
            }
        }
        return result
    }
}

