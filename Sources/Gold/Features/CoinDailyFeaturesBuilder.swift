import Warehouse

/// Builds `gold.coin_daily_features`: streams silver.coin_prices in (coin, ts) order, folds
/// each coin's points into daily bars and writes the bars with their features. Memory holds
/// one coin's days at a time.
struct CoinDailyFeaturesBuilder {
    let context: BuildContext
    let sql: MartSQL

    func build() throws -> BuildOutcome {
        let database = try GoldDatabase.open(context)
        let (rebuild, _) = sql.rebuild(parameters: [:])
        let rows = try rebuild.run(in: database, fill: { name -> Int in
            let columns = ["coin_id", "date", "open", "high", "low", "close", "volume", "market_cap"] + TechnicalFeatures.columns
            let insert = try database.prepare("INSERT INTO \(name)(\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))")
            let points = try database.prepare("SELECT coin_id, ts, price, market_cap, volume FROM silver.coin_prices ORDER BY coin_id, ts")
            var written = 0
            var coin = ""
            var bars: [DailyBar] = []
            func flush() throws {
                guard !bars.isEmpty else { return }
                let features = TechnicalFeatures(closes: bars.map(\.close))
                insert.bind(coin, at: 1)
                for (i, bar) in bars.enumerated() {
                    insert.bind(bar.day.description, at: 2)
                    insert.bind(bar.open, at: 3); insert.bind(bar.high, at: 4); insert.bind(bar.low, at: 5); insert.bind(bar.close, at: 6)
                    insert.bind(bar.volume, at: 7); insert.bind(bar.marketCap, at: 8)
                    features.bind(row: i, to: insert, from: 9)
                    try insert.run()
                }
                written += bars.count
                bars.removeAll(keepingCapacity: true)
            }
            while try points.step() {
                let id = points.string(at: 0)
                if id != coin { try flush(); coin = id }
                let day = Day(unixSeconds: points.int64(at: 1).floorDivided(by: 1000))
                let price = points.double(at: 2) ?? 0
                if bars.last?.day == day {
                    bars[bars.count - 1].add(price: price, marketCap: points.double(at: 3), volume: points.double(at: 4))
                } else {
                    bars.append(DailyBar(day: day, price: price, marketCap: points.double(at: 3), volume: points.double(at: 4)))
                }
            }
            try flush()
            return written
        }, finish: { rows in
            try context.record(in: database, rows: rows)
        })
        return BuildOutcome(rows: rows, recorded: true)
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
