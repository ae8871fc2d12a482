import Foundation

/// The exports this root has written (`exports` in warehouse.sqlite): what lets an export
/// replace its own earlier output and nothing else. A path is a previous export while what is
/// there has the identity recorded when it was written (size, modification time and inode of
/// each file), so a file the user has since replaced or edited is theirs again.
public struct ExportLedger {
    let database: Database

    static let migration = (name: "exports-v1", sql: """
        CREATE TABLE exports (
            path TEXT PRIMARY KEY,
            asset TEXT NOT NULL,
            format TEXT NOT NULL,
            rows INTEGER NOT NULL,
            identity TEXT NOT NULL,
            written_at TEXT NOT NULL
        );
        """)

    /// The ledger kept in a run log.
    public init(runLog: RunLog) { database = runLog.database }

    /// Whether what is at `url` is an export this ledger recorded and nobody changed since, or a
    /// Parquet file of this product's own writer (exports made before the ledger existed).
    public func isPreviousExport(_ url: URL) throws -> Bool {
        if let recorded = try database.scalar("SELECT identity FROM exports WHERE path = ?", [.text(url.path)])?.string,
           recorded == FileIdentity.of(url) {
            return true
        }
        return ParquetWriter.wrote(url)
    }

    /// Records an export just written at `url`.
    public func record(_ url: URL, asset: String, format: String, rows: Int, at time: Date) throws {
        guard let identity = FileIdentity.of(url) else { return }
        try database.execute("INSERT OR REPLACE INTO exports(path, asset, format, rows, identity, written_at) VALUES (?, ?, ?, ?, ?, ?)",
                             [.text(url.path), .text(asset), .text(format), .integer(Int64(rows)), .text(identity), .text(ISO8601.format(time))])
    }
}
