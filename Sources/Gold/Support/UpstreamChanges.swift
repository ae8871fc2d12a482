import Warehouse

/// Follows what an incrementally built silver table changed (silver's `_changes`: per entity
/// the first timestamp written, or `*` for a whole rebuild), remembering in `_change_cursors`
/// the last entry a gold asset has taken in.
struct UpstreamChanges {
    let database: Database
    let asset: AssetKey
    let upstream: AssetKey

    static let everything = "*"

    /// The newest entry silver has written for the upstream (0 when it has written none).
    func latest() throws -> Int64 {
        guard try database.tableExists("_changes", schema: "silver") else { return 0 }
        return Int64(try database.scalar("SELECT max(seq) FROM silver._changes WHERE asset = ?", [.text(upstream.description)])?.int ?? 0)
    }

    /// Each entity changed since the cursor with its earliest changed timestamp; nil when the
    /// asset has no cursor yet, silver keeps no log, the log is behind the cursor (a silver
    /// database from elsewhere), or the upstream was rebuilt whole.
    func sinceCursor() throws -> [String: Int64]? {
        guard try database.tableExists("_changes", schema: "silver"),
              let cursor = try database.scalar("SELECT seq FROM _change_cursors WHERE asset = ? AND upstream = ?",
                                               [.text(asset.description), .text(upstream.description)])?.int,
              try latest() >= cursor else { return nil }
        var changes: [String: Int64] = [:]
        for row in try database.rows("SELECT entity, min(since) FROM silver._changes WHERE asset = ? AND seq > ? GROUP BY entity",
                                     [.text(upstream.description), .integer(Int64(cursor))]) {
            let entity = row[0].string ?? Self.everything
            guard entity != Self.everything, let since = row[1].int else { return nil }
            changes[entity] = Int64(since)
        }
        return changes
    }

    /// Moves the cursor; call in the transaction that writes what the changes led to.
    func advance(to seq: Int64) throws {
        try database.execute("INSERT OR REPLACE INTO _change_cursors(asset, upstream, seq) VALUES (?, ?, ?)",
                             [.text(asset.description), .text(upstream.description), .integer(seq)])
    }
}
