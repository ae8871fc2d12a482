/// One venue's ticks of one symbol from an `exchange_ticks` table (silver's contract columns):
/// reception times and mids in primary-key order, with each tick's raw file and line so a
/// result can name the tick. Silver's outlier flags and gold's spreads read ticks this one way.
public struct VenueSeries: Sendable {
    public let exchange: String
    public var times: [Int64] = []
    public var mids: [Double] = []
    public var files: [Int64] = []
    public var lines: [Int64] = []

    public init(exchange: String) { self.exchange = exchange }

    /// Calls `body` with each symbol (sorted) and the series of every venue that quotes it
    /// (venues by name), ticks without a mid left out; one symbol in memory at a time, each
    /// series read along the primary key, so nothing is sorted.
    /// - Parameter table: `exchange_ticks` inside silver.sqlite, `silver.exchange_ticks` attached.
    public static func forEachSymbol(in database: Database, table: String, _ body: (String, [VenueSeries]) throws -> Void) throws {
        var venues: [String: [String]] = [:]
        let pairs = try database.prepare("SELECT DISTINCT exchange, symbol FROM \(table) ORDER BY exchange, symbol")
        while try pairs.step() { venues[pairs.string(at: 1), default: []].append(pairs.string(at: 0)) }
        let ticks = try database.prepare("SELECT received_ts, mid, raw_file_id, raw_line FROM \(table) WHERE exchange = ? AND symbol = ? AND mid IS NOT NULL ORDER BY received_ts, raw_file_id, raw_line")
        for symbol in venues.keys.sorted() {
            try body(symbol, try venues[symbol]!.map { exchange in
                var series = VenueSeries(exchange: exchange)
                ticks.reset()
                ticks.bind(exchange, at: 1)
                ticks.bind(symbol, at: 2)
                while try ticks.step() {
                    series.times.append(ticks.int64(at: 0)); series.mids.append(ticks.double(at: 1) ?? 0)
                    series.files.append(ticks.int64(at: 2)); series.lines.append(ticks.int64(at: 3))
                }
                return series
            })
        }
    }
}
