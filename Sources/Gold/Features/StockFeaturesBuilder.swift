import Warehouse

/// Builds `gold.stock_features`: silver.stock_prices in (ticker, date) order with the USDINR
/// rate in force that day (the same date's, else the last one before it), the close in both
/// currencies and the features on the INR close. A listing in another currency (a EUR listing
/// on XETRA) is converted with that currency's INR rate (`EURINR` from `EURINR=X`, pence and
/// other minor units scaled), and left out while no such series is configured: the
/// `convertible_currency` check names it. Bars before the first known rate are left out.
///
/// Incremental: when every ticker's history up to where its series stopped is unchanged
/// (same inputs digest) and only later days are new, just those days are computed, resuming
/// each series from `_feature_state`, and appended. Anything else (a revised bar or rate, a
/// ticker gone, a new version of the code or SQL, `--refresh`) rebuilds the table whole.
struct StockFeaturesBuilder {
    let context: BuildContext
    let sql: MartSQL

    static let columns = ["ticker", "date", "currency", "close_usd", "close_inr", "usd_inr_rate", "volume"] + FeatureRow.columns

    /// One trading day of one ticker, as silver and the FX series give it.
    struct Bar {
        let date: String
        let currency: String
        let usd: Double
        let inr: Double
        let rate: Double
        let volume: Double?

        /// Everything the row depends on, exactly (a Double's description reads back to itself).
        var digestLine: String { "\(date)|\(currency)|\(usd)|\(inr)|\(rate)|\(volume.map(\.description) ?? "")" }
    }

    /// One ticker's bars, the state its series resumes from and where the new bars start.
    struct Pending {
        let ticker: String
        var state: FeatureState
        let bars: [Bar]
        let firstNew: Int
    }

    func build() throws -> BuildOutcome {
        let database = try GoldDatabase.open(context)
        let store = FeatureStateStore(database: database, asset: context.key)
        let series = try readBars(database)
        let total = series.reduce(0) { $0 + $1.bars.count }
        let written: Int
        if let pending = try resumable(series, store: store, database: database) {
            written = try database.transaction {
                let count = try write(pending, into: sql.name, database: database, store: store)
                try context.record(in: database, rows: total)
                return count
            }
            context.logger.info("stock features resumed", metadata: ["new_rows": "\(written)"])
        } else {
            let (rebuild, _) = sql.rebuild(parameters: [:])
            written = try rebuild.run(in: database, fill: { name -> Int in
                try store.clear()
                let fresh = series.map { Pending(ticker: $0.ticker, state: FeatureState(), bars: $0.bars, firstNew: 0) }
                return try write(fresh, into: name, database: database, store: store)
            }, finish: { rows in
                try context.record(in: database, rows: rows)
            })
        }
        return BuildOutcome(rows: total, rowsWritten: written, recorded: true)
    }

    /// Every ticker's bars, in ticker then date order.
    private func readBars(_ database: Database) throws -> [(ticker: String, bars: [Bar])] {
        let statement = try database.prepare("""
            SELECT s.ticker, s.date, s.currency, s.close, s.volume,
                   (SELECT f.rate FROM silver.fx_rates AS f WHERE f.pair = 'USDINR' AND f.date <= s.date ORDER BY f.date DESC LIMIT 1),
                   CASE WHEN s.currency IN ('USD', 'INR') THEN NULL ELSE
                       (SELECT f.rate FROM silver.fx_rates AS f WHERE f.pair = \(Self.inrPairSQL("s.currency")) AND f.date <= s.date ORDER BY f.date DESC LIMIT 1) END
            FROM silver.stock_prices AS s
            WHERE s.currency IS NOT NULL
            ORDER BY s.ticker, s.date
            """)
        var series: [(ticker: String, bars: [Bar])] = []
        while try statement.step() {
            let ticker = statement.string(at: 0)
            guard let close = statement.double(at: 3), let rate = statement.double(at: 5), rate > 0 else { continue }
            let currency = statement.string(at: 2)
            let usd: Double, inr: Double
            switch currency {
            case "USD": (usd, inr) = (close, close * rate)
            case "INR": (usd, inr) = (close / rate, close)
            default:
                guard let local = statement.double(at: 6), local > 0 else { continue }
                inr = close * Self.minorUnitScale(currency) * local
                usd = inr / rate
            }
            let bar = Bar(date: statement.string(at: 1), currency: currency, usd: usd, inr: inr, rate: rate, volume: statement.double(at: 4))
            if series.last?.ticker == ticker { series[series.count - 1].bars.append(bar) } else { series.append((ticker, [bar])) }
        }
        return series
    }

    /// The new days of each ticker with the state to resume from, or nil when the table must
    /// be rebuilt whole.
    private func resumable(_ series: [(ticker: String, bars: [Bar])], store: FeatureStateStore, database: Database) throws -> [Pending]? {
        guard try context.mayExtend(sql.name, in: database) else { return nil }
        let saved = try store.load()
        let stored = Dictionary(uniqueKeysWithValues: try database.rows("SELECT ticker, count(*), max(date) FROM \(sql.name) GROUP BY ticker")
            .map { ($0[0].string ?? "", (rows: $0[1].int ?? 0, last: $0[2].string ?? "")) })
        guard Set(stored.keys).isSubset(of: series.map(\.ticker)) else { return nil }
        var pending: [Pending] = []
        for (ticker, bars) in series {
            guard let resume = saved[ticker] else {
                // A ticker new to the table starts from scratch; one in the table needs its state.
                guard stored[ticker] == nil else { return nil }
                pending.append(Pending(ticker: ticker, state: FeatureState(), bars: bars, firstNew: 0))
                continue
            }
            guard let table = stored[ticker], table.rows == resume.state.rows, table.last == resume.date else { return nil }
            let old = bars.prefix { $0.date <= resume.date }
            guard old.count == resume.state.rows, Self.digest(old) == resume.inputsDigest else { return nil }
            pending.append(Pending(ticker: ticker, state: resume.state, bars: bars, firstNew: old.count))
        }
        return pending
    }

    /// Writes each ticker's pending bars with their features into `table` and saves where each series stopped.
    private func write(_ pending: [Pending], into table: String, database: Database, store: FeatureStateStore) throws -> Int {
        let insert = try database.prepareInsert(into: table, columns: Self.columns)
        var written = 0
        for var series in pending where series.firstNew < series.bars.count {
            insert.bind(series.ticker, at: 1)
            for bar in series.bars[series.firstNew...] {
                insert.bind(bar.date, at: 2); insert.bind(bar.currency, at: 3)
                insert.bind(bar.usd, at: 4); insert.bind(bar.inr, at: 5); insert.bind(bar.rate, at: 6); insert.bind(bar.volume, at: 7)
                series.state.append(bar.inr).bind(to: insert, from: 8)
                try insert.run()
            }
            written += series.bars.count - series.firstNew
            try store.save(series: series.ticker, .init(date: series.bars.last!.date, inputsDigest: Self.digest(series.bars), state: series.state))
        }
        return written
    }

    /// Currencies Yahoo quotes in hundredths of another (London's pence as `GBp`).
    static let minorUnits = ["GBp": ("GBP", 0.01), "GBX": ("GBP", 0.01), "ZAc": ("ZAR", 0.01), "ILA": ("ILS", 0.01)]

    static func minorUnitScale(_ currency: String) -> Double { minorUnits[currency]?.1 ?? 1 }

    /// SQL naming the fx pair that converts a currency column to INR (`EUR` -> `EURINR`, `GBp` -> `GBPINR`).
    static func inrPairSQL(_ column: String) -> String {
        "CASE \(column) " + minorUnits.sorted { $0.key < $1.key }.map { "WHEN '\($0.key)' THEN '\($0.value.0)INR' " }.joined()
            + "ELSE \(column) || 'INR' END"
    }

    /// The check that names listings left out because no INR rate converts their currency.
    static var convertibleCurrencySQL: String {
        """
        SELECT s.ticker, s.currency, 'add ' || \(inrPairSQL("s.currency")) || '=X to stocks.fx' AS fix
        FROM silver.stock_prices AS s
        WHERE s.currency IS NULL OR (s.currency NOT IN ('USD', 'INR')
              AND NOT EXISTS (SELECT 1 FROM silver.fx_rates AS f WHERE f.pair = \(inrPairSQL("s.currency"))))
        GROUP BY s.ticker, s.currency ORDER BY s.ticker
        """
    }

    /// The digest of a series' input rows from its first day.
    static func digest<S: Sequence>(_ bars: S) -> String where S.Element == Bar {
        var hasher = Fingerprint()
        for bar in bars { hasher.add(bar.digestLine) }
        return hasher.finish()
    }
}
