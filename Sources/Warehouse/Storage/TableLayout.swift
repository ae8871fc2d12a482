import Foundation

/// A table's shape: its columns with their types and descriptions, primary key and indexes.
/// Silver declares each of its tables once as a layout (`TableLayout+SQLite` makes the DDL);
/// a layout read back from SQLite is what other targets (PostgreSQL) create the same table from.
public struct TableLayout: Equatable, Sendable {
    /// The type a column holds, in terms every SQL target has.
    public enum ColumnType: String, Sendable {
        case integer, real, text, blob
    }

    public struct Column: Equatable, Sendable {
        public let name: String
        public let type: ColumnType
        public let notNull: Bool
        /// What the column means (empty when read from SQLite).
        public let description: String
        /// SQL for the value a row gets when the insert leaves the column out: a column filled
        /// after the rows are in (e.g. a flag derived from the table).
        public let defaultSQL: String?

        public init(name: String, type: ColumnType, notNull: Bool, description: String = "", defaultSQL: String? = nil) {
            self.name = name
            self.type = type
            self.notNull = notNull
            self.description = description
            self.defaultSQL = defaultSQL
        }
    }

    public struct Index: Equatable, Sendable {
        public let name: String
        public let columns: [String]
        public let unique: Bool

        public init(_ name: String, on columns: [String], unique: Bool = false) {
            self.name = name
            self.columns = columns
            self.unique = unique
        }
    }

    public let name: String
    public let columns: [Column]
    /// The primary key's columns in key order; empty when the table has none.
    public let primaryKey: [String]
    /// The indexes besides the primary key.
    public let indexes: [Index]
    /// A SQLite `WITHOUT ROWID` table: rows stored in primary-key order.
    public var withoutRowID = false

    /// The columns an insert fills: all but `raw_file_id` (the loader's) and those with a default
    /// (filled after the rows are in).
    public var filledColumns: [String] {
        columns.filter { $0.name != Column.rawFile.name && $0.defaultSQL == nil }.map(\.name)
    }

    /// The same table under another name (`check_results` published as `checks`); its indexes
    /// are renamed with it so they stay apart from the original's.
    public func renamed(_ name: String) -> TableLayout {
        TableLayout(name: name, columns: columns, primaryKey: primaryKey,
                    indexes: indexes.map { Index($0.name.replacingOccurrences(of: self.name, with: name), on: $0.columns, unique: $0.unique) }, withoutRowID: withoutRowID)
    }

    /// Reads `table` from `database` (in `schema`, e.g. an attached `silver`), nil when absent.
    /// A column declared without a type (a `CREATE TABLE ... AS SELECT` expression) takes the
    /// type its stored values have.
    public static func read(_ table: String, schema: String = "main", from database: Database) throws -> TableLayout? {
        guard try database.tableExists(table, schema: schema) else { return nil }
        let info = try database.rows("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?, ?) ORDER BY cid", [.text(table), .text(schema)])
        var columns: [Column] = []
        var keyed: [(Int, String)] = []
        for row in info {
            let name = row[0].string ?? ""
            let declared = row[1].string ?? ""
            let type = try Self.type(declared: declared) ?? Self.storedType(of: name, in: "\(schema).\(table)", database: database)
            columns.append(Column(name: name, type: type, notNull: (row[2].int ?? 0) != 0 || (row[3].int ?? 0) > 0))
            if let position = row[3].int, position > 0 { keyed.append((position, name)) }
        }
        var indexes: [Index] = []
        for index in try database.rows("SELECT name, \"unique\", origin FROM pragma_index_list(?, ?) ORDER BY name", [.text(table), .text(schema)]) {
            guard let name = index[0].string, index[2].string == "c" else { continue } // "pk" and "u" come with the table
            let indexed = try database.rows("SELECT name FROM pragma_index_info(?, ?) ORDER BY seqno", [.text(name), .text(schema)]).compactMap { $0[0].string }
            guard indexed.count > 0 else { continue } // an index on an expression has no plain columns to copy
            indexes.append(Index(name, on: indexed, unique: (index[1].int ?? 0) != 0))
        }
        let sql = try database.scalar("SELECT sql FROM \(schema).sqlite_master WHERE type = 'table' AND name = ?", [.text(table)])?.string ?? ""
        return TableLayout(name: table, columns: columns, primaryKey: keyed.sorted { $0.0 < $1.0 }.map(\.1), indexes: indexes,
                           withoutRowID: sql.uppercased().contains("WITHOUT ROWID"))
    }

    /// SQLite's type affinity rules (section 3.1 of its datatype page) applied to a declared type.
    static func type(declared: String) -> ColumnType? {
        let upper = declared.uppercased()
        if upper.isEmpty { return nil }
        if upper.contains("INT") { return .integer }
        if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") { return .text }
        if upper.contains("BLOB") { return .blob }
        if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") { return .real }
        return .real // NUMERIC affinity: the warehouse stores numbers there
    }

    /// The widest type among a column's stored values (text over real over integer).
    static func storedType(of column: String, in table: String, database: Database) throws -> ColumnType {
        let name = "\"" + column.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let kinds = Set(try database.rows("SELECT DISTINCT typeof(\(name)) FROM \(table)").compactMap { $0[0].string })
        if kinds.contains("text") { return .text }
        if kinds.contains("blob") { return .blob }
        if kinds.contains("real") { return .real }
        if kinds.contains("integer") { return .integer }
        return .text
    }
}
