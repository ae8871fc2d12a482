import Foundation

/// One successful materialization of an asset, stored in the database that holds the
/// asset's data (in the same transaction), so the record and the data never disagree.
public struct MaterializationRecord: Equatable, Sendable {
    public let asset: AssetKey
    public let runID: String
    public let materializedAt: String
    /// Hash of the version and every input: equal fingerprints mean nothing to rebuild.
    public let fingerprint: String
    public let version: String
    public let inputs: [String: String]
    public let rows: Int
    public let rejects: Int
}

/// The `_materializations` table every layer database carries.
public enum MaterializationLog {
    static let migrator: SchemaMigrator = {
        var migrator = SchemaMigrator()
        migrator.register("materializations-v1", sql: """
            CREATE TABLE _materializations (
                asset TEXT NOT NULL,
                run_id TEXT NOT NULL,
                materialized_at TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                version TEXT NOT NULL,
                inputs TEXT NOT NULL,
                rows INTEGER NOT NULL,
                rejects INTEGER NOT NULL,
                PRIMARY KEY (asset, run_id)
            );
            """)
        return migrator
    }()

    /// Creates the table when missing.
    public static func prepare(_ database: Database) throws { try migrator.migrate(database) }

    /// Writes a record; call inside the transaction that writes the asset's data.
    public static func insert(_ record: MaterializationRecord, into database: Database) throws {
        let inputs = String(decoding: try JSONSerialization.data(withJSONObject: record.inputs, options: [.sortedKeys]), as: UTF8.self)
        try database.execute("""
            INSERT OR REPLACE INTO _materializations(asset, run_id, materialized_at, fingerprint, version, inputs, rows, rejects)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(record.asset.description), .text(record.runID), .text(record.materializedAt), .text(record.fingerprint),
                  .text(record.version), .text(inputs), .integer(Int64(record.rows)), .integer(Int64(record.rejects))])
    }

    /// Withdraws a run's record of an asset (its error checks failed): the asset stays stale,
    /// so nothing downstream treats it as good.
    public static func withdraw(_ asset: AssetKey, runID: String, in database: Database) throws {
        try database.execute("DELETE FROM _materializations WHERE asset = ? AND run_id = ?", [.text(asset.description), .text(runID)])
    }

    /// The newest record of an asset in a database, nil when it was never materialized there.
    public static func latest(_ asset: AssetKey, in database: Database) throws -> MaterializationRecord? {
        guard try database.tableExists("_materializations") else { return nil }
        guard let row = try database.rows("""
            SELECT run_id, materialized_at, fingerprint, version, inputs, rows, rejects
            FROM _materializations WHERE asset = ? ORDER BY materialized_at DESC, rowid DESC LIMIT 1
            """, [.text(asset.description)]).first else { return nil }
        let inputs = (try? JSONSerialization.jsonObject(with: Data((row[4].string ?? "{}").utf8))) as? [String: String] ?? [:]
        return MaterializationRecord(asset: asset, runID: row[0].string ?? "", materializedAt: row[1].string ?? "",
                                     fingerprint: row[2].string ?? "", version: row[3].string ?? "", inputs: inputs,
                                     rows: row[5].int ?? 0, rejects: row[6].int ?? 0)
    }
}
