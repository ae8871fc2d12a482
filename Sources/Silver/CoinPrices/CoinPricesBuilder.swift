import Foundation
import Warehouse

/// Builds `silver.coin_prices` from every market_chart snapshot: one row per (coin, ts),
/// the newest snapshot winning where windows overlap. Parsing runs on a second thread while
/// rows are inserted through one prepared statement; the table is rebuilt aside and swapped.
struct CoinPricesBuilder {
    let context: BuildContext

    static let table = TableRebuild(
        table: "coin_prices",
        create: { name in
            """
            CREATE TABLE \(name) (
                coin_id TEXT NOT NULL,
                ts INTEGER NOT NULL,
                price REAL NOT NULL,
                market_cap REAL,
                volume REAL,
                raw_file_id INTEGER NOT NULL,
                PRIMARY KEY (coin_id, ts)
            ) WITHOUT ROWID
            """
        },
        indexes: ["CREATE INDEX coin_prices_ts ON coin_prices(ts)"])

    private struct Source {
        let snapshot: RawSnapshot
        let coinID: String
        let meta: SnapshotMeta?
    }

    func build() throws -> BuildOutcome {
        let database = try SilverDatabase.open(context)
        let store = context.raw
        let snapshots = try store.snapshots(of: SilverInputs.marketChart)
        // Newest first within each coin, so INSERT OR IGNORE keeps the newest value.
        let sources = snapshots.map { snapshot in
            Source(snapshot: snapshot, coinID: RawKey.entity(of: snapshot.key), meta: try? store.meta(of: snapshot))
        }.sorted { a, b in
            if a.coinID != b.coinID { return a.coinID < b.coinID }
            let fa = a.meta?.fetchedAt ?? a.snapshot.day.description, fb = b.meta?.fetchedAt ?? b.snapshot.day.description
            return fa != fb ? fa > fb : a.snapshot.key > b.snapshot.key
        }
        var rejects = RejectLog(asset: context.key)
        let rows = try Self.table.run(in: database, fill: { name -> Int in
            let insert = try database.prepare("INSERT OR IGNORE INTO \(name)(coin_id, ts, price, market_cap, volume, raw_file_id) VALUES (?, ?, ?, ?, ?, ?)")
            var done = 0
            var inserted = 0
            try OrderedPipeline.run(sources, produce: { source -> Result<MarketChart, Error> in
                Result { try MarketChart.parse(try store.body(of: source.snapshot)) }
            }, consume: { source, parsed in
                let file = source.snapshot.relativePath
                switch parsed {
                case .failure(let error):
                    rejects.add(file: file, locator: "file", reason: "\(error)")
                case .success(let chart):
                    let fileID = try SilverDatabase.rawFileID(database, path: file, meta: source.meta)
                    insert.bind(source.coinID, at: 1)
                    insert.bind(fileID, at: 6)
                    for point in chart.points {
                        insert.bind(point.ts, at: 2)
                        insert.bind(point.price, at: 3)
                        insert.bind(point.marketCap, at: 4)
                        insert.bind(point.volume, at: 5)
                        try insert.run()
                        inserted += database.changes
                    }
                    for (locator, reason) in chart.rejects { rejects.add(file: file, locator: locator, reason: reason) }
                }
                done += 1
                if done % 200 == 0 || done == sources.count { context.progress(done, sources.count) }
            })
            return inserted
        }, finish: { rows in
            try rejects.write(to: database)
            try context.record(in: database, rows: rows, rejects: rejects.count)
        })
        return BuildOutcome(rows: rows, rejects: rejects.count, recorded: true)
    }
}
