import Warehouse

/// Builds `gold.stock_features`: streams silver.stock_prices in (ticker, date) order with the
/// USDINR rate in force that day (the same date's, else the last one before it), converts the
/// close to both currencies and computes the features on the INR close, one ticker at a time.
/// Bars before the first known rate, or in a currency other than USD and INR, are left out.
struct StockFeaturesBuilder {
    let context: BuildContext
    let sql: MartSQL

    func build() throws -> BuildOutcome {
        let database = try GoldDatabase.open(context)
        let (rebuild, _) = sql.rebuild(parameters: [:])
        let rows = try rebuild.run(in: database, fill: { name -> Int in
            let columns = ["ticker", "date", "currency", "close_usd", "close_inr", "usd_inr_rate", "volume"] + TechnicalFeatures.columns
            let insert = try database.prepare("INSERT INTO \(name)(\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))")
            let bars = try database.prepare("""
                SELECT s.ticker, s.date, s.currency, s.close, s.volume,
                       (SELECT f.rate FROM silver.fx_rates AS f WHERE f.pair = 'USDINR' AND f.date <= s.date ORDER BY f.date DESC LIMIT 1)
                FROM silver.stock_prices AS s
                WHERE s.currency IN ('USD', 'INR')
                ORDER BY s.ticker, s.date
                """)
            var written = 0
            var ticker = ""
            var days: [(date: String, currency: String, usd: Double, inr: Double, rate: Double, volume: Double?)] = []
            func flush() throws {
                guard !days.isEmpty else { return }
                let features = TechnicalFeatures(closes: days.map(\.inr))
                insert.bind(ticker, at: 1)
                for (i, day) in days.enumerated() {
                    insert.bind(day.date, at: 2); insert.bind(day.currency, at: 3)
                    insert.bind(day.usd, at: 4); insert.bind(day.inr, at: 5); insert.bind(day.rate, at: 6); insert.bind(day.volume, at: 7)
                    features.bind(row: i, to: insert, from: 8)
                    try insert.run()
                }
                written += days.count
                days.removeAll(keepingCapacity: true)
            }
            while try bars.step() {
                let name = bars.string(at: 0)
                if name != ticker { try flush(); ticker = name }
                guard let close = bars.double(at: 3), let rate = bars.double(at: 5), rate > 0 else { continue }
                let currency = bars.string(at: 2)
                let (usd, inr) = currency == "USD" ? (close, close * rate) : (close / rate, close)
                days.append((bars.string(at: 1), currency, usd, inr, rate, bars.double(at: 4)))
            }
            try flush()
            return written
        }, finish: { rows in
            try context.record(in: database, rows: rows)
        })
        try TableExporter(database: database, table: sql.name)
            .export(to: context.layout.exportsDirectory.appendingPathComponent("features_dataset.parquet"), format: .parquet)
        return BuildOutcome(rows: rows, recorded: true)
    }
}
