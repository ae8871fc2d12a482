import Foundation
import Warehouse

/// Builds `silver.coin_prices` from every market_chart snapshot: one row per (coin, ts),
/// the newest snapshot winning where windows overlap. Parsing runs on a second thread while
/// rows are inserted through prepared statements. A rebuild merges a long history a slice of
/// time at a time (`CoinSlice`), so its memory does not grow with the years a coin has.
///
/// Incremental: `_consumed_files` remembers every snapshot the table was built from (path and
/// the sha256 of its body as read, whether or not it has metadata). When all of them are still
/// there with the same body (hashed again only when the file changed on disk, see
/// `SnapshotReader`) and each coin's new snapshots are newer
/// than its old ones, only the new snapshots are parsed and their points replace or extend the
/// table's, which is what a full rebuild would give. Anything else (a snapshot removed or
/// re-fetched in place, an older snapshot appearing, a new version, `--refresh`) rebuilds the
/// table whole, aside, and swaps it in.
struct CoinPricesBuilder {
    let context: BuildContext

    static let layout = TableLayout("coin_prices", [
        .init("coin_id", .text, notNull: true, "CoinGecko coin id"),
        .init("ts", .integer, notNull: true, "time of the point, Unix milliseconds UTC"),
        .init("price", .real, notNull: true, "price in USD"),
        .init("market_cap", .real, "market cap in USD (NULL when missing)"),
        .init("volume", .real, "24h volume in USD at that time (NULL when missing)"),
        .rawFile,
    ], primaryKey: ["coin_id", "ts"], withoutRowID: true)

    static let table = TableRebuild(layout)

    /// A rebuild merges a coin's history in slices of about this much body (see `CoinSlice`):
    /// enough that a slice's own cost is noise, little enough that the few slices in flight
    /// are a small, fixed share of memory.
    var sliceBytes = 8 << 20

    /// The rows of a slice or a coin, merged and sorted by timestamp, plus what was set aside.
    private struct Merged {
        /// The snapshots merged, newest first; `fileIndex` points into them.
        var sources: [SnapshotSource]
        var points: [(point: MarketChart.Point, fileIndex: Int32)] = []
        var rejects: [(file: String, locator: String, reason: String)] = []
        /// Whether a point fell outside the span merged (and merging stopped there).
        var strayed = false
    }

    /// What the parser thread hands over for a slice.
    private enum MergedSlice {
        /// The slice's points.
        case slice(Merged)
        /// The whole coin, in place of what its earlier slices wrote: a snapshot held a point
        /// outside its slice, so the slices could not be trusted.
        case wholeCoin(Merged)
        /// Nothing: the coin was merged whole at an earlier slice.
        case skipped
    }

    func build() throws -> BuildOutcome {
        let database = try SilverDatabase.open(context)
        let store = context.raw
        let grouped = Dictionary(grouping: try store.snapshots(of: SilverInputs.marketChart)) { RawKey.entity(of: $0.key) }
        let coins = grouped.keys.sorted().map { coinID in
            CoinSources(coinID: coinID, sources: SnapshotSource.newestFirst(grouped[coinID]!, store: store))
        }
        let consumed = ConsumedFiles(database: database, asset: context.key)
        let reader = try SnapshotReader(database: database, store: store)
        if let newSources = try newSourcesOnly(coins, consumed: consumed, database: database, reader: reader) {
            return try extend(with: newSources, database: database, consumed: consumed, reader: reader)
        }
        var rejects = RejectLog(asset: context.key)
        let rows = try Self.table.run(in: database, fill: { name -> Int in
            try write(coins, into: name, replacing: false, database: database, reader: reader, rejects: &rejects).count
        }, finish: { rows in
            try rejects.write(to: database)
            try ChangeLog(database: database, asset: context.key).recordRebuild()
            try consumed.replace(with: coins.lazy.flatMap(\.sources).map { (path: $0.snapshot.relativePath, sha256: reader.digest(of: $0)) })
            try reader.save()
            try context.record(in: database, rows: rows, rejects: rejects.count)
        })
        return BuildOutcome(rows: rows, rejects: rejects.count, recorded: true)
    }

    /// Each coin's snapshots the table has not seen, or nil when the table must be rebuilt whole.
    private func newSourcesOnly(_ coins: [CoinSources], consumed: ConsumedFiles, database: Database, reader: SnapshotReader) throws -> [CoinSources]? {
        guard try context.mayExtend(Self.table.table, in: database) else { return nil }
        let seen = try consumed.load()
        guard !seen.isEmpty else { return nil }
        var stillThere = 0
        var fresh: [CoinSources] = []
        for coin in coins {
            let old = coin.sources.filter { seen[$0.snapshot.relativePath] != nil }
            for source in old {
                // Changed in place (re-fetched, edited, restored): what the table holds is not what is on disk.
                guard let digest = reader.digest(of: source), seen[source.snapshot.relativePath]! == digest else { return nil }
            }
            stillThere += old.count
            let new = coin.sources.filter { seen[$0.snapshot.relativePath] == nil }
            guard !new.isEmpty else { continue }
            // New snapshots must be the newest, else they would not simply win over the old points.
            if let newestOld = old.first, let oldestNew = new.last, !SnapshotSource.newer(oldestNew, newestOld) { return nil }
            fresh.append(CoinSources(coinID: coin.coinID, sources: new))
        }
        return stillThere == seen.count ? fresh : nil
    }

    /// Adds the points of new snapshots to the table in place, newest winning.
    private func extend(with coins: [CoinSources], database: Database, consumed: ConsumedFiles, reader: SnapshotReader) throws -> BuildOutcome {
        var rejects = RejectLog(asset: context.key, replacing: false)
        let before = try database.scalar("SELECT count(*) FROM \(Self.table.table)")?.int ?? 0
        let (rows, rejected) = try database.transaction { () -> (Int, Int) in
            let written = try write(coins, into: Self.table.table, replacing: true, database: database, reader: reader, rejects: &rejects)
            try rejects.write(to: database)
            try ChangeLog(database: database, asset: context.key).record(written.firstTimestamps.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 })
            try consumed.add(coins.lazy.flatMap(\.sources).map { (path: $0.snapshot.relativePath, sha256: reader.digest(of: $0)) })
            try reader.save()
            return try SilverDatabase.recordAppend(database, table: Self.table.table, context: context)
        }
        return BuildOutcome(rows: rows, rowsWritten: rows - before, rejects: rejected, recorded: true)
    }

    /// What `write` wrote: the number of points, and each coin's first timestamp.
    private struct Written {
        var count = 0
        var firstTimestamps: [String: Int64] = [:]
    }

    /// Parses and merges each coin's snapshots and inserts its points into `table` (replacing
    /// rows with the same key when `replacing`), writing rejects per slice and what the reader
    /// learned per coin. A rebuild merges in slices of time; an extension merges each coin's new
    /// snapshots whole (a day's, normally; a backfill of years arriving at once is held whole).
    private func write(_ coins: [CoinSources], into table: String, replacing: Bool, database: Database, reader: SnapshotReader,
                       rejects: inout RejectLog) throws -> Written {
        // Rows go in batches of `batch` per statement: a statement's own cost (reset, step, opening
        // its cursor) is paid per batch, not per row. A slice's last rows go in statements of
        // 512, 256, ... 1 rows, so a handful of statements serve every slice. A rebuild inserts
        // OR FAIL: a statement of many rows that could ABORT must be able to undo its own rows, so
        // SQLite copied every page it touched that an earlier statement wrote (the B-tree's right
        // edge) to a statement journal first, three writes in four; a failure fails the whole
        // build's transaction either way.
        let batch = 1024
        func insertSQL(rows: Int) -> String {
            "INSERT \(replacing ? "OR REPLACE " : "OR FAIL ")INTO \(table)(coin_id, ts, price, market_cap, volume, raw_file_id) VALUES "
                + Array(repeating: "(?1, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
        }
        var statements: [Int: Statement] = [:]
        func insert(rows: Int) throws -> Statement {
            if let prepared = statements[rows] { return prepared }
            let statement = try database.prepare(insertSQL(rows: rows))
            statements[rows] = statement
            return statement
        }
        func insert(_ merged: Merged, of coinID: String) throws {
            let fileIDs = try merged.sources.map { try SilverDatabase.rawFileID(database, path: $0.snapshot.relativePath, meta: $0.meta) }
            func bind(_ statement: Statement, _ rows: ArraySlice<(point: MarketChart.Point, fileIndex: Int32)>) throws {
                statement.bind(coinID, at: 1)
                var index: Int32 = 2
                for (point, fileIndex) in rows {
                    statement.bind(point.ts, at: index)
                    statement.bind(point.price, at: index + 1)
                    statement.bind(point.marketCap, at: index + 2)
                    statement.bind(point.volume, at: index + 3)
                    statement.bind(fileIDs[Int(fileIndex)], at: index + 4)
                    index += 5
                }
                try statement.run()
            }
            let points = merged.points
            var start = 0
            var size = batch
            while start < points.count {
                while points.count - start < size { size /= 2 }
                try bind(try insert(rows: size), points[start..<(start + size)])
                start += size
            }
        }
        // Slices only in a rebuild: merging a coin whole after all takes back the rows its
        // slices wrote, which in place would take the table's own rows with them.
        let slices = replacing ? coins.map(CoinSlice.init(whole:)) : coins.flatMap { CoinSlice.slices(of: $0, bytes: sliceBytes) }
        let merger = SliceMerger(reader: reader)
        var written = Written()
        var coin = (count: 0, first: Int64?.none)
        var done = 0
        // One parser thread: it must meet a coin's slices in order, to skip the rest of a coin it merged whole.
        try OrderedPipeline.run(slices, producers: 1, produce: merger.merge, consume: { slice, outcome in
            switch outcome {
            case .skipped:
                break
            case .slice(let merged), .wholeCoin(let merged):
                if case .wholeCoin = outcome {
                    if !slice.isFirst {
                        try database.execute("DELETE FROM \(table) WHERE coin_id = ?", [.text(slice.coinID)])
                        try rejects.retract(files: slice.coin.sources.map(\.snapshot.relativePath), in: database)
                    }
                    coin = (0, nil)
                }
                try insert(merged, of: slice.coinID)
                coin = (coin.count + merged.points.count, coin.first ?? merged.points.first?.point.ts)
                for reject in merged.rejects { rejects.add(file: reject.file, locator: reject.locator, reason: reject.reason) }
            }
            try rejects.write(to: database)
            guard slice.isLast else { return }
            try reader.save()
            written.count += coin.count
            if let first = coin.first { written.firstTimestamps[slice.coinID] = first }
            coin = (0, nil)
            done += 1
            if done % 20 == 0 || done == coins.count { context.progress(done, coins.count) }
        })
        return written
    }

    /// Merges slices on the parser thread, and remembers a coin it had to merge whole so that
    /// its later slices are skipped.
    private final class SliceMerger: @unchecked Sendable {
        let reader: SnapshotReader
        /// The coin merged whole at one of its slices; touched by the parser thread only.
        private var mergedWhole: String?

        init(reader: SnapshotReader) { self.reader = reader }

        func merge(_ slice: CoinSlice) -> MergedSlice {
            if mergedWhole == slice.coinID { return .skipped }
            let merged = Self.merge(slice.sources, within: slice.span, reader: reader)
            guard merged.strayed else { return .slice(merged) }
            mergedWhole = slice.coinID
            return .wholeCoin(Self.merge(slice.coin.sources, within: CoinSlice.allTime, reader: reader))
        }

        /// Parses snapshots and merges them: one point per timestamp, the newest snapshot's value
        /// winning, sorted by timestamp so inserts append to the primary key; stops, `strayed`,
        /// at a point outside `span`.
        private static func merge(_ sources: [SnapshotSource], within span: ClosedRange<Int64>, reader: SnapshotReader) -> Merged {
            var merged = Merged(sources: sources)
            for (fileIndex, source) in sources.enumerated() {
                let file = source.snapshot.relativePath
                do {
                    let chart = try MarketChart.parse(try reader.body(of: source))
                    for point in chart.points {
                        guard span.contains(point.ts) else {
                            merged.strayed = true
                            return merged
                        }
                        merged.points.append((point, Int32(fileIndex)))
                    }
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
}
