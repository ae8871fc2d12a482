/// What one sync did to one table of the lake.
public struct LakeTableSync: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The lake already held this version: nothing was read or written.
        case unchanged
        /// The table's partitions were compared and the changed ones rewritten.
        case synced
        /// Nothing done, and why (never materialized, its checks failed).
        case skipped(String)
    }

    public let table: String
    public var outcome: Outcome
    public var rows = 0
    /// Partition files written, left as they were, and removed (their rows are gone).
    public var written = 0
    public var kept = 0
    public var removed = 0
    public var seconds = 0.0

    public init(table: String, outcome: Outcome) {
        self.table = table
        self.outcome = outcome
    }
}
