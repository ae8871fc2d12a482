import CSQLite

/// A prepared statement with direct binds: the fast path for bulk loads.
public final class Statement {
    let handle: OpaquePointer
    private unowned let database: Database
    /// The SQL it was prepared from.
    public let sql: String

    init(database: Database, sql: String) throws {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(database.handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw database.error(rc, sql: sql) }
        self.handle = statement
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Number of columns the statement returns.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// Name of a result column.
    public func columnName(_ index: Int32) -> String { String(cString: sqlite3_column_name(handle, index)) }

    /// The declared type of a result column read straight from a table; nil for an expression.
    public func declaredType(_ index: Int32) -> String? { sqlite3_column_decltype(handle, index).map { String(cString: $0) } }

    /// Resets the statement so it can run again; bindings are cleared.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds all arguments by position (1-based in SQLite, 0-based here).
    public func bind(_ arguments: [SQLValue]) throws { try bind(arguments[...]) }

    /// Binds a run of values from parameter 1 on (a row in a flat buffer of rows).
    public func bind(_ arguments: ArraySlice<SQLValue>) throws {
        var index: Int32 = 1
        for position in arguments.indices {
            try bind(arguments[position], at: index)
            index += 1
        }
    }

    /// Binds one value at a 1-based parameter index.
    public func bind(_ value: SQLValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v): rc = sqlite3_bind_double(handle, index, v)
        case .text(let v): rc = v.withCString { csqlite_bind_text(handle, index, $0, Int32(v.utf8.count)) }
        }
        if rc != SQLITE_OK { throw database.error(rc, sql: sql) }
    }

    /// Binds a Double, or NULL for nil, without building an `SQLValue`.
    @inline(__always)
    public func bind(_ value: Double?, at index: Int32) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds an integer without building an `SQLValue`.
    @inline(__always)
    public func bind(_ value: Int64, at index: Int32) { sqlite3_bind_int64(handle, index, value) }

    /// Binds text without building an `SQLValue`.
    @inline(__always)
    public func bind(_ value: String, at index: Int32) { _ = value.withCString { csqlite_bind_text(handle, index, $0, Int32(value.utf8.count)) } }

    /// Steps once: true when a row is available, false when done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error(rc, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs an insert or update to completion and resets it for the next binds.
    @inline(__always)
    public func run() throws {
        let rc = sqlite3_step(handle)
        if rc != SQLITE_DONE && rc != SQLITE_ROW {
            let error = database.error(rc, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
        sqlite3_reset(handle)
    }

    /// The value of a column of the current row.
    public func value(at index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_NULL: return .null
        default: return .text(String(cString: sqlite3_column_text(handle, index)))
        }
    }

    /// A column as Double, nil for NULL.
    @inline(__always)
    public func double(at index: Int32) -> Double? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_double(handle, index)
    }

    /// A column as Int64 (0 for NULL).
    @inline(__always)
    public func int64(at index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// A column as String (empty for NULL).
    public func string(at index: Int32) -> String {
        guard let text = sqlite3_column_text(handle, index) else { return "" }
        return String(cString: text)
    }

    /// How SQLite stores a column of the current row (its storage class).
    public enum StorageClass: Sendable { case null, integer, real, text, blob }

    /// The storage class of a column of the current row.
    @inline(__always)
    public func storageClass(at index: Int32) -> StorageClass {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: .integer
        case SQLITE_FLOAT: .real
        case SQLITE_NULL: .null
        case SQLITE_BLOB: .blob
        default: .text
        }
    }

    /// The UTF-8 bytes of a text (or blob) column of the current row, without making a String:
    /// the bulk writers' path. The bytes are valid only inside `body`.
    @inline(__always)
    public func withBytes<T>(at index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let start = sqlite3_column_blob(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeBufferPointer(start: start?.assumingMemoryBound(to: UInt8.self), count: count))
    }
}
