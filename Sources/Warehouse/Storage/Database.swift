import CSQLite
import Foundation

/// One connection to a SQLite file, set up the way every warehouse database is used:
/// WAL journal so readers never block on a run, a busy timeout so nobody sees
/// "database is locked", foreign keys on.
///
/// Readers come first: a BI tool with no busy timeout must never be refused. So no connection
/// checkpoints when it closes (that takes the file's PENDING lock, which refuses new readers for
/// an instant), the journal mode is switched only when it is not WAL already, and the WAL is
/// checkpointed with `checkpoint()`, which takes no lock a reader needs.
///
/// A `Database` is not thread-safe; give each thread its own.
public final class Database {
    /// The file this connection opened.
    public let path: String
    let handle: OpaquePointer
    private let busyTimeoutMilliseconds: Int32
    private var statementCache: [String: Statement] = [:]

    /// Opens (and creates, unless `readOnly`) the database at `path`.
    /// - Throws: `DatabaseError` when the file cannot be opened or set up.
    public init(path: String, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 30_000) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = readOnly
            ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(code: rc, message: message, sql: nil, path: path)
        }
        handle = db
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        csqlite_no_checkpoint_on_close(db)
        if !readOnly {
            // Larger pages mean shallower B-trees and fewer page writes for bulk rebuilds;
            // it only takes effect on a new, empty database.
            try execute("PRAGMA page_size=32768")
            if try scalar("PRAGMA journal_mode")?.string?.lowercased() != "wal" { try execute("PRAGMA journal_mode=WAL") }
            // Once a checkpoint has copied everything back, the WAL restarts and is cut to this size.
            try execute("PRAGMA journal_size_limit=\(Self.walSizeLimit)")
            try execute("PRAGMA synchronous=NORMAL")
            // Each writable connection has a page cache of its own and a run holds a few at once
            // (silver, gold, the catalog): their sum is a fixed share of a run's memory at any size.
            try execute("PRAGMA cache_size=-\(Self.pageCacheKiB)")
            // Some SQLite builds (Debian's) zero every freed page, so replacing a rebuilt table
            // wrote it out once more as zeros through the WAL. FAST still zeroes deleted rows
            // inside pages that are written anyway; freed pages keep their bytes until reused.
            try execute("PRAGMA secure_delete=FAST")
        }
        try execute("PRAGMA foreign_keys=ON")
    }

    /// KiB of page cache per writable connection.
    static let pageCacheKiB = 32_768

    /// Bytes the WAL keeps on disk after it restarts.
    static let walSizeLimit = 16 << 20

    /// Copies what the WAL holds back into the database file and empties it, without ever
    /// blocking a reader: PASSIVE first (copies what no reader needs), then TRUNCATE, which waits
    /// up to `readerWaitMilliseconds` for readers still on the WAL (new readers go on reading the
    /// database file meanwhile). An empty WAL matters to the next process that opens the
    /// database first: it rebuilds the WAL index from the whole WAL under an exclusive lock, and
    /// a reader arriving then is refused.
    public func checkpoint(readerWaitMilliseconds: Int32 = 2_000) throws {
        try execute("PRAGMA wal_checkpoint(PASSIVE)")
        sqlite3_busy_timeout(handle, readerWaitMilliseconds)
        defer { sqlite3_busy_timeout(handle, busyTimeoutMilliseconds) }
        try execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var errorPointer: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorPointer)
        if rc != SQLITE_OK {
            let message = errorPointer.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorPointer)
            throw DatabaseError(code: rc, message: message, sql: sql, path: path)
        }
    }

    /// Runs one statement with arguments.
    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// Prepares a statement the caller owns.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Prepares `INSERT [OR conflict] INTO table(columns) VALUES (?, ...)`, one parameter per column in order.
    public func prepareInsert(into table: String, columns: [String], or conflict: String? = nil) throws -> Statement {
        try prepare("INSERT \(conflict.map { "OR \($0) " } ?? "")INTO \(table)(\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))")
    }

    /// Attaches another database file as `schema` (read-only unless asked), the path written as a URI.
    public func attach(_ path: String, as schema: String, readOnly: Bool = true) throws {
        let uri = "file:\(path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path)\(readOnly ? "?mode=ro" : "")"
        try execute("ATTACH DATABASE '\(uri.replacingOccurrences(of: "'", with: "''"))' AS \(schema)")
    }

    /// A prepared statement kept for reuse by this connection, reset before it is returned.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let cached = statementCache[sql] {
            cached.reset()
            return cached
        }
        let statement = try prepare(sql)
        statementCache[sql] = statement
        return statement
    }

    /// All rows of a query, each as an array of values.
    public func rows(_ sql: String, _ arguments: [SQLValue] = []) throws -> [[SQLValue]] {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        var result: [[SQLValue]] = []
        while try statement.step() {
            result.append((0..<statement.columnCount).map { statement.value(at: $0) })
        }
        return result
    }

    /// All rows of a query, each as column name -> value.
    public func namedRows(_ sql: String, _ arguments: [SQLValue] = []) throws -> [[String: SQLValue]] {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        let names = (0..<statement.columnCount).map(statement.columnName)
        var result: [[String: SQLValue]] = []
        while try statement.step() {
            var row: [String: SQLValue] = [:]
            for (index, name) in names.enumerated() { row[name] = statement.value(at: Int32(index)) }
            result.append(row)
        }
        return result
    }

    /// The first column of the first row, or nil when there is none.
    public func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws -> SQLValue? {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        let value = statement.value(at: 0)
        statement.reset()
        return value
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// `BEGIN IMMEDIATE` takes the write lock up front so a transaction never fails half-way on it.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` on one consistent view of the database, however writers change it meanwhile
    /// (a deferred read transaction: in WAL mode it blocks no writer).
    public func snapshot<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }
        return try body()
    }

    /// Whether a table (or view) of that name exists in the given schema.
    public func tableExists(_ name: String, schema: String = "main") throws -> Bool {
        try scalar("SELECT 1 FROM \(schema).sqlite_master WHERE type IN ('table','view') AND name = ?", [.text(name)]) != nil
    }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    func error(_ code: Int32, sql: String?) -> DatabaseError {
        DatabaseError(code: code, message: lastErrorMessage, sql: sql, path: path)
    }
}
