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

/// Collects an asset's rejects and writes them to `_rejects` with the asset's data. A reject
/// made by a row-level rule (a bar breaking low <= open, close <= high) names the rule.
///
/// Writing forgets what was written, so a build over a raw set with millions of rejected
/// points writes as it goes (inside its transaction) instead of holding them all.
struct RejectLog {
    let asset: AssetKey
    /// Whether this is a rebuild's log, which replaces the asset's rows, or an incremental build's.
    private let isRebuild: Bool
    /// Whether the next write removes the asset's earlier rows first: a rebuild's first write.
    private var replacing: Bool
    private var pending: [(file: String, locator: String, reason: String, rule: String?)] = []
    /// Every reject added, written or not.
    private(set) var count = 0

    /// A log for a rebuild (`replacing` the asset's rejects), or an incremental build.
    init(asset: AssetKey, replacing: Bool = true) {
        self.asset = asset
        isRebuild = replacing
        self.replacing = replacing
    }

    mutating func add(file: String, locator: String, reason: String, rule: String? = nil) {
        pending.append((file, locator, reason, rule))
        count += 1
    }

    /// Writes the rejects added since the last write; call inside the asset's transaction.
    mutating func write(to database: Database) throws {
        if replacing {
            try database.execute("DELETE FROM _rejects WHERE asset = ?", [.text(asset.description)])
            replacing = false
        }
        guard !pending.isEmpty else { return }
        let insert = try database.prepare("INSERT INTO _rejects(asset, raw_file, locator, reason, rule) VALUES (?, ?, ?, ?, ?)")
        for entry in pending {
            try insert.bind([.text(asset.description), .text(entry.file), .text(entry.locator), .text(entry.reason), entry.rule.sqlValue])
            try insert.run()
        }
        pending.removeAll()
    }

    /// Takes back the rejects added for `files`, when what was read from them is to be read
    /// again; call inside the asset's transaction. Those a rebuild already wrote are deleted;
    /// an incremental build's written rows are left, as they cannot be told from earlier builds'.
    mutating func retract(files: [String], in database: Database) throws {
        let named = Set(files)
        let before = pending.count
        pending.removeAll { named.contains($0.file) }
        count -= before - pending.count
        guard isRebuild, !replacing else { return }
        let list = String(decoding: try JSONSerialization.data(withJSONObject: files), as: UTF8.self)
        try database.execute("DELETE FROM _rejects WHERE asset = ? AND raw_file IN (SELECT value FROM json_each(?))", [.text(asset.description), .text(list)])
        count -= database.changes
    }
}
