import Warehouse

/// Builds `gold.coin_daily_features`: folds each coin's points from silver.coin_prices into
/// daily bars and writes the bars with their features.
///
/// Incremental: silver's `_changes` says which coins changed from which timestamp since the
/// last build. Each coin's series is saved in `_feature_state` as of `resumeLag` bars before
/// its last one (the last day is still filling up, and the next fetch window reaches back a
/// day or two). A changed coin whose change starts after that day is resumed from there: only
/// its last few days and the new ones are recomputed. A coin changed further back is
/// recomputed alone. A whole silver rebuild, a new version or
/// `--refresh` rebuilds the table, streaming every point once with one coin in memory.
struct CoinDailyFeaturesBuilder {
    let context: BuildContext
    let sql: MartSQL

    static let upstream = AssetKey(.silver, "coin_prices")
    /// Bars recomputed behind the newest one when a coin is resumed.
    static let resumeLag = 7
    static let columns = ["coin_id", "date", "open", "high", "low", "close", "volume", "market_cap"] + FeatureRow.columns

    /// Where a coin's recomputation starts.
    enum Start {
        case scratch
        case after(FeatureStateStore.Saved, day: Day)
    }

    func build() throws -> BuildOutcome {
        let database = try GoldDatabase.open(context)
        let states = FeatureStateStore(database: database, asset: context.key)
        let changes = UpstreamChanges(database: database, asset: context.key, upstream: Self.upstream)
        let latest = try changes.latest()
        if let starts = try incrementalStarts(changes: changes, states: states, database: database) {
            let (rows, written) = try database.transaction { () -> (Int, Int) in
                let insert = try prepareInsert(into: sql.name, database)
                var written = 0
                for (coin, start) in starts.sorted(by: { $0.key < $1.key }) {
                    written += try recompute(coin, from: start, insert: insert, database: database, states: states)
                }
                // What this build rewrote, for readers of gold's own log (the PostgreSQL publisher).
                try ChangeLog(database: database, asset: context.key).record(starts.sorted { $0.key < $1.key }.map { coin, start in
                    switch start {
                    case .scratch: (coin, Int64.min)
                    case .after(_, let day): (coin, day.adding(days: 1).startUnixSeconds * 1000)
                    }
                })
                try changes.advance(to: latest)
                let rows = try database.scalar("SELECT count(*) FROM \(sql.name)")?.int ?? 0
                try context.record(in: database, rows: rows)
                return (rows, written)
            }
            return BuildOutcome(rows: rows, rowsWritten: written, recorded: true)
        }
        let (rebuild, _) = sql.rebuild(parameters: [:])
        let rows = try rebuild.run(in: database, fill: { name -> Int in
            try states.clear()
            let insert = try prepareInsert(into: name, database)
            let points = try database.prepare("SELECT coin_id, ts, price, market_cap, volume FROM silver.coin_prices ORDER BY coin_id, ts")
            var written = 0
            var coin = ""
            var bars: [DailyBar] = []
            while try points.step() {
                let id = points.string(at: 0)
                if id != coin {
                    written += try write(coin, bars: bars, state: FeatureState(), stateDay: nil, insert: insert, states: states)
                    bars.removeAll(keepingCapacity: true)
                    coin = id
                }
                Self.fold(points, into: &bars)
            }
            written += try write(coin, bars: bars, state: FeatureState(), stateDay: nil, insert: insert, states: states)
            return written
        }, finish: { rows in
            try ChangeLog(database: database, asset: context.key).recordRebuild()
            try changes.advance(to: latest)
            try context.record(in: database, rows: rows)
        })
        return BuildOutcome(rows: rows, recorded: true)
    }

    /// The coins to recompute and where, or nil when the table must be rebuilt whole.
    private func incrementalStarts(changes: UpstreamChanges, states: FeatureStateStore, database: Database) throws -> [String: Start]? {
        guard try context.mayExtend(sql.name, in: database),
              let changed = try changes.sinceCursor() else { return nil }
        let saved = try states.load()
        return Dictionary(uniqueKeysWithValues: changed.map { coin, since -> (String, Start) in
            guard let resume = saved[coin], let day = Day(parsing: resume.date), since >= day.adding(days: 1).startUnixSeconds * 1000 else {
                return (coin, .scratch)
            }
            return (coin, .after(resume, day: day))
        })
    }


    /// Recomputes one coin from `start` on: deletes its rows from there, reads its points from
    /// there, writes the bars again. Returns the rows written.
    private func recompute(_ coin: String, from start: Start, insert: Statement, database: Database, states: FeatureStateStore) throws -> Int {
        let firstDay: Day?
        let state: FeatureState
        switch start {
        case .scratch: (firstDay, state) = (nil, FeatureState())
        case .after(let saved, let day): (firstDay, state) = (day.adding(days: 1), saved.state)
        }
        try database.execute("DELETE FROM \(sql.name) WHERE coin_id = ? AND date >= ?", [.text(coin), .text(firstDay?.description ?? "")])
        let points = try database.prepare("SELECT coin_id, ts, price, market_cap, volume FROM silver.coin_prices WHERE coin_id = ? AND ts >= ? ORDER BY ts")
        points.bind(coin, at: 1)
        points.bind((firstDay?.startUnixSeconds ?? Int64.min / 1000) * 1000, at: 2)
        var bars: [DailyBar] = []
        while try points.step() { Self.fold(points, into: &bars) }
        if bars.isEmpty, case .scratch = start { try states.remove(series: coin) }
        return try write(coin, bars: bars, state: state, stateDay: firstDay?.adding(days: -1), insert: insert, states: states)
    }

    /// Writes a coin's bars with their features, continuing `state` (as of `stateDay`), and
    /// saves the state as of `resumeLag` bars before the last one. Returns the rows written.
    private func write(_ coin: String, bars: [DailyBar], state: FeatureState, stateDay: Day?, insert: Statement,
                       states: FeatureStateStore) throws -> Int {
        guard !bars.isEmpty else { return 0 }
        var state = state
        var saved = (state: state, day: stateDay)
        insert.bind(coin, at: 1)
        for (index, bar) in bars.enumerated() {
            if index == max(0, bars.count - Self.resumeLag) { saved = (state, index == 0 ? stateDay : bars[index - 1].day) }
            insert.bind(bar.day.description, at: 2)
            insert.bind(bar.open, at: 3); insert.bind(bar.high, at: 4); insert.bind(bar.low, at: 5); insert.bind(bar.close, at: 6)
            insert.bind(bar.volume, at: 7); insert.bind(bar.marketCap, at: 8)
            state.append(bar.close).bind(to: insert, from: 9)
            try insert.run()
        }
        try states.save(series: coin, .init(date: saved.day?.description ?? "", inputsDigest: "", state: saved.state))
        return bars.count
    }

    /// Adds the point under `statement` (coin_id, ts, price, market_cap, volume) to the day's bar.
    private static func fold(_ statement: Statement, into bars: inout [DailyBar]) {
        let day = Day(unixMilliseconds: statement.int64(at: 1))
        let price = statement.double(at: 2) ?? 0
        if bars.last?.day == day {
            bars[bars.count - 1].add(price: price, marketCap: statement.double(at: 3), volume: statement.double(at: 4))
        } else {
            bars.append(DailyBar(day: day, price: price, marketCap: statement.double(at: 3), volume: statement.double(at: 4)))
        }
    }

    private func prepareInsert(into table: String, _ database: Database) throws -> Statement {
        try database.prepareInsert(into: table, columns: Self.columns)
    }
}
