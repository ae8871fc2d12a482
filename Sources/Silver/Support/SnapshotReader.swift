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
    /// Every file whose hash is known, from `_file_hashes` and this build: a build over years of
    /// history knows one per raw file, so an entry is hashes of its path and identity and the
    /// digest's 32 bytes rather than three strings. Two paths sharing a hash cost a re-hash at
    /// most: an entry counts only while the identity matches too, and a body refused on the
    /// strength of a cached digest is hashed again first.
    private var known: [Int: KnownFile] = [:]
    /// Hashes learned since the last `save()`, to be written to `_file_hashes`.
    private var learned: [String: (identity: String, sha256: String)] = [:]
    /// Bodies vouched for since the last `save()`, to be registered in `_raw_files`.
    private var vouched: [String: SnapshotSource.Meta?] = [:]
    private let lock = NSLock()

    private struct KnownFile {
        let identity: Int
        let sha256: HexDigest
    }

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
        let rows = try database.prepare("SELECT path, identity, sha256 FROM _file_hashes")
        while try rows.step() {
            guard let sha256 = HexDigest(rows.string(at: 2)) else { continue }
            known[rows.string(at: 0).hashValue] = KnownFile(identity: rows.string(at: 1).hashValue, sha256: sha256)
        }
    }

    /// The body, verified against its metadata.
    /// - Throws: `RawStoreError.unreadable` when it cannot be read, `SilverParseError` when it
    ///   does not match its metadata.
    func body(of source: SnapshotSource) throws -> Data {
        let body = try store.body(of: source.snapshot)
        let identity = FileIdentity.of(path: source.snapshot.bodyPath) ?? ""
        let remembered = cached(source.snapshot.relativePath, identity: identity)
        var sha256 = remembered ?? Fingerprint.sha256(body)
        if let meta = source.meta {
            if remembered != nil, meta.sha256.lowercased() != sha256 { sha256 = Fingerprint.sha256(body) }
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
    /// was read but held no row is on record as consumed), since the last call; call inside the
    /// build's transaction, at its end and, in a long build, as it goes.
    func save() throws {
        lock.lock()
        let entries = learned, files = vouched
        learned = [:]
        vouched = [:]
        lock.unlock()
        for (path, meta) in files.sorted(by: { $0.key < $1.key }) {
            _ = try SilverDatabase.rawFileID(database, path: path, meta: meta)
        }
        guard !entries.isEmpty else { return }
        let insert = try database.prepare("INSERT OR REPLACE INTO _file_hashes(path, identity, sha256) VALUES (?, ?, ?)")
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) {
            try insert.bind([.text(path), .text(entry.identity), .text(entry.sha256)])
            try insert.run()
        }
    }

    private func cached(_ path: String, identity: String) -> String? {
        guard !identity.isEmpty else { return nil }
        lock.lock()
        defer { lock.unlock() }
        if let entry = learned[path] { return entry.identity == identity ? entry.sha256 : nil }
        guard let entry = known[path.hashValue], entry.identity == identity.hashValue else { return nil }
        return entry.sha256.hex
    }

    private func remember(_ path: String, identity: String, sha256: String) {
        guard !identity.isEmpty, let digest = HexDigest(sha256) else { return }
        let entry = KnownFile(identity: identity.hashValue, sha256: digest)
        lock.lock()
        defer { lock.unlock() }
        if let old = known[path.hashValue], old.identity == entry.identity, old.sha256 == digest { return }
        learned[path] = (identity, sha256)
        known[path.hashValue] = entry
    }
}

/// A SHA-256 digest as its 32 bytes, from and to lowercase hex.
struct HexDigest: Equatable {
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// Nil unless `hex` is 64 hexadecimal digits.
    init?(_ hex: String) {
        var words: [UInt64] = []
        var word: UInt64 = 0
        var digits = 0
        for byte in hex.utf8 {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            word = word << 4 | UInt64(value)
            digits += 1
            if digits % 16 == 0 {
                words.append(word)
                word = 0
            }
        }
        guard digits == 64 else { return nil }
        self.words = (words[0], words[1], words[2], words[3])
    }

    /// Lowercase hex, 64 digits.
    var hex: String {
        String(unsafeUninitializedCapacity: 64) { text in
            let digits: StaticString = "0123456789abcdef"
            for (index, word) in [words.0, words.1, words.2, words.3].enumerated() {
                for nibble in 0..<16 {
                    text[index * 16 + nibble] = digits.utf8Start[Int(word >> UInt64(60 - 4 * nibble) & 0xF)]
                }
            }
            return 64
        }
    }

    static func == (a: HexDigest, b: HexDigest) -> Bool { a.words == b.words }
}
