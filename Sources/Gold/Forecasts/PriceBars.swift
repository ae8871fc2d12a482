import Warehouse

/// The regular series forecasts are made on: per exchange and symbol, the last stream mid of
/// every bar of `width` ms (a bar ends at a whole minute or hour of Unix time), up to
/// `maxCarried` empty bars in a row taking the previous bar's value; a longer pause (the
/// collector stopped) starts the series again after it, so only the newest unbroken run is
/// fitted, and of that the newest `limit` bars. Polls are hours apart by design and left out.
struct PriceBars: Sendable {
    let exchange: String
    let symbol: String
    /// End of the first bar kept, Unix ms.
    let firstEnd: Int64
    let width: Int64
    let values: [Double]

    /// Empty bars in a row a series carries its last value over; more break it.
    static let maxCarried = 10

    /// End of the last bar, Unix ms: the forecasts' origin.
    var lastEnd: Int64 { firstEnd + Int64(values.count - 1) * width }

    /// Calls `body` with each exchange's and symbol's bars, read from `silver.exchange_ticks`
    /// along its primary key, one series in memory at a time.
    static func forEach(in database: Database, width: Int64, limit: Int, _ body: (PriceBars) throws -> Void) throws {
        let ticks = try database.prepare("SELECT exchange, symbol, received_ts, mid FROM silver.exchange_ticks WHERE mid IS NOT NULL AND source = 'ws' ORDER BY exchange, symbol, received_ts, raw_file_id, raw_line")
        var current: (exchange: String, symbol: String)?
        var firstEnd: Int64 = 0, values: [Double] = []
        func flush() throws {
            guard let key = current, !values.isEmpty else { return }
            let dropped = max(0, values.count - limit)
            try body(PriceBars(exchange: key.exchange, symbol: key.symbol, firstEnd: firstEnd + Int64(dropped) * width, width: width, values: Array(values.dropFirst(dropped))))
        }
        while try ticks.step() {
            let exchange = ticks.string(at: 0), symbol = ticks.string(at: 1)
            // The bar a tick belongs to ends at or after it: its value is the last mid at or before the end.
            let end = (ticks.int64(at: 2) + width - 1) / width * width
            let mid = ticks.double(at: 3) ?? 0
            if current?.exchange != exchange || current?.symbol != symbol {
                try flush()
                current = (exchange, symbol)
                firstEnd = end
                values = [mid]
                continue
            }
            let index = Int((end - firstEnd) / width)
            if index - values.count > Self.maxCarried {
                firstEnd = end
                values = [mid]
                continue
            }
            while values.count <= index { values.append(values[values.count - 1]) }
            values[index] = mid
        }
        try flush()
    }
}
