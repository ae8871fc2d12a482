import Foundation

/// Exports a SQLite table to Parquet or CSV, streaming rows in primary-key order; the file
/// appears whole (written aside, then renamed). With `partitionBy`, Parquet goes to a
/// Hive-style folder: `OUT/<column>=<value>/part-00000.parquet`, the column carried by the
/// path; `month` and `year` split by the `date` column (`month=2026-11/`), which stays in the files.
public struct TableExporter {
    public enum Format: String, CaseIterable, Sendable {
        case parquet, csv
    }

    public let database: Database
    public let table: String
    /// Written into every Parquet file's footer (key-value metadata).
    public let metadata: [String: String]

    public init(database: Database, table: String, metadata: [String: String] = [:]) {
        self.database = database
        self.table = table
        self.metadata = metadata
    }

    /// The footer metadata that says what an asset's table and columns mean and which version
    /// it is: `warehouse.asset`, `warehouse.description`, `warehouse.columns` (a JSON object,
    /// column -> description), and from the materialization `warehouse.run_id` and `warehouse.fingerprint`.
    public static func metadata(of spec: AssetSpec, version record: MaterializationRecord?) -> [String: String] {
        var metadata = ["warehouse.asset": spec.key.description, "warehouse.description": spec.summary]
        if let record {
            metadata["warehouse.run_id"] = record.runID
            metadata["warehouse.fingerprint"] = record.fingerprint
        }
        let described = spec.columns.filter { !$0.value.isEmpty && $0.key != "raw_file_id" }
        if !described.isEmpty {
            var writer = JSONWriter()
            writer.object { object in
                for (column, description) in described.sorted(by: { $0.key < $1.key }) { object.field(column) { $0.string(description) } }
            }
            metadata["warehouse.columns"] = String(decoding: writer.bytes, as: UTF8.self)
        }
        return metadata
    }

    /// The table's columns with their Parquet kinds, in table order.
    public func columns() throws -> [ParquetColumn] {
        let info = try database.rows("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid", [.text(table)])
        guard !info.isEmpty else { throw ExportError.noSuchTable(table: table, database: database.path) }
        // A WITHOUT ROWID table's key can hold no NULL; a rowid table's only when declared NOT NULL.
        let sql = try database.rows("SELECT sql FROM sqlite_master WHERE name = ?", [.text(table)]).first?[0].string ?? ""
        let keyIsNotNull = sql.uppercased().contains("WITHOUT ROWID")
        return info.filter { $0[0].string != "raw_file_id" }.map { row in
            let name = row[0].string ?? ""
            let required = (row[3].int ?? 0) > 0 && ((row[2].int ?? 0) == 1 || keyIsNotNull)
            return ParquetColumn(name: name, kind: ParquetColumn.kind(name: name, declaredType: row[1].string ?? ""), required: required)
        }
    }

    /// Writes the export to a destination and records it in the ledger; returns the rows
    /// written. The export is made aside and renamed into place, so a reader sees the previous
    /// file or the new one; a folder replaces a previous one by two renames, the old one removed
    /// only once the new one is in place.
    /// - Throws: `ExportError` for an unknown table or partition column, or the I/O error.
    @discardableResult
    public func export(to destination: ExportDestination, format: Format, partitionBy: String? = nil, ledger: ExportLedger,
                       rowGroupSize: Int = 128 * 1024, codec: ParquetCodec = .zstd) throws -> Int {
        let columns = try self.columns()
        let url = destination.url
        let folder = url.deletingLastPathComponent()
        // A name no one else holds: the removals below only ever touch what this export wrote.
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        let rows: Int
        do {
            if let partitionBy {
                rows = try exportPartitioned(columns: columns, by: try partitioning(partitionBy, columns), to: temporary,
                                             rowGroupSize: rowGroupSize, codec: codec)
            } else {
                rows = try exportFile(columns: columns, to: temporary, format: format, rowGroupSize: rowGroupSize, codec: codec)
            }
            try Self.moveIntoPlace(temporary, at: url, replacing: destination.replaces)
        } catch let error as ExportError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch let error as DatabaseError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            // The file system refused (permissions, a full disk): name the destination, not the scratch file.
            try? FileManager.default.removeItem(at: temporary)
            throw ExportError.unwritable(path: url.path, reason: (error as NSError).localizedDescription)
        }
        try ledger.record(url, asset: table, format: partitionBy == nil ? format.rawValue : "parquet-partitioned", rows: rows, at: Date())
        return rows
    }

    /// Renames a finished export over its destination. A file over a file is one atomic
    /// rename; otherwise the previous export moves aside first and is removed once the new one is there.
    private static func moveIntoPlace(_ temporary: URL, at url: URL, replacing: Bool) throws {
        let fileOverFile = !ExportDestination.isDirectory(temporary) && !ExportDestination.isDirectory(url)
        if !replacing || fileOverFile {
            guard rename(temporary.path, url.path) == 0 else { throw ExportError.unwritable(path: url.path, reason: String(cString: strerror(errno))) }
            return
        }
        // A name no one else holds, so nothing is removed before it is made: only the previous export lands there.
        let previous = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        guard rename(url.path, previous.path) == 0 else { throw ExportError.unwritable(path: url.path, reason: String(cString: strerror(errno))) }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = rename(previous.path, url.path)
            throw ExportError.unwritable(path: url.path, reason: reason)
        }
        try? FileManager.default.removeItem(at: previous)
    }

    private func primaryKey() throws -> [String] {
        let key = try database.rows("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", [.text(table)]).compactMap { $0[0].string }
        return key.isEmpty ? ["rowid"] : key
    }

    private func select(_ columns: [ParquetColumn], order: String) throws -> Statement {
        try database.prepare("SELECT \(columns.map { "\"\($0.name)\"" }.joined(separator: ", ")) FROM \"\(table)\" ORDER BY \(order)")
    }

    private func exportFile(columns: [ParquetColumn], to url: URL, format: Format, rowGroupSize: Int, codec: ParquetCodec) throws -> Int {
        let statement = try select(columns, order: try primaryKey().joined(separator: ", "))
        var rows = 0
        switch format {
        case .parquet:
            let writer = try ParquetWriter(path: url.path, columns: columns, rowGroupSize: rowGroupSize, metadata: metadata, codec: codec)
            while try statement.step() {
                try writer.append(Self.values(statement, columns))
                rows += 1
            }
            try writer.close()
        case .csv:
            let csv = try CSVWriter(path: url.path, header: columns.map(\.name))
            while try statement.step() {
                try csv.append((0..<Int32(columns.count)).map { statement.value(at: $0) })
                rows += 1
            }
            try csv.close()
        }
        return rows
    }

    /// How a partitioned export splits rows: by a column's value (the column then lives in the
    /// folder names, not in the files), or by the month or year of the `date` column (which stays).
    struct Partitioning: Equatable {
        let name: String
        let source: Int
        let prefix: Int?
        var dropsColumn: Bool { prefix == nil }

        /// The Hive folder of a key: `month=2026-11`.
        func folder(_ key: String) -> String { "\(name)=\(key)" }
    }

    func partitioning(_ name: String, _ columns: [ParquetColumn]) throws -> Partitioning {
        if let index = columns.firstIndex(where: { $0.name == name }) { return Partitioning(name: name, source: index, prefix: nil) }
        if let prefix = ["month": 7, "year": 4][name], let date = columns.firstIndex(where: { $0.name == "date" }) {
            return Partitioning(name: name, source: date, prefix: prefix)
        }
        throw ExportError.noSuchColumn(column: name, table: table)
    }

    /// Steps through the table in partition-key then primary-key order: `begin` with each new
    /// key, then `row` for each of its rows (the statement on that row). Unpartitioned, the
    /// whole table is one partition, key "", begun even when it has no rows.
    func scan(_ columns: [ParquetColumn], by partitioning: Partitioning?, begin: (String) throws -> Void, row: (Statement) throws -> Void) throws {
        let key = try primaryKey().joined(separator: ", ")
        guard let partitioning else {
            let statement = try select(columns, order: key)
            try begin("")
            while try statement.step() { try row(statement) }
            return
        }
        let split = Int32(partitioning.source)
        let column = "\"\(columns[partitioning.source].name)\""
        // Key then primary-key order inside each partition: a month's rows coin by coin, not day by day.
        let statement = try select(columns, order: "\(partitioning.prefix.map { "substr(\(column), 1, \($0))" } ?? column), \(key)")
        var current: String?
        while try statement.step() {
            let value = statement.value(at: split).rendered
            let key = partitioning.prefix.map { String(value.prefix($0)) } ?? value
            if key != current {
                try begin(key)
                current = key
            }
            try row(statement)
        }
    }

    /// The columns a partition's file holds: all but a partition column the path carries.
    func fileColumns(_ columns: [ParquetColumn], _ partitioning: Partitioning?) -> [ParquetColumn] {
        guard let partitioning, partitioning.dropsColumn else { return columns }
        return columns.enumerated().filter { $0.offset != partitioning.source }.map(\.element)
    }

    /// A row's values for a partition's file.
    func fileValues(_ statement: Statement, _ columns: [ParquetColumn], _ partitioning: Partitioning?) -> [ParquetValue?] {
        var values = Self.values(statement, columns)
        if let partitioning, partitioning.dropsColumn { values.remove(at: partitioning.source) }
        return values
    }

    /// One Hive-style folder per key (`date=2026-11-23/`, `month=2026-11/`), each with one file
    /// `part-00000.parquet`, rows in key then primary-key order.
    private func exportPartitioned(columns: [ParquetColumn], by partitioning: Partitioning, to folder: URL, rowGroupSize: Int,
                                   codec: ParquetCodec) throws -> Int {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fileColumns = fileColumns(columns, partitioning)
        var writer: ParquetWriter?
        var rows = 0
        try scan(columns, by: partitioning, begin: { key in
            try writer?.close()
            let part = folder.appendingPathComponent(partitioning.folder(key), isDirectory: true)
            try FileManager.default.createDirectory(at: part, withIntermediateDirectories: true)
            writer = try ParquetWriter(path: part.appendingPathComponent(Self.partFile).path, columns: fileColumns, rowGroupSize: rowGroupSize,
                                       metadata: metadata, codec: codec)
        }, row: { statement in
            try writer!.append(fileValues(statement, columns, partitioning))
            rows += 1
        })
        try writer?.close()
        return rows
    }

    /// The one file of each partition folder.
    static let partFile = "part-00000.parquet"

    static func values(_ statement: Statement, _ columns: [ParquetColumn]) -> [ParquetValue?] {
        columns.enumerated().map { index, column in
            let i = Int32(index)
            switch statement.value(at: i) {
            case .null: return nil
            case .integer(let v):
                switch column.kind {
                case .double: return .double(Double(v))
                case .string: return .string(String(v))
                default: return .int64(v)
                }
            case .real(let v):
                switch column.kind {
                case .double: return .double(v)
                case .string: return .string(String(v))
                default: return InputNumber.int64(v).map(ParquetValue.int64)
                }
            case .text(let v):
                switch column.kind {
                case .date: return Day(parsing: v).map { .date(Int32($0.ordinal)) }
                case .double: return Double(v).map(ParquetValue.double)
                case .int64, .timestampMillis: return Int64(v).map(ParquetValue.int64)
                case .string: return .string(v)
                }
            }
        }
    }
}

/// Why an export cannot be made. The CLI exits 2 on each: the fix is the user's.
public enum ExportError: WarehouseError {
    case noSuchTable(table: String, database: String)
    case noSuchColumn(column: String, table: String)
    /// `--out ''`.
    case emptyPath
    /// Something is at the path that this warehouse did not export there.
    case notAnExport(path: String, folder: Bool)
    /// The path is a warehouse database, its journal, the raw layer or another SQLite file.
    case warehouseFile(path: String)
    case unwritable(path: String, reason: String)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .noSuchTable(let table, let database):
            return ("table \(table) does not exist in \(database)", "materialize it first (`warehouse materialize +ASSET`)")
        case .noSuchColumn(let column, let table):
            return ("\(table) has no column \(column) to partition by", "pass one of its columns to --partition-by, or month or year for a table with a date column")
        case .emptyPath:
            return ("--out is empty", "give a file or folder, e.g. --out exports/, or leave --out out for ROOT/exports/")
        case .notAnExport(let path, let folder):
            return folder
                ? ("\(path) is a folder this warehouse did not export; it is never replaced", "choose another --out or move the folder away")
                : ("\(path) exists and is not an export this warehouse wrote", "choose another --out, or pass --force to replace it")
        case .warehouseFile(let path):
            return ("\(path) is part of a warehouse (a database, its journal or the raw layer) and is never an export destination", "choose another --out")
        case .unwritable(let path, let reason):
            return ("cannot write \(path): \(reason)", "choose a writable --out")
        }
    }
}
