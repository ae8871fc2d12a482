import Warehouse

/// What each build of an incrementally built silver table changed (`_changes`), so gold can
/// recompute only what moved: one row per entity (a coin) with the first timestamp written,
/// or one `*` row when the table was rebuilt whole. `seq` only grows; a reader remembers the
/// last one it has seen. Part of the on-disk contract between silver and gold (docs/silver.md).
struct ChangeLog {
    let database: Database
    let asset: AssetKey

    /// The entity that stands for "everything": the table was rebuilt whole.
    static let everything = "*"

    /// Records entities changed from a timestamp on (Unix milliseconds); call in the build's transaction.
    func record(_ changes: [(entity: String, since: Int64)]) throws {
        let insert = try database.prepare("INSERT INTO _changes(asset, entity, since) VALUES (?, ?, ?)")
        for change in changes {
            try insert.bind([.text(asset.description), .text(change.entity), .integer(change.since)])
            try insert.run()
        }
    }

    /// Records a whole rebuild, dropping the asset's older entries (a reader behind them rebuilds anyway).
    func recordRebuild() throws {
        try database.execute("DELETE FROM _changes WHERE asset = ?", [.text(asset.description)])
        try database.execute("INSERT INTO _changes(asset, entity, since) VALUES (?, ?, NULL)", [.text(asset.description), .text(Self.everything)])
    }
}
