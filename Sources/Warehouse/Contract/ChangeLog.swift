/// What each build of an incrementally built table changed (`_changes` in the table's own
/// database), so assets downstream can recompute only what moved: one row per entity (a coin)
/// with the first timestamp written (Unix milliseconds), or one `*` row when the table was
/// rebuilt whole. `seq` only grows; a reader remembers the last one it has taken in.
/// This is the on-disk contract between an upstream layer that writes it and a downstream
/// layer that reads it (silver.coin_prices -> gold.coin_daily_features).
public struct ChangeLog {
    public let database: Database
    public let asset: AssetKey
    /// The schema the log is in, as the reader sees it (`main`, or `silver` when attached).
    public let schema: String

    /// The entity that stands for "everything": the table was rebuilt whole.
    public static let everything = "*"

    static let migrator: SchemaMigrator = {
        var migrator = SchemaMigrator()
        migrator.register("changes-v1", sql: """
            CREATE TABLE _changes (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                asset TEXT NOT NULL,
                entity TEXT NOT NULL,
                since INTEGER
            );
            """)
        return migrator
    }()

    public init(database: Database, asset: AssetKey, schema: String = "main") {
        self.database = database
        self.asset = asset
        self.schema = schema
    }

    /// Creates the table when missing (the writer's database).
    public static func prepare(_ database: Database) throws { try migrator.migrate(database) }

    /// Records entities changed from a timestamp on; call in the build's transaction.
    public func record(_ changes: [(entity: String, since: Int64)]) throws {
        let insert = try database.prepare("INSERT INTO \(schema)._changes(asset, entity, since) VALUES (?, ?, ?)")
        for change in changes {
            try insert.bind([.text(asset.description), .text(change.entity), .integer(change.since)])
            try insert.run()
        }
    }

    /// Records a whole rebuild, dropping the asset's older entries (a reader behind them rebuilds anyway).
    public func recordRebuild() throws {
        try database.execute("DELETE FROM \(schema)._changes WHERE asset = ?", [.text(asset.description)])
        try database.execute("INSERT INTO \(schema)._changes(asset, entity, since) VALUES (?, ?, NULL)", [.text(asset.description), .text(Self.everything)])
    }

    /// Whether the log exists at all (an older database may have none).
    public func exists() throws -> Bool { try database.tableExists("_changes", schema: schema) }

    /// The newest entry for the asset, 0 when there is none.
    public func latest() throws -> Int64 {
        guard try exists() else { return 0 }
        return Int64(try database.scalar("SELECT max(seq) FROM \(schema)._changes WHERE asset = ?", [.text(asset.description)])?.int ?? 0)
    }

    /// Each entity changed after entry `seq` with its earliest changed timestamp; nil when the
    /// table was rebuilt whole since then.
    public func changes(after seq: Int64) throws -> [String: Int64]? {
        var changes: [String: Int64] = [:]
        for row in try database.rows("SELECT entity, min(since) FROM \(schema)._changes WHERE asset = ? AND seq > ? GROUP BY entity",
                                     [.text(asset.description), .integer(seq)]) {
            let entity = row[0].string ?? Self.everything
            guard entity != Self.everything, let since = row[1].int else { return nil }
            changes[entity] = Int64(since)
        }
        return changes
    }
}

/// Which rows a table's `ChangeLog` entries speak of: an entry `(entity, since)` stands for
/// every row whose `entityColumn` is the entity and whose `sinceColumn` is at or after `since`.
/// Declared beside the asset (`AssetSpec.changes`), so a reader downstream (the PostgreSQL
/// publisher) can take in only those rows.
public struct ChangeScope: Sendable, Equatable {
    /// How `sinceColumn` holds time.
    public enum Unit: Sendable, Equatable {
        /// Unix milliseconds, like `since` itself (`silver.coin_prices.ts`).
        case unixMilliseconds
        /// A UTC day as `YYYY-MM-DD` text (`gold.coin_daily_features.date`).
        case day
    }

    public let entityColumn: String
    public let sinceColumn: String
    public let unit: Unit

    public init(entity entityColumn: String, since sinceColumn: String, unit: Unit) {
        self.entityColumn = entityColumn
        self.sinceColumn = sinceColumn
        self.unit = unit
    }

    /// The first value of `sinceColumn` an entry's `since` covers.
    public func bound(_ since: Int64) -> SQLValue {
        switch unit {
        case .unixMilliseconds: .integer(since)
        // Before 1970 (a coin recomputed from scratch) every day is covered: "" sorts first.
        case .day: .text(since <= 0 ? "" : Day(unixMilliseconds: since).description)
        }
    }
}
