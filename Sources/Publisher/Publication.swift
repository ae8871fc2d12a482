import Warehouse

/// What publishing one asset to PostgreSQL did.
public struct Publication: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Every row was sent, and the table merged to them.
        case whole
        /// Only the rows the asset's change log names were sent.
        case changes
        /// The ledger already holds this version: nothing was sent.
        case unchanged
        /// Not published, and why (not materialized, checks failed): PostgreSQL keeps what it had.
        case skipped(String)
    }

    /// The PostgreSQL table, `schema.name` (`gold.coin_daily_features`, `warehouse_meta.runs`).
    public let table: String
    public let outcome: Outcome
    /// Rows the PostgreSQL table holds afterwards.
    public var rows = 0
    /// Rows copied to the server.
    public var sent = 0
    /// Rows inserted or updated, and deleted.
    public var written = 0
    public var deleted = 0
    public var seconds = 0.0
}
