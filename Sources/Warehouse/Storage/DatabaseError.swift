import CSQLite

/// A failed SQLite call, with the statement and the database file it ran against.
public struct DatabaseError: Error, CustomStringConvertible {
    /// The SQLite result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT`, ...).
    public let code: Int32
    /// SQLite's own explanation.
    public let message: String
    /// The SQL being prepared or run, when there was one.
    public let sql: String?
    /// The database file.
    public let path: String

    public var description: String {
        var text = "SQLite error \(code) in \(path): \(message)"
        if let sql { text += "\n  while running: \(sql.prefix(300))" }
        return text
    }
}
