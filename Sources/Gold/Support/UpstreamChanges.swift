import Warehouse

/// Follows an upstream silver table's `ChangeLog` (silver's `_changes`), remembering in
/// `_change_cursors` the last entry a gold asset has taken in.
struct UpstreamChanges {
    let database: Database
    let asset: AssetKey
    let upstream: AssetKey

    private var log: ChangeLog { ChangeLog(database: database, asset: upstream, schema: "silver") }

    /// The newest entry silver has written for the upstream (0 when it has written none).
    func latest() throws -> Int64 { try log.latest() }

    /// Each entity changed since the cursor with its earliest changed timestamp; nil when the
    /// asset has no cursor yet, silver keeps no log, the log is behind the cursor (a silver
    /// database from elsewhere), or the upstream was rebuilt whole.
    func sinceCursor() throws -> [String: Int64]? {
        guard try log.exists(),
              let cursor = try database.scalar("SELECT seq FROM _change_cursors WHERE asset = ? AND upstream = ?",
                                               [.text(asset.description), .text(upstream.description)])?.int,
              try latest() >= cursor else { return nil }
        return try log.changes(after: Int64(cursor))
    }

    /// Moves the cursor; call in the transaction that writes what the changes led to.
    func advance(to seq: Int64) throws {
        try database.execute("INSERT OR REPLACE INTO _change_cursors(asset, upstream, seq) VALUES (?, ?, ?)",
                             [.text(asset.description), .text(upstream.description), .integer(seq)])
    }
}
