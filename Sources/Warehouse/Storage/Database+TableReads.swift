import CSQLite

/// A table a statement reads, as SQLite's own parser resolved it.
public struct TableRead: Hashable, Sendable {
    /// The schema (`main`, `silver`, ...) the table was found in.
    public let schema: String
    public let table: String
}

/// What one statement would do, as SQLite compiles it (nothing runs).
public struct StatementEffects: Sendable {
    /// The tables it reads.
    public var reads: Set<TableRead> = []
    /// What else it would change: `(action, table)` such as `("insert", "x")`, `("create index", "x")`, `("drop table", "y")`.
    public var changes: [(action: String, table: String)] = []
    /// Text after the first statement that is itself a statement (not only space or comments).
    public var followedByAnotherStatement = false
}

extension Database {
    /// The tables `sql` reads, as SQLite compiles it (nothing runs): the columns its authorizer
    /// is asked about while preparing, and the tables and indexes its program opens for reading
    /// (`EXPLAIN`'s `OpenRead`), which also catches a table joined only `USING` a column.
    /// Common table expressions and subqueries resolve to the tables under them, so the answer
    /// is what the query really reads, not what its text mentions.
    /// - Throws: `DatabaseError` when the statement does not prepare (bad SQL, unknown table or column).
    public func tablesRead(by sql: String) throws -> Set<TableRead> { try effects(of: sql).reads }

    /// What the first statement of `sql` reads and changes, and whether another statement follows it.
    /// - Throws: `DatabaseError` when it does not prepare.
    public func effects(of sql: String) throws -> StatementEffects {
        final class Collector {
            var reads: [(schema: String?, table: String)] = []
            var changes: [(String, String)] = []
        }
        let collector = Collector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        sqlite3_set_authorizer(handle, { context, action, first, second, schema, _ in
            guard let context else { return SQLITE_OK }
            let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
            let one = first.map { String(cString: $0) }, two = second.map { String(cString: $0) }
            switch action {
            case SQLITE_READ:
                if let one { collector.reads.append((schema.map { String(cString: $0) }, one)) }
            case SQLITE_SELECT, SQLITE_FUNCTION, SQLITE_RECURSIVE, SQLITE_REINDEX:  // a new index is filled by a reindex of it
                break
            case SQLITE_INSERT: collector.changes.append(("insert", one ?? ""))
            case SQLITE_UPDATE: collector.changes.append(("update", one ?? ""))
            case SQLITE_DELETE: collector.changes.append(("delete", one ?? ""))
            case SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_TABLE: collector.changes.append(("create table", one ?? ""))
            case SQLITE_CREATE_INDEX, SQLITE_CREATE_TEMP_INDEX: collector.changes.append(("create index", two ?? ""))
            case SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE: collector.changes.append(("drop table", one ?? ""))
            case SQLITE_ALTER_TABLE: collector.changes.append(("alter table", two ?? ""))
            default: collector.changes.append(("statement \(action)", one ?? ""))
            }
            return SQLITE_OK
        }, context)
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        var followed = false
        let rc = sql.withCString { text -> Int32 in
            let rc = sqlite3_prepare_v2(handle, text, -1, &statement, &tail)
            // Whatever follows: nothing, space and comments, or another statement.
            if rc == SQLITE_OK, let tail, tail.pointee != 0 {
                var next: OpaquePointer?
                if sqlite3_prepare_v2(handle, tail, -1, &next, nil) != SQLITE_OK || next != nil { followed = true }
                sqlite3_finalize(next)
            }
            return rc
        }
        sqlite3_finalize(statement)
        sqlite3_set_authorizer(handle, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, sql: sql) }
        var effects = StatementEffects()
        effects.followedByAnotherStatement = followed
        effects.changes = collector.changes.filter { !$0.1.hasPrefix("sqlite_") }
        let schemas = Dictionary(uniqueKeysWithValues: try rows("PRAGMA database_list").compactMap { row in row[1].string.map { (row[0].int ?? 0, $0) } })
        if sql.uppercased().hasPrefix("SELECT") || sql.uppercased().hasPrefix("WITH") || sql.uppercased().hasPrefix("INSERT") || sql.uppercased().hasPrefix("VALUES") {
            for step in try rows("EXPLAIN " + sql) where step[1].string == "OpenRead" {
                // EXPLAIN columns: addr, opcode, p1 (cursor), p2 (root page), p3 (database), ...
                guard let schema = schemas[step[4].int ?? -1], let root = step[3].int else { continue }
                if let table = try scalar("SELECT tbl_name FROM \"\(schema)\".sqlite_master WHERE rootpage = ?", [.integer(Int64(root))])?.string {
                    collector.reads.append((schema, table))
                }
            }
        }
        for read in collector.reads where !read.table.hasPrefix("sqlite_") {
            // A count(*) read is reported without its schema: the first schema holding the table, as SQLite searches.
            let schema = try read.schema ?? schemaHolding(read.table)
            // A table-valued function (json_each, pragma_table_info) reads no table: the statement
            // prepared, so a name no schema holds can only be one of those.
            guard let schema, try tableExists(read.table, schema: schema) else { continue }
            effects.reads.insert(TableRead(schema: schema, table: read.table))
        }
        return effects
    }

    /// The first schema, in SQLite's search order, that has a table of that name.
    private func schemaHolding(_ table: String) throws -> String? {
        for row in try rows("PRAGMA database_list") {
            guard let schema = row[1].string else { continue }
            if try tableExists(table, schema: schema) { return schema }
        }
        return nil
    }

    /// The columns a query returns, with their declared types where SQLite knows one (a column
    /// read straight from a table; an expression has none). Nothing runs.
    /// - Throws: `DatabaseError` when the query does not prepare.
    public func resultColumns(of query: String) throws -> [(name: String, type: String?)] {
        let statement = try prepare(query)
        return (0..<statement.columnCount).map { (statement.columnName($0), statement.declaredType($0)) }
    }
}
