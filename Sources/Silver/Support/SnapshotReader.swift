import Foundation
import Warehouse

/// Reads raw bodies for silver and vouches for them: the first time a body is consumed its
/// SHA-256 and size are checked against its `.meta.json`, and a body that no longer matches (it
/// was edited or replaced after the fetch) is refused with the reason, to be rejected whole.
///
/// What is known about each file is kept in `_file_hashes` (path, identity, sha256), the identity
/// being inode, size and modification time: a file is hashed once, and hashed again only when
/// it changed on disk. Files without metadata (brought by the user) get a hash all the same,
/// which is what incremental builds compare to see that a body changed.
///
/// `body(of:)` and `digest(of:)` may be called from the parser thread; `save()` runs on the
/// thread that owns the database, inside the build's transaction.
final class SnapshotReader: @unchecked Sendable {
    private let database: Database
    private let store: RawStore
    private var known: [String: (identity: String, sha256: String)] = [:]
    private var learned: [String: (identity: String, sha256: String)] = [:]
    /// Bodies vouched for in this build, registered in `_raw_files` by `save()`.
    private var vouched: [String: SnapshotSource.Meta?] = [:]
    private let lock = NSLock()

    static let migration = (name: "file-hashes-v1", sql: """
        CREATE TABLE _file_hashes (
            path TEXT PRIMARY KEY,
            identity TEXT NOT NULL,
            sha256 TEXT NOT NULL
        );
        """)

    init(database: Database, store: RawStore) throws {
        self.database = database
        self.store = store
        for row in try database.rows("SELECT path, identity, sha256 FROM _file_hashes") {
            if let path = row[0].string, let identity = row[1].string, let sha = row[2].string { known[path] = (identity, sha) }
        }
    }

    /// The body, verified against its metadata.
    /// - Throws: `RawStoreError.unreadable` when it cannot be read, `SilverParseError` when it
    ///   does not match its metadata.
    func body(of source: SnapshotSource) throws -> Data {
        let body = try store.body(of: source.snapshot)
        let identity = FileIdentity.of(path: source.snapshot.bodyPath) ?? ""
        let sha256 = cached(source.snapshot.relativePath, identity: identity) ?? Fingerprint.sha256(body)
        if let meta = source.meta {
            guard meta.sha256.lowercased() == sha256 else {
                throw SilverParseError(message: "the body's sha256 is \(sha256.prefix(12))…, but \(source.snapshot.metaRelativePath) says \(meta.sha256.prefix(12))…: the file changed after it was fetched. To fix this, restore it, or remove it and its metadata and fetch again")
            }
            guard meta.bytes == body.count else {
                throw SilverParseError(message: "the body has \(body.count) bytes, but \(source.snapshot.metaRelativePath) says \(meta.bytes): the file changed after it was fetched. To fix this, restore it, or remove it and its metadata and fetch again")
            }
        }
        remember(source.snapshot.relativePath, identity: identity, sha256: sha256)
        lock.lock()
        vouched[source.snapshot.relativePath] = source.meta
        lock.unlock()
        return body
    }

    /// The SHA-256 of the body as it is on disk now: from `_file_hashes` while the file is
    /// unchanged, else read and hashed. Nil when it cannot be read.
    func digest(of source: SnapshotSource) -> String? {
        let path = source.snapshot.relativePath
        let identity = FileIdentity.of(path: source.snapshot.bodyPath) ?? ""
        if let sha256 = cached(path, identity: identity) { return sha256 }
        guard let body = try? store.body(of: source.snapshot) else { return nil }
        let sha256 = Fingerprint.sha256(body)
        remember(path, identity: identity, sha256: sha256)
        return sha256
    }

    /// Writes what was learned, and registers every body read in `_raw_files` (so a file that
    /// was read but held no row is on record as consumed); call inside the build's transaction.
    func save() throws {
        lock.lock()
        let entries = learned, files = vouched
        learned = [:]
        vouched = [:]
        lock.unlock()
        for (path, meta) in files.sorted(by: { $0.key < $1.key }) {
            _ = try SilverDatabase.rawFileID(database, path: path, meta: meta)
        }
        let insert = try database.prepare("INSERT OR REPLACE INTO _file_hashes(path, identity, sha256) VALUES (?, ?, ?)")
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) {
            try insert.bind([.text(path), .text(entry.identity), .text(entry.sha256)])
            try insert.run()
        }
    }

    private func cached(_ path: String, identity: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        guard !identity.isEmpty, let entry = learned[path] ?? known[path], entry.identity == identity else { return nil }
        return entry.sha256
    }

    private func remember(_ path: String, identity: String, sha256: String) {
        guard !identity.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        if known[path]?.identity != identity || known[path]?.sha256 != sha256 { learned[path] = (identity, sha256) }
        known[path] = (identity, sha256)
    }
}
