import Foundation
import Warehouse

/// Rows parsed from one snapshot, each with where it was in the body (a JSON path such as
/// `prices[3]`), and what was set aside: where, why, and the row-level rule it broke, if it was
/// quarantined by one (a check then counts those, see `AssetCheck.Kind.quarantined`).
struct ParsedRows {
    /// Where a row came from in its file, made into text only when a row is rejected (a stream
    /// segment's millions of rows never pay for "line N").
    enum Locator: CustomStringConvertible {
        case text(String)
        case line(Int)

        var description: String {
            switch self {
            case .text(let text): return text
            case .line(let number): return "line \(number)"
            }
        }
    }

    /// Every row's values one after another, `width` each: one allocation per file, not per row.
    private(set) var values: [SQLValue] = []
    private(set) var locators: [Locator] = []
    private(set) var width = 0
    var rejects: [(locator: String, reason: String, rule: String?)] = []

    var count: Int { locators.count }

    /// Row `index`'s values.
    func values(of index: Int) -> ArraySlice<SQLValue> { values[(index * width)..<((index + 1) * width)] }

    mutating func add(_ locator: String, _ row: [SQLValue]) { add(.text(locator)) { $0.append(contentsOf: row) } }
    mutating func add(line: Int, _ row: [SQLValue]) { add(.line(line)) { $0.append(contentsOf: row) } }

    /// Adds a row whose values `write` appends (every row of a file has the same number).
    mutating func add(_ locator: Locator, _ write: (inout [SQLValue]) -> Void) {
        let before = values.count
        write(&values)
        if locators.isEmpty { width = values.count - before }
        precondition(values.count - before == width, "a parsed row has \(values.count - before) values, its file's first had \(width)")
        locators.append(locator)
    }

    mutating func reject(_ locator: String, _ reason: String, rule: String? = nil) { rejects.append((locator, reason, rule)) }
}

/// Builds a silver table from every snapshot of one raw dataset: each snapshot parses into
/// rows, and where two rows share the table's primary key the newer one wins: the newer
/// snapshot (by `fetched_at`), and within a snapshot the later row, the earlier one going to
/// `_rejects` as a duplicate. A file that cannot be parsed at all, or no longer matches its
/// metadata, goes to `_rejects` whole; the rest still load. The table, its rejects and its
/// materialization record are replaced in one transaction.
struct SnapshotTableBuilder {
    let context: BuildContext
    let dataset: RawDataset
    /// The table's declaration: the parser fills its `filledColumns`, in order; `raw_file_id` is appended.
    let layout: TableLayout
    /// Which snapshots hold rows for this table (others, such as lists used for lookups, are skipped).
    var includes: (RawSnapshot) -> Bool = { _ in true }
    /// The key of a reference snapshot in the same dataset (a list the rows are looked up in):
    /// its newest snapshot is parsed once and handed to every `parse`, and holds no rows itself.
    var referenceKey: String?
    /// Rows of one snapshot: its body, metadata and the parsed reference snapshot, if any.
    let parse: (RawSnapshot, Data, SnapshotSource.Meta?, JSONValue?) throws -> ParsedRows
    /// Whether rows of one file sharing a key are expected, the later standing for the earlier
    /// (an hourly series stored per day); otherwise the earlier ones are rejected as duplicates.
    var laterRowsReplaceEarlier = false
    /// Runs on the filled build table (its name passed) before the swap: derived columns.
    var derive: (Database, String) throws -> Void = { _, _ in }

    func build() throws -> BuildOutcome {
        let database = try SilverDatabase.open(context)
        let store = context.raw
        let reader = try SnapshotReader(database: database, store: store)
        let snapshots = SnapshotSource.newestFirst(try store.snapshots(of: dataset).filter { includes($0) && RawKey.base(of: $0.key) != referenceKey }, store: store)
        var rejects = RejectLog(asset: context.key)
        let reference = try referenceKey.flatMap { try ReferenceSnapshot.newest($0, of: dataset, store: store, reader: reader, rejects: &rejects) }
        let allColumns = layout.filledColumns + [TableLayout.Column.rawFile.name]
        let rows = try TableRebuild(layout).run(in: database, fill: { name -> Int in
            let insert = try database.prepareInsert(into: name, columns: allColumns, or: "IGNORE")
            let duplicates = try DuplicateFinder(database: database, table: name, columns: allColumns)
            var inserted = 0
            for (index, source) in snapshots.enumerated() {
                let (snapshot, meta) = (source.snapshot, source.meta)
                let file = snapshot.relativePath
                let parsed: ParsedRows
                do {
                    parsed = try parse(snapshot, try reader.body(of: source), meta, reference)
                } catch {
                    rejects.add(file: file, locator: "file", reason: "\(error)")
                    continue
                }
                let fileID = try SilverDatabase.rawFileID(database, path: file, meta: meta)
                for index in (0..<parsed.count).reversed() {
                    let values = Array(parsed.values(of: index)) + [.integer(fileID)]
                    try insert.bind(values)
                    try insert.run()
                    if database.changes == 1 {
                        inserted += 1
                    } else if !laterRowsReplaceEarlier, try duplicates.isFromSameFile(values, fileID: fileID) {
                        // A newer snapshot's row winning is what overlapping fetches are for; two rows
                        // for one key in one file is a defect of that file.
                        rejects.add(file: file, locator: parsed.locators[index].description, reason: "duplicate \(duplicates.keyDescription(values)): a later row of this file has the same key and is kept")
                    }
                }
                for reject in parsed.rejects { rejects.add(file: file, locator: reject.locator, reason: reject.reason, rule: reject.rule) }
                try rejects.write(to: database)
                if index % 50 == 0 { context.progress(index + 1, snapshots.count) }
            }
            try derive(database, name)
            return inserted
        }, finish: { rows in
            try rejects.write(to: database)
            try reader.save()
            try context.record(in: database, rows: rows, rejects: rejects.count)
        })
        return BuildOutcome(rows: rows, rejects: rejects.count, recorded: true)
    }
}

/// Tells whether a row that an `INSERT OR IGNORE` skipped lost to a row of the same file (a
/// duplicate key inside one snapshot) rather than to a newer snapshot's.
struct DuplicateFinder {
    private let keyIndexes: [Int]
    private let keyNames: [String]
    private let lookup: Statement

    init(database: Database, table: String, columns: [String]) throws {
        let key = try database.rows("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", [.text(table)]).compactMap { $0[0].string }
        keyNames = key
        keyIndexes = key.compactMap { columns.firstIndex(of: $0) }
        lookup = try database.prepare("SELECT raw_file_id FROM \(table) WHERE " + key.map { "\($0) = ?" }.joined(separator: " AND "))
    }

    func isFromSameFile(_ values: [SQLValue], fileID: Int64) throws -> Bool {
        guard keyIndexes.count == keyNames.count, !keyIndexes.isEmpty else { return false }
        lookup.reset()
        try lookup.bind(keyIndexes.map { values[$0] })
        defer { lookup.reset() }
        return try lookup.step() && lookup.int64(at: 0) == fileID
    }

    /// `coin_id=bitcoin, date=2026-11-20`.
    func keyDescription(_ values: [SQLValue]) -> String {
        zip(keyNames, keyIndexes).map { "\($0)=\(values[$1].rendered)" }.joined(separator: ", ")
    }
}

/// Shared conversions for parsers.
enum SilverValues {
    /// The UTC day of a Unix time in seconds, as `YYYY-MM-DD`; nil unless it falls between 1970 and 2200.
    static func date(unixSeconds: Double) -> SQLValue? {
        InputNumber.unixSeconds(unixSeconds).map { .text(Day(unixSeconds: $0).description) }
    }

    /// A whole number as INTEGER, NULL when absent; nil (reject the row) when present but not a
    /// whole number within `range`.
    static func integer(_ value: JSONValue?, in range: ClosedRange<Int64>) -> SQLValue? {
        guard let value, value != .null else { return .null }
        guard let number = value.number, let whole = InputNumber.integer(number, in: range) else { return nil }
        return .integer(whole)
    }

    /// An ISO 8601 time as Unix milliseconds (sub-millisecond digits dropped).
    static func millis(iso text: String?) -> SQLValue {
        text.flatMap(ISO8601.unixMilliseconds).map(SQLValue.integer) ?? .null
    }

    /// A number as REAL: NULL when absent or null, nil (reject the row) when present but not a
    /// finite number or numeric string.
    static func real(_ value: JSONValue?) -> SQLValue? {
        guard let value, value != .null else { return .null }
        return value.number.map(SQLValue.real)
    }

    /// The named fields of an object as REALs; the first field that is present but not a number
    /// comes back instead, to reject the row with.
    static func reals(_ object: JSONValue, _ fields: [String]) -> Result<[SQLValue], UnusableField> {
        var values: [SQLValue] = []
        values.reserveCapacity(fields.count)
        for field in fields {
            guard let value = real(object[field]) else { return .failure(UnusableField(name: field, value: object[field])) }
            values.append(value)
        }
        return .success(values)
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

/// A field whose value cannot be stored (a number field holding text, an object, NaN).
struct UnusableField: Error, CustomStringConvertible {
    let name: String
    let value: JSONValue?
    var description: String { "\(name) is \((value?.compactText ?? "missing").prefix(60)), not a number" }
}

/// A raw body that is valid JSON but not the endpoint's shape.
struct SilverParseError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
