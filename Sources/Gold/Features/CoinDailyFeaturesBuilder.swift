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
/// `--refresh` rebuilds the table, reading every point once. Either way coins are read and
/// folded on worker threads while the rows of earlier coins are written, a few coins in memory.
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
                let coins = starts.sorted { $0.key < $1.key }.map { (coin: $0.key, start: $0.value) }
                let written = try recompute(coins, into: sql.name, database: database, states: states) { coin, start in
                    let firstDay: Day? = if case .after(_, let day) = start { day.adding(days: 1) } else { nil }
                    try database.execute("DELETE FROM \(sql.name) WHERE coin_id = ? AND date >= ?", [.text(coin), .text(firstDay?.description ?? "")])
                }
                // What this build rewrote, for readers of gold's own log (the PostgreSQL publisher).
                try ChangeLog(database: database, asset: context.key).record(coins.map { coin, start in
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
            return try recompute(try Self.coins(in: database).map { ($0, Start.scratch) }, into: name, database: database, states: states) { _, _ in }
        }, finish: { rows in
            try ChangeLog(database: database, asset: context.key).recordRebuild()
            try changes.advance(to: latest)
            try context.record(in: database, rows: rows)
        })
        return BuildOutcome(rows: rows, recorded: true)
    }

    /// Every coin of silver.coin_prices in order, one primary-key seek each.
    private static func coins(in database: Database) throws -> [String] {
        guard let first = try database.scalar("SELECT min(coin_id) FROM silver.coin_prices")?.string else { return [] }
        let next = try database.prepare("SELECT coin_id FROM silver.coin_prices WHERE coin_id > ? ORDER BY coin_id LIMIT 1")
        var coins = [first]
        next.bind(first, at: 1)
        while try next.step() {
            coins.append(next.string(at: 0))
            next.reset()
            next.bind(coins.last!, at: 1)
        }
        return coins
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

    /// Recomputes each coin from its start on and writes its rows into `table`: the points are
    /// read and folded on `readers` worker threads, each with its own connection to silver.sqlite
    /// opened and closed on that thread, while this thread clears what a coin replaces (`clear`),
    /// writes its rows and saves its state, coin by coin in order. Returns the rows written.
    private func recompute(_ coins: [(coin: String, start: Start)], into table: String, database: Database, states: FeatureStateStore,
                           clear: (String, Start) throws -> Void) throws -> Int {
        guard !coins.isEmpty else { return 0 }
        let silver = context.layout.silverDatabase.path
        let insert = try database.prepareInsert(into: table, columns: Self.columns)
        var written = 0
        // Each worker reads in read transactions of its own, coin by coin: silver does not change
        // under them, as every writer of silver runs under the root's run lock.
        try OrderedPipeline.run(coins, producers: min(Self.readers, coins.count), makeWorker: {
            Result { () -> (Database, Statement) in
                let connection = try Database(path: silver, readOnly: true)
                return (connection, try connection.prepare(CoinDays.pointsSQL))
            }
        }, produce: { reader, item in
            Result {
                let points = try reader.get().1
                switch item.start {
                case .scratch: return try CoinDays(coin: item.coin, from: nil, state: FeatureState(), points: points)
                case .after(let saved, let day): return try CoinDays(coin: item.coin, from: day.adding(days: 1), state: saved.state, points: points)
                }
            }
        }, consume: { item, result in
            let days = try result.get()
            try clear(item.coin, item.start)
            if days.bars.isEmpty {
                if case .scratch = item.start { try states.remove(series: item.coin) }
                return
            }
            written += try write(days, insert: insert, states: states)
        })
        return written
    }

    /// Worker threads reading silver while the rows are written.
    static let readers = 2

    /// Writes a coin's bars with their features and saves its state. Returns the rows written.
    private func write(_ days: CoinDays, insert: Statement, states: FeatureStateStore) throws -> Int {
        insert.bind(days.coin, at: 1)
        for (bar, features) in zip(days.bars, days.features) {
            insert.bind(bar.day.description, at: 2)
            insert.bind(bar.open, at: 3); insert.bind(bar.high, at: 4); insert.bind(bar.low, at: 5); insert.bind(bar.close, at: 6)
            insert.bind(bar.volume, at: 7); insert.bind(bar.marketCap, at: 8)
            features.bind(to: insert, from: 9)
            try insert.run()
        }
        try states.save(series: days.coin, .init(date: days.saved.day?.description ?? "", inputsDigest: "", state: days.saved.state))
        return days.bars.count
    }
}
