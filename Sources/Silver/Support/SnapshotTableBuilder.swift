import Foundation
import Warehouse

/// Rows parsed from one snapshot, and what was set aside (locator, reason).
struct ParsedRows {
    var rows: [[SQLValue]] = []
    var rejects: [(String, String)] = []

    mutating func reject(_ locator: String, _ reason: String) { rejects.append((locator, reason)) }
}

/// Builds a silver table from every snapshot of one raw dataset: each snapshot parses into
/// rows, and where two rows share the table's primary key the newer one wins: the newer
/// snapshot (by `fetched_at`), and within a snapshot the later row. A file that cannot be
/// parsed at all goes to `_rejects` whole; the rest still load. The table, its rejects and its
/// materialization record are replaced in one transaction.
struct SnapshotTableBuilder {
    let context: BuildContext
    let dataset: RawDataset
    let table: TableRebuild
    /// Columns the parser fills, in order; `raw_file_id` is appended.
    let columns: [String]
    /// Which snapshots hold rows for this table (others, such as lists used for lookups, are skipped).
    var includes: (RawSnapshot) -> Bool = { _ in true }
    let parse: (RawSnapshot, Data, SnapshotMeta?) throws -> ParsedRows
    /// Runs on the filled build table (its name passed) before the swap: derived columns.
    var derive: (Database, String) throws -> Void = { _, _ in }

    func build() throws -> BuildOutcome {
        let database = try SilverDatabase.open(context)
        let store = context.raw
        let snapshots = SnapshotSource.newestFirst(try store.snapshots(of: dataset).filter(includes), store: store)
        var rejects = RejectLog(asset: context.key)
        let allColumns = columns + ["raw_file_id"]
        let rows = try table.run(in: database, fill: { name -> Int in
            let insert = try database.prepareInsert(into: name, columns: allColumns, or: "IGNORE")
            var inserted = 0
            for (index, source) in snapshots.enumerated() {
                let (snapshot, meta) = (source.snapshot, source.meta)
                let file = snapshot.relativePath
                let parsed: ParsedRows
                do {
                    parsed = try parse(snapshot, try store.body(of: snapshot), meta)
                } catch {
                    rejects.add(file: file, locator: "file", reason: "\(error)")
                    continue
                }
                let fileID = try SilverDatabase.rawFileID(database, path: file, meta: meta)
                for row in parsed.rows.reversed() {
                    try insert.bind(row + [.integer(fileID)])
                    try insert.run()
                    inserted += database.changes
                }
                for (locator, reason) in parsed.rejects { rejects.add(file: file, locator: locator, reason: reason) }
                if index % 50 == 0 { context.progress(index + 1, snapshots.count) }
            }
            try derive(database, name)
            return inserted
        }, finish: { rows in
            try rejects.write(to: database)
            try context.record(in: database, rows: rows, rejects: rejects.count)
        })
        return BuildOutcome(rows: rows, rejects: rejects.count, recorded: true)
    }
}

/// Shared conversions for parsers.
enum SilverValues {
    /// The UTC day of a Unix time in seconds, as `YYYY-MM-DD`.
    static func date(unixSeconds: Double) -> SQLValue { .text(Day(unixSeconds: Int64(unixSeconds.rounded(.down))).description) }

    /// An ISO 8601 time as Unix milliseconds (sub-millisecond digits dropped).
    static func millis(iso text: String?) -> SQLValue {
        text.flatMap(ISO8601.unixMilliseconds).map(SQLValue.integer) ?? .null
    }

    /// A body that must be a JSON object or array, else a clear error for `_rejects`.
    static func document(_ body: Data, expecting: String) throws -> JSONValue {
        let value = try JSONValue.parse(body)
        switch value {
        case .object, .array: return value
        default: throw SilverParseError(message: "body is not \(expecting)")
        }
    }
}

/// A raw body that is valid JSON but not the endpoint's shape.
struct SilverParseError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
