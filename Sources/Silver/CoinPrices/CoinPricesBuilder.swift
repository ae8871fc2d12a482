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
        indexes: [])

    private struct Source {
        let snapshot: RawSnapshot
        let meta: SnapshotMeta?
    }

    /// One coin's snapshots, newest first.
    private struct CoinSources {
        let coinID: String
        let sources: [Source]
    }

    /// One coin's rows, merged and sorted by timestamp, plus what was set aside.
    private struct MergedCoin {
        var points: [(point: MarketChart.Point, fileIndex: Int)] = []
        var rejects: [(file: String, locator: String, reason: String)] = []
    }

    func build() throws -> BuildOutcome {
        let database = try SilverDatabase.open(context)
        let store = context.raw
        let grouped = Dictionary(grouping: try store.snapshots(of: SilverInputs.marketChart)) { RawKey.entity(of: $0.key) }
        let coins = grouped.keys.sorted().map { coinID in
            CoinSources(coinID: coinID, sources: grouped[coinID]!.map { Source(snapshot: $0, meta: try? store.meta(of: $0)) }
                .sorted { a, b in
                    let fa = a.meta?.fetchedAt ?? a.snapshot.day.description, fb = b.meta?.fetchedAt ?? b.snapshot.day.description
                    return fa != fb ? fa > fb : a.snapshot.key > b.snapshot.key
                })
        }
        var rejects = RejectLog(asset: context.key)
        let rows = try Self.table.run(in: database, fill: { name -> Int in
            // Rows go in batches of `batch` per statement: fewer VM round trips per row.
            let batch = 64
            func insertSQL(rows: Int) -> String {
                "INSERT INTO \(name)(coin_id, ts, price, market_cap, volume, raw_file_id) VALUES "
                    + Array(repeating: "(?1, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
            }
            let batched = try database.prepare(insertSQL(rows: batch))
            var inserted = 0
            var done = 0
            try OrderedPipeline.run(coins, produce: { coin in Self.merge(coin, store: store) }, consume: { coin, merged in
                let fileIDs = try coin.sources.map { try SilverDatabase.rawFileID(database, path: $0.snapshot.relativePath, meta: $0.meta) }
                func bind(_ statement: Statement, _ rows: ArraySlice<(point: MarketChart.Point, fileIndex: Int)>) throws {
                    statement.bind(coin.coinID, at: 1)
                    var index: Int32 = 2
                    for (point, fileIndex) in rows {
                        statement.bind(point.ts, at: index)
                        statement.bind(point.price, at: index + 1)
                        statement.bind(point.marketCap, at: index + 2)
                        statement.bind(point.volume, at: index + 3)
                        statement.bind(fileIDs[fileIndex], at: index + 4)
                        index += 5
                    }
                    try statement.run()
                }
                let points = merged.points
                var start = 0
                while points.count - start >= batch {
                    try bind(batched, points[start..<(start + batch)])
                    start += batch
                }
                if start < points.count {
                    try bind(try database.cachedStatement(insertSQL(rows: points.count - start)), points[start...])
                }
                inserted += merged.points.count
                for reject in merged.rejects { rejects.add(file: reject.file, locator: reject.locator, reason: reject.reason) }
                done += 1
                if done % 20 == 0 || done == coins.count { context.progress(done, coins.count) }
            })
            return inserted
        }, finish: { rows in
            try rejects.write(to: database)
            try context.record(in: database, rows: rows, rejects: rejects.count)
        })
        return BuildOutcome(rows: rows, rejects: rejects.count, recorded: true)
    }

    /// Parses a coin's snapshots and merges them: one point per timestamp, the newest
    /// snapshot's value winning, sorted by timestamp so inserts append to the primary key.
    private static func merge(_ coin: CoinSources, store: RawStore) -> MergedCoin {
        var merged = MergedCoin()
        for (fileIndex, source) in coin.sources.enumerated() {
            let file = source.snapshot.relativePath
            do {
                let chart = try MarketChart.parse(try store.body(of: source.snapshot))
                merged.points.reserveCapacity(merged.points.count + chart.points.count)
                for point in chart.points { merged.points.append((point, fileIndex)) }
                for (locator, reason) in chart.rejects { merged.rejects.append((file, locator, reason)) }
            } catch {
                merged.rejects.append((file, "file", "\(error)"))
            }
        }
        // Stable order: by timestamp, newest file first; then keep the first of each timestamp.
        merged.points.sort { $0.point.ts != $1.point.ts ? $0.point.ts < $1.point.ts : $0.fileIndex < $1.fileIndex }
        var write = 0
        for read in merged.points.indices where write == 0 || merged.points[read].point.ts != merged.points[write - 1].point.ts {
            merged.points[write] = merged.points[read]
            write += 1
        }
        merged.points.removeLast(merged.points.count - write)
        return merged
    }
}
