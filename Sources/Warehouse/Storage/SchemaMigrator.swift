/// Append-only schema changes, GRDB-style: each named migration runs once per database,
/// in order, and is recorded in `_migrations`. A shipped migration never changes.
public struct SchemaMigrator {
    private var migrations: [(name: String, sql: String)] = []

    public init() {}

    /// Registers a migration; names must be unique and are applied in registration order.
    public mutating func register(_ name: String, sql: String) {
        precondition(!migrations.contains { $0.name == name }, "migration \(name) registered twice")
        migrations.append((name, sql))
    }

    /// Applies the migrations this database has not seen, each in its own transaction.
    public func migrate(_ database: Database) throws {
        try database.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))")
        let applied = Set(try database.rows("SELECT name FROM _migrations").compactMap { $0[0].string })
        for migration in migrations where !applied.contains(migration.name) {
            try database.transaction {
                try database.execute(migration.sql)
                try database.execute("INSERT INTO _migrations(name) VALUES (?)", [.text(migration.name)])
            }
        }
    }
}
