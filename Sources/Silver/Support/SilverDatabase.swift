import Foundation
import Warehouse

/// silver.sqlite's shared tables: `_rejects` (what was set aside and why), `_raw_files`
/// (every raw file a row came from, so each row traces back to its snapshot),
/// `_consumed_files` (the snapshots an incrementally built table already holds),
/// `_file_hashes` (each raw body's sha256 by file identity, `SnapshotReader`) and
/// `_changes` (`ChangeLog`: what each build of an incremental table changed, for gold to follow).
enum SilverDatabase {
    static let migrator: SchemaMigrator = {
        var migrator = SchemaMigrator()
        migrator.register("rejects-v1", sql: """
            CREATE TABLE _rejects (
                asset TEXT NOT NULL,
                raw_file TEXT NOT NULL,
                locator TEXT NOT NULL,
                reason TEXT NOT NULL
            );
            CREATE INDEX _rejects_asset ON _rejects(asset);
            """)
        migrator.register("raw-files-v1", sql: """
            CREATE TABLE _raw_files (
                raw_file_id INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE,
                sha256 TEXT,
                fetched_at TEXT
            );
            """)
        migrator.register("consumed-files-v1", sql: """
            CREATE TABLE _consumed_files (
                asset TEXT NOT NULL,
                path TEXT NOT NULL,
                sha256 TEXT,
                PRIMARY KEY (asset, path)
            );
            """)
        migrator.register(SnapshotReader.migration.name, sql: SnapshotReader.migration.sql)
        migrator.register("rejects-v2-rule", sql: "ALTER TABLE _rejects ADD COLUMN rule TEXT;")
        return migrator
    }()

    /// Opens silver.sqlite with its shared tables and the materialization log.
    static func open(_ context: BuildContext) throws -> Database {
        let database = try context.openLayerDatabase()
        try migrator.migrate(database)
        try ChangeLog.prepare(database)
        return database
    }

    /// Records an incremental build's materialization after its rows were added (call inside
    /// its transaction): the table's rows and the asset's rejects, as counted now.
    static func recordAppend(_ database: Database, table: String, context: BuildContext) throws -> (rows: Int, rejects: Int) {
        let rows = try database.scalar("SELECT count(*) FROM \(table)")?.int ?? 0
        let rejected = try database.scalar("SELECT count(*) FROM _rejects WHERE asset = ?", [.text(context.key.description)])?.int ?? 0
        try context.record(in: database, rows: rows, rejects: rejected)
        return (rows, rejected)
    }

    /// The id of a raw file in `_raw_files`, registering it when new.
    static func rawFileID(_ database: Database, path: String, meta: SnapshotSource.Meta?) throws -> Int64 {
        try database.execute("INSERT INTO _raw_files(path, sha256, fetched_at) VALUES (?, ?, ?) ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, fetched_at = excluded.fetched_at",
                             [.text(path), (meta?.sha256).sqlValue, (meta?.fetchedAt).sqlValue])
        return Int64(try database.scalar("SELECT raw_file_id FROM _raw_files WHERE path = ?", [.text(path)])?.int ?? 0)
    }
}

/// Collects an asset's rejects and replaces them in `_rejects` with the asset's data. A reject
/// made by a row-level rule (a bar breaking low <= open, close <= high) names the rule.
struct RejectLog {
    let asset: AssetKey
    private(set) var entries: [(file: String, locator: String, reason: String, rule: String?)] = []

    init(asset: AssetKey) { self.asset = asset }

    mutating func add(file: String, locator: String, reason: String, rule: String? = nil) { entries.append((file, locator, reason, rule)) }

    var count: Int { entries.count }

    /// Replaces this asset's rows in `_rejects`; call inside the asset's transaction.
    func write(to database: Database) throws {
        try database.execute("DELETE FROM _rejects WHERE asset = ?", [.text(asset.description)])
        try append(to: database)
    }

    /// Adds these rejects to the asset's rows in `_rejects` (an incremental build); call inside its transaction.
    func append(to database: Database) throws {
        let insert = try database.prepare("INSERT INTO _rejects(asset, raw_file, locator, reason, rule) VALUES (?, ?, ?, ?, ?)")
        for entry in entries {
            try insert.bind([.text(asset.description), .text(entry.file), .text(entry.locator), .text(entry.reason), entry.rule.sqlValue])
            try insert.run()
        }
    }
}
