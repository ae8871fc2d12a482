import Warehouse

/// The raw snapshots an asset's table was built from (`_consumed_files`), with the sha256 of
/// each body as it was read: what an incremental build compares the raw folder with.
struct ConsumedFiles {
    let database: Database
    let asset: AssetKey

    /// Path -> sha256 (nil when the body could not be read).
    func load() throws -> [String: String?] {
        var files: [String: String?] = [:]
        for row in try database.rows("SELECT path, sha256 FROM _consumed_files WHERE asset = ?", [.text(asset.description)]) {
            files[row[0].string ?? ""] = row[1].string
        }
        return files
    }

    /// Records more consumed snapshots; call in the transaction that writes their rows. A
    /// sequence, so that a build over many files need not list them all once more.
    func add<Files: Sequence>(_ files: Files) throws where Files.Element == (path: String, sha256: String?) {
        let insert = try database.prepare("INSERT OR REPLACE INTO _consumed_files(asset, path, sha256) VALUES (?, ?, ?)")
        for file in files {
            try insert.bind([.text(asset.description), .text(file.path), file.sha256.sqlValue])
            try insert.run()
        }
    }

    /// Forgets the asset's snapshots and records these instead (a full rebuild).
    func replace<Files: Sequence>(with files: Files) throws where Files.Element == (path: String, sha256: String?) {
        try database.execute("DELETE FROM _consumed_files WHERE asset = ?", [.text(asset.description)])
        try add(files)
    }
}
