import Warehouse

/// `warehouse_meta.publications` in PostgreSQL: one row per publish of an asset, written in the
/// transaction that publishes it, so the ledger and the tables never disagree. A rerun compares
/// the asset's fingerprint with the last row to publish nothing when nothing changed.
struct PublishLedger {
    static let schema = "warehouse_meta"
    static let table = "\(quoted(schema)).publications"

    /// The last publish of an asset.
    struct Entry {
        let fingerprint: String
        let runID: String
        /// The asset's `ChangeLog` entry the published rows include, 0 for a table without a log.
        let changeSeq: Int64
    }

    /// Creates the schema and ledger when missing (under a lock: two publishers may start at once).
    static func prepare(on connection: PostgresConnection) throws {
        try connection.transaction {
            try connection.execute("SELECT pg_advisory_xact_lock(hashtext('medallion-warehouse:ledger'))")
            try connection.execute("""
                CREATE SCHEMA IF NOT EXISTS \(quoted(schema));
                CREATE TABLE IF NOT EXISTS \(table) (
                    id bigserial PRIMARY KEY,
                    asset text NOT NULL,
                    fingerprint text NOT NULL,
                    run_id text NOT NULL,
                    materialized_at text NOT NULL,
                    rows bigint NOT NULL,
                    rows_sent bigint NOT NULL,
                    mode text NOT NULL,
                    change_seq bigint NOT NULL,
                    published_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX IF NOT EXISTS publications_asset ON \(table) (asset, id);
                COMMENT ON TABLE \(table) IS 'One row per publish of a warehouse asset by `warehouse publish`: what was published, from which run, whole or changes only';
                """)
        }
    }

    /// The last publish of `asset`, nil when it was never published.
    static func last(_ asset: AssetKey, on connection: PostgresConnection) throws -> Entry? {
        guard let row = try connection.query("SELECT fingerprint, run_id, change_seq FROM \(table) WHERE asset = $1 ORDER BY id DESC LIMIT 1",
                                             [asset.description]).first else { return nil }
        return Entry(fingerprint: row[0] ?? "", runID: row[1] ?? "", changeSeq: Int64(row[2] ?? "") ?? 0)
    }

    /// Records a publish; call in its transaction.
    static func record(_ asset: AssetKey, _ record: MaterializationRecord, rows: Int, sent: Int, mode: String, changeSeq: Int64,
                       on connection: PostgresConnection) throws {
        try connection.query("""
            INSERT INTO \(table) (asset, fingerprint, run_id, materialized_at, rows, rows_sent, mode, change_seq)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [asset.description, record.fingerprint, record.runID, record.materializedAt, String(rows), String(sent), mode, String(changeSeq)])
    }
}
