import Foundation

/// One materialization of an asset, stored in the database that holds the asset's data (in
/// the same transaction), so the record and the data never disagree.
///
/// The record never claims more than happened: it is written `pending` with the data, and only
/// once the asset's checks have run and its exports are written does it become `complete`, or
/// `failed` when an error check failed. A crash in between leaves it pending, which the next run
/// finishes (checks and exports, without rebuilding).
public struct MaterializationRecord: Equatable, Sendable {
    public enum Status: String, Sendable {
        /// The data is committed; its checks and exports have not finished.
        case pending
        /// Checks passed (warnings aside) and exports written: downstream may build on it.
        case complete
        /// An error check failed: the table is there, and `asset_status` says it is not to be trusted.
        case failed
    }

    public let asset: AssetKey
    public let runID: String
    public let materializedAt: String
    /// Hash of the version and every input: equal fingerprints mean nothing to rebuild.
    public let fingerprint: String
    public let version: String
    public let inputs: [String: String]
    public let rows: Int
    public let rejects: Int
    public var status: Status = .pending
    /// Why it failed: the failing checks.
    public var problem: String?

    public init(asset: AssetKey, runID: String, materializedAt: String, fingerprint: String, version: String,
                inputs: [String: String], rows: Int, rejects: Int, status: Status = .pending, problem: String? = nil) {
        self.asset = asset
        self.runID = runID
        self.materializedAt = materializedAt
        self.fingerprint = fingerprint
        self.version = version
        self.inputs = inputs
        self.rows = rows
        self.rejects = rejects
        self.status = status
        self.problem = problem
    }
}

/// The `_materializations` table every layer database carries, and the `asset_status` view
/// over it: one row per asset, what a BI user checks before trusting a table.
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
        migrator.register("materializations-v2-status", sql: """
            ALTER TABLE _materializations ADD COLUMN status TEXT NOT NULL DEFAULT 'complete';
            ALTER TABLE _materializations ADD COLUMN problem TEXT;
            CREATE VIEW asset_status AS
            SELECT m.asset,
                   CASE m.status WHEN 'complete' THEN 'ok' WHEN 'failed' THEN 'failed_checks' ELSE 'unchecked' END AS status,
                   m.run_id, m.materialized_at, m.rows, m.rejects, m.problem
            FROM _materializations AS m
            WHERE m.rowid = (SELECT x.rowid FROM _materializations AS x WHERE x.asset = m.asset
                             ORDER BY x.materialized_at DESC, x.rowid DESC LIMIT 1);
            """)
        return migrator
    }()

    /// Creates the table when missing.
    public static func prepare(_ database: Database) throws { try migrator.migrate(database) }

    /// Writes a record; call inside the transaction that writes the asset's data.
    public static func insert(_ record: MaterializationRecord, into database: Database) throws {
        let inputs = String(decoding: try JSONSerialization.data(withJSONObject: record.inputs, options: [.sortedKeys]), as: UTF8.self)
        try database.execute("""
            INSERT OR REPLACE INTO _materializations(asset, run_id, materialized_at, fingerprint, version, inputs, rows, rejects, status, problem)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(record.asset.description), .text(record.runID), .text(record.materializedAt), .text(record.fingerprint),
                  .text(record.version), .text(inputs), .integer(Int64(record.rows)), .integer(Int64(record.rejects)),
                  .text(record.status.rawValue), record.problem.sqlValue])
    }

    /// Settles a pending record once its checks and exports are done: `complete`, or `failed`
    /// with the failing checks as the problem.
    public static func settle(_ asset: AssetKey, runID: String, as status: MaterializationRecord.Status, problem: String? = nil, in database: Database) throws {
        try database.execute("UPDATE _materializations SET status = ?, problem = ? WHERE asset = ? AND run_id = ?",
                             [.text(status.rawValue), problem.sqlValue, .text(asset.description), .text(runID)])
    }

    /// The newest record of an asset in a database, nil when it was never materialized there.
    public static func latest(_ asset: AssetKey, in database: Database) throws -> MaterializationRecord? {
        guard try database.tableExists("_materializations") else { return nil }
        guard let row = try database.rows("""
            SELECT run_id, materialized_at, fingerprint, version, inputs, rows, rejects, status, problem
            FROM _materializations WHERE asset = ? ORDER BY materialized_at DESC, rowid DESC LIMIT 1
            """, [.text(asset.description)]).first else { return nil }
        let inputs = (try? JSONSerialization.jsonObject(with: Data((row[4].string ?? "{}").utf8))) as? [String: String] ?? [:]
        return MaterializationRecord(asset: asset, runID: row[0].string ?? "", materializedAt: row[1].string ?? "",
                                     fingerprint: row[2].string ?? "", version: row[3].string ?? "", inputs: inputs,
                                     rows: row[5].int ?? 0, rejects: row[6].int ?? 0,
                                     status: MaterializationRecord.Status(rawValue: row[7].string ?? "") ?? .pending, problem: row[8].string)
    }
}
