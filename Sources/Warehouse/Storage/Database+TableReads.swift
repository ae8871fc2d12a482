import CSQLite

/// A table a statement reads, as SQLite's own parser resolved it.
public struct TableRead: Hashable, Sendable {
    /// The schema (`main`, `silver`, ...) the table was found in.
    public let schema: String
    public let table: String
}

extension Database {
    /// The tables `sql` reads, as SQLite compiles it (nothing runs): the columns its authorizer
    /// is asked about while preparing, and the tables and indexes its program opens for reading
    /// (`EXPLAIN`'s `OpenRead`), which also catches a table joined only `USING` a column.
    /// Common table expressions and subqueries resolve to the tables under them, so the answer
    /// is what the query really reads, not what its text mentions.
    /// - Throws: `DatabaseError` when the statement does not prepare (bad SQL, unknown table or column).
    public func tablesRead(by sql: String) throws -> Set<TableRead> {
        final class Collector { var reads: [(schema: String?, table: String)] = [] }
        let collector = Collector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        sqlite3_set_authorizer(handle, { context, action, table, _, schema, _ in
            if action == SQLITE_READ, let context, let table {
                let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
                collector.reads.append((schema.map { String(cString: $0) }, String(cString: table)))
            }
            return SQLITE_OK
        }, context)
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        sqlite3_finalize(statement)
        sqlite3_set_authorizer(handle, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, sql: sql) }
        var reads = Set<TableRead>()
        let schemas = Dictionary(uniqueKeysWithValues: try rows("PRAGMA database_list").compactMap { row in row[1].string.map { (row[0].int ?? 0, $0) } })
        for step in try rows("EXPLAIN " + sql) where step[1].string == "OpenRead" {
            // EXPLAIN columns: addr, opcode, p1 (cursor), p2 (root page), p3 (database), ...
            guard let schema = schemas[step[4].int ?? -1], let root = step[3].int else { continue }
            if let table = try scalar("SELECT tbl_name FROM \"\(schema)\".sqlite_master WHERE rootpage = ?", [.integer(Int64(root))])?.string {
                collector.reads.append((schema, table))
            }
        }
        for read in collector.reads where !read.table.hasPrefix("sqlite_") {
            // A count(*) read is reported without its schema: the first schema holding the table, as SQLite searches.
            let schema = try read.schema ?? schemaHolding(read.table)
            reads.insert(TableRead(schema: schema ?? "main", table: read.table))
        }
        return reads
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
