import Warehouse

/// A table in PostgreSQL made to match a `TableLayout`: created with the same columns, primary
/// key and indexes, then kept in step as the layout grows. A column the warehouse gains is
/// added with `ALTER TABLE`; one it loses stays (nullable) with the user's data in it; nothing
/// is ever dropped.
struct PostgresTable {
    let schema: String
    let layout: TableLayout

    /// `schema.table`, as messages show it.
    var name: String { "\(schema).\(layout.name)" }

    var qualifiedName: String { "\(quoted(schema)).\(quoted(layout.name))" }

    static func type(of column: TableLayout.Column) -> String {
        switch column.type {
        case .integer: "bigint"
        case .real: "double precision"
        case .text: "text"
        case .blob: "bytea"
        }
    }

    /// Creates the schema and table when missing, else brings the table's columns in line.
    /// Returns whether it created the table: it is then empty and without its primary key,
    /// which `addPrimaryKey` builds once the rows are in (one sort instead of a b-tree insert per row).
    @discardableResult
    func prepare(on connection: PostgresConnection) throws -> Bool {
        try connection.execute("CREATE SCHEMA IF NOT EXISTS \(quoted(schema))")
        let existing = try connection.query("""
            SELECT column_name, CASE WHEN data_type = 'USER-DEFINED' THEN udt_name ELSE data_type END, is_nullable
            FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2
            """, [schema, layout.name])
        guard !existing.isEmpty else {
            let lines = layout.columns.map { "\(quoted($0.name)) \(Self.type(of: $0))\($0.notNull ? " NOT NULL" : "")" }
            try connection.execute("CREATE TABLE \(qualifiedName) (\n    \(lines.joined(separator: ",\n    "))\n)")
            return true
        }
        let types = Dictionary(existing.map { ($0[0] ?? "", $0[1] ?? "") }, uniquingKeysWith: { first, _ in first })
        for column in layout.columns {
            let wanted = Self.type(of: column)
            guard let type = types[column.name] else {
                // Rows published before the column existed have no value for it: it starts nullable.
                try connection.execute("ALTER TABLE \(qualifiedName) ADD COLUMN \(quoted(column.name)) \(wanted)")
                continue
            }
            if type != wanted, Self.widens(from: type, to: wanted) {
                try connection.execute("ALTER TABLE \(qualifiedName) ALTER COLUMN \(quoted(column.name)) TYPE \(wanted) USING \(quoted(column.name))::\(wanted)")
            }
        }
        let kept = Set(layout.columns.map(\.name))
        for row in existing where !kept.contains(row[0] ?? "") && row[2] == "NO" {
            // A column the warehouse no longer writes keeps its data, and must take NULL from now on.
            try connection.execute("ALTER TABLE \(qualifiedName) ALTER COLUMN \(quoted(row[0] ?? "")) DROP NOT NULL")
        }
        return false
    }

    /// The primary key of a table `prepare` created, once its rows are in.
    func addPrimaryKey(on connection: PostgresConnection) throws {
        guard !layout.primaryKey.isEmpty else { return }
        try connection.execute("ALTER TABLE \(qualifiedName) ADD PRIMARY KEY (\(layout.primaryKey.map(quoted).joined(separator: ", ")))")
    }

    /// Whether a column of type `from` may become `to` without losing a value.
    static func widens(from: String, to: String) -> Bool {
        to == "text" || (from == "bigint" && to == "double precision")
    }

    /// The layout's secondary indexes, and the comments that describe the table and its columns.
    /// A unique index becomes a unique constraint checked at commit (`DEFERRABLE INITIALLY
    /// DEFERRED`): a merge that moves a rank from one row to another passes through states that
    /// repeat it, and only the committed table must be unique.
    func describe(summary: String?, columns: [String: String], on connection: PostgresConnection) throws {
        for index in layout.indexes {
            let indexed = index.columns.map(quoted).joined(separator: ", ")
            guard index.unique else {
                try connection.execute("CREATE INDEX IF NOT EXISTS \(quoted(index.name)) ON \(qualifiedName) (\(indexed))")
                continue
            }
            let present = try connection.query("SELECT 1 FROM pg_constraint WHERE conname = $1 AND conrelid = $2::regclass", [index.name, qualifiedName])
            guard present.isEmpty else { continue }
            try connection.execute("ALTER TABLE \(qualifiedName) ADD CONSTRAINT \(quoted(index.name)) UNIQUE (\(indexed)) DEFERRABLE INITIALLY DEFERRED")
        }
        if let summary, !summary.isEmpty { try connection.execute("COMMENT ON TABLE \(qualifiedName) IS \(literal(summary))") }
        for column in layout.columns {
            guard let meaning = columns[column.name], !meaning.isEmpty else { continue }
            try connection.execute("COMMENT ON COLUMN \(qualifiedName).\(quoted(column.name)) IS \(literal(meaning))")
        }
    }
}
