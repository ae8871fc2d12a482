/// A declared layout as SQLite DDL: the one place a silver table's columns, types, key,
/// indexes and descriptions are written; the DDL, the insert's columns, the asset's column
/// descriptions and (through SQLite) the PostgreSQL table all come from it.
extension TableLayout {
    /// A layout as a layer declares it.
    public init(_ name: String, _ columns: [Column], primaryKey: [String], indexes: [Index] = [], withoutRowID: Bool = false) {
        self.init(name: name, columns: columns, primaryKey: primaryKey, indexes: indexes, withoutRowID: withoutRowID)
    }

    /// `CREATE TABLE` under `name` (a scratch name while the table is rebuilt).
    public func createSQL(as name: String) -> String {
        var lines = columns.map { column in
            "\(column.name) \(column.type.rawValue.uppercased())" + (column.notNull ? " NOT NULL" : "") + (column.defaultSQL.map { " DEFAULT \($0)" } ?? "")
        }
        if !primaryKey.isEmpty { lines.append("PRIMARY KEY (\(primaryKey.joined(separator: ", ")))") }
        return "CREATE TABLE \(name) (\n    " + lines.joined(separator: ",\n    ") + "\n)" + (withoutRowID ? " WITHOUT ROWID" : "")
    }

    /// `CREATE INDEX` for each index, on the table's own name.
    public var indexSQL: [String] {
        indexes.map { "CREATE \($0.unique ? "UNIQUE " : "")INDEX \($0.name) ON \(name)(\($0.columns.joined(separator: ", ")))" }
    }

    /// Every column's description, by name: the asset's `columns`.
    public var descriptions: [String: String] {
        Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.description) })
    }
}

extension TableLayout.Column {
    /// A declared column.
    public init(_ name: String, _ type: TableLayout.ColumnType, notNull: Bool = false, default defaultSQL: String? = nil, _ description: String) {
        self.init(name: name, type: type, notNull: notNull, description: description, defaultSQL: defaultSQL)
    }

    /// The raw snapshot a silver row came from.
    public static let rawFile = TableLayout.Column("raw_file_id", .integer, notNull: true, "the raw snapshot the row came from: _raw_files.raw_file_id")
}

extension TableRebuild {
    /// The rebuild of a declared table: its DDL and indexes.
    public init(_ layout: TableLayout) {
        self.init(table: layout.name, create: layout.createSQL(as:), indexes: layout.indexSQL)
    }
}
