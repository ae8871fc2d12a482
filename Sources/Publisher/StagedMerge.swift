import Warehouse

/// Brings a PostgreSQL table to the rows SQLite holds, inside the caller's transaction: the rows
/// go by `COPY` into a temporary stage, then one `DELETE` takes out what SQLite no longer has
/// and one `INSERT ... ON CONFLICT DO UPDATE` writes what is new or different. A reader sees
/// the old table or the new one, never a mix, and a row that did not change is not rewritten.
struct StagedMerge {
    /// Which rows the stage holds.
    enum Extent {
        /// Every row, into a table created in this transaction: copied straight in, no stage.
        case load
        /// Every row of the table.
        case whole
        /// The rows of each entity from its `since` on (the asset's `ChangeLog` since the last publish).
        case changes(ChangeScope, [String: Int64])
    }

    /// What a merge did.
    struct Counts {
        /// Rows copied to the server.
        var sent = 0
        /// Rows inserted or updated.
        var written = 0
        /// Rows deleted because SQLite no longer holds them.
        var deleted = 0
    }

    let table: PostgresTable

    /// Merges the rows `select` returns (the layout's columns in order, from `database`; with
    /// `.changes`, bound to each entity and its first changed value).
    func run(select: String, extent: Extent, from database: Database, on connection: PostgresConnection) throws -> Counts {
        let layout = table.layout
        let columns = layout.columns.map { quoted($0.name) }.joined(separator: ", ")
        var counts = Counts()
        let stage: String
        if case .load = extent {
            stage = table.qualifiedName
        } else {
            stage = quoted("warehouse_stage")
            try connection.execute("CREATE TEMP TABLE \(stage) (LIKE \(table.qualifiedName) INCLUDING DEFAULTS) ON COMMIT DROP")
        }
        let rows = try database.prepare(select)
        let copy = CopyText(table: table.name, columns: layout.columns)
        // One pass of the statement per entity (its binds), or one unbound pass for the whole table.
        let binds: [[SQLValue]] = switch extent {
        case .load, .whole: [[]]
        case .changes(let scope, let changed): changed.sorted { $0.key < $1.key }.map { [.text($0.key), scope.bound($0.value)] }
        }
        var next = binds.makeIterator()
        var stepping = false
        counts.sent = try connection.copy("COPY \(stage) (\(columns)) FROM STDIN") { buffer in
            while buffer.count < 1 << 20 {
                if !stepping {
                    guard let values = next.next() else { return false }
                    rows.reset()
                    try rows.bind(values)
                    stepping = true
                }
                if try rows.step() { try copy.append(rows, to: &buffer) } else { stepping = false }
            }
            return true
        }
        if case .load = extent {
            try table.addPrimaryKey(on: connection)
            counts.written = counts.sent
            return counts
        }
        try connection.execute("ANALYZE \(stage)")
        let key = layout.primaryKey
        let sameKey = key.map { "s.\(quoted($0)) = t.\(quoted($0))" }.joined(separator: " AND ")
        switch extent {
        case .load: break
        case .whole:
            counts.deleted = try connection.execute(key.isEmpty ? "DELETE FROM \(table.qualifiedName)"
                : "DELETE FROM \(table.qualifiedName) AS t WHERE NOT EXISTS (SELECT 1 FROM \(stage) AS s WHERE \(sameKey))")
        case .changes(let scope, let changed):
            let changedTable = quoted("warehouse_changed")
            // The bound has the since column's own type (a missing column fails the DELETE below, by name).
            let sinceType = layout.columns.first { $0.name == scope.sinceColumn }.map(PostgresTable.type(of:)) ?? "text"
            try connection.execute("CREATE TEMP TABLE \(changedTable) (entity text, since \(sinceType)) ON COMMIT DROP")
            let changedCopy = CopyText(table: table.name, columns: [TableLayout.Column(name: scope.entityColumn, type: .text, notNull: true),
                                                               TableLayout.Column(name: scope.sinceColumn, type: .text, notNull: true)])
            var entries = changed.sorted { $0.key < $1.key }[...]
            _ = try connection.copy("COPY \(changedTable) FROM STDIN") { buffer in
                while let (entity, since) = entries.popFirst() {
                    try changedCopy.append([.text(entity), scope.bound(since)], to: &buffer)
                    if buffer.count > 1 << 20 { return true }
                }
                return false
            }
            let inRange = "t.\(quoted(scope.entityColumn)) = c.entity AND t.\(quoted(scope.sinceColumn)) >= c.since"
            counts.deleted = try connection.execute("DELETE FROM \(table.qualifiedName) AS t USING \(changedTable) AS c WHERE \(inRange)"
                + (key.isEmpty ? "" : " AND NOT EXISTS (SELECT 1 FROM \(stage) AS s WHERE \(sameKey))"))
        }
        let others = layout.columns.map(\.name).filter { !key.contains($0) }
        var insert = "INSERT INTO \(table.qualifiedName) AS t (\(columns)) SELECT \(columns) FROM \(stage)"
        if !key.isEmpty {
            insert += " ON CONFLICT (\(key.map(quoted).joined(separator: ", "))) DO "
            if others.isEmpty {
                insert += "NOTHING"
            } else {
                let targetRow = others.map { "t.\(quoted($0))" }.joined(separator: ", ")
                let newRow = others.map { "EXCLUDED.\(quoted($0))" }.joined(separator: ", ")
                insert += "UPDATE SET " + others.map { "\(quoted($0)) = EXCLUDED.\(quoted($0))" }.joined(separator: ", ")
                    + " WHERE ROW(\(targetRow)) IS DISTINCT FROM ROW(\(newRow))"
            }
        }
        counts.written = try connection.execute(insert)
        return counts
    }
}
