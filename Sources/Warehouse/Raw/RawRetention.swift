import Foundation

/// Keeping the raw layer's size in hand without losing what silver stands on.
///
/// - `compress`: bodies of days older than a cutoff become `.json.gz`, and closed stream
///   segments `.jsonl.gz` (zlib's gzip; readers, silver included, read both). The metadata is
///   untouched: its sha256 is the body's, so a compressed snapshot still verifies. Silver
///   re-reads a snapshot dataset once (a segment is the same file to it, never parsed again),
///   and its lineage then names the `.gz` files. A segment still being written is never touched.
/// - `prune`: snapshots of days older than a cutoff are deleted, except those silver stands on:
///   every snapshot a current silver row came from (by `raw_file_id`), the newest fetch of
///   every key (reference lists such as chains or the coin list give silver values without
///   being a row's source), and every stream segment silver has not read yet. Deleting one would lose rows or values at the next rebuild, so it
///   is refused unless forced, and so is a prune of a root whose silver is not there to ask.
public struct RawRetention {
    public let layout: WarehouseLayout

    public init(layout: WarehouseLayout) { self.layout = layout }

    /// What a compression or a prune did (or, dry, would do).
    public struct Report: Sendable {
        public var snapshots = 0
        /// Bytes on disk before and after (a prune frees all of its bytes).
        public var bytesBefore = 0
        public var bytesAfter = 0
        /// Snapshots kept: ones silver stands on (prune without force), or whose `.gz` name is taken (compress).
        public var kept: [String] = []
        /// The snapshots deleted (or, dry, to delete).
        public var deleted: [String] = []
        public var freed: Int { bytesBefore - bytesAfter }
    }

    /// The snapshots and closed segments of days before `cutoff`.
    func snapshots(before cutoff: Day) throws -> [RawSnapshot] {
        let store = RawStore(layout: layout)
        let days = try store.days().filter { $0 < cutoff }
        guard let first = days.first, let last = days.last else { return [] }
        return try store.datasets().flatMap { try store.snapshots(of: $0, days: first...last) + store.segments(of: $0, days: first...last) }
    }

    /// Gzips every plain body of days before `cutoff`: written aside, renamed, then the plain one
    /// removed. A body whose `.gz` name is already taken (a copy another tool put there) is left
    /// as it is, both files kept (`kept`).
    public func compress(before cutoff: Day, dryRun: Bool = false) throws -> Report {
        var report = Report()
        for snapshot in try snapshots(before: cutoff) where !snapshot.isCompressed {
            guard !FileManager.default.fileExists(atPath: snapshot.bodyURL.appendingPathExtension("gz").path) else {
                report.kept.append(snapshot.relativePath)
                continue
            }
            let body = try Data(contentsOf: snapshot.bodyURL)
            let packed = try Gzip.compress(body)
            report.snapshots += 1
            report.bytesBefore += body.count
            report.bytesAfter += packed.count
            guard !dryRun else { continue }
            try AtomicFile.write(packed, to: snapshot.bodyURL.appendingPathExtension("gz"))
            try FileManager.default.removeItem(at: snapshot.bodyURL)
        }
        return report
    }

    /// Deletes the snapshots (bodies and metadata) of days before `cutoff` that no current silver
    /// row came from; with `force`, those too. Emptied folders go with them.
    /// - Throws: `RawRetentionError.noSilver` without `force` when silver.sqlite cannot say what it stands on.
    public func prune(before cutoff: Day, force: Bool = false, dryRun: Bool = false) throws -> Report {
        guard force || FileManager.default.fileExists(atPath: layout.silverDatabase.path) else { throw RawRetentionError.noSilver(layout.silverDatabase.path) }
        let needed = try pathsSilverStandsOn().union(try newestOfEveryKey())
        let consumed = try pathsSilverConsumed()
        var report = Report()
        for snapshot in try snapshots(before: cutoff) {
            let path = Self.uncompressed(snapshot.relativePath)
            // A segment silver has not read yet holds rows it would never get (a collector that ran
            // for weeks beside no materialize); one it read stands on its rows like a snapshot.
            if (needed.contains(path) || (snapshot.isSegment && !consumed.contains(path))) && !force {
                report.kept.append(snapshot.relativePath)
                continue
            }
            let bytes = [snapshot.bodyURL, snapshot.metaURL].reduce(0) { total, url in
                total + (((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0)
            }
            report.snapshots += 1
            report.bytesBefore += bytes
            report.deleted.append(snapshot.relativePath)
            guard !dryRun else { continue }
            try FileManager.default.removeItem(at: snapshot.bodyURL)
            try? FileManager.default.removeItem(at: snapshot.metaURL)
            removeEmptyFolders(from: snapshot.bodyURL.deletingLastPathComponent())
        }
        if dryRun { report.bytesAfter = 0 }
        return report
    }

    /// The raw files current silver rows came from: `_raw_files` paths whose id a silver table's
    /// `raw_file_id` column holds.
    func pathsSilverStandsOn() throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: layout.silverDatabase.path) else { return [] }
        let silver = try Database(path: layout.silverDatabase.path, readOnly: true)
        guard try silver.tableExists("_raw_files") else { return [] }
        var ids = Set<Int64>()
        for table in try silver.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'").compactMap({ $0[0].string }) {
            let columns = try silver.rows("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0[0].string }
            guard columns.contains("raw_file_id") else { continue }
            for row in try silver.rows("SELECT DISTINCT raw_file_id FROM \"\(table)\"") { if case .integer(let id) = row[0] { ids.insert(id) } }
        }
        return Set(try silver.rows("SELECT raw_file_id, path FROM _raw_files").compactMap { row -> String? in
            guard case .integer(let id) = row[0], ids.contains(id) else { return nil }
            return row[1].string.map(Self.uncompressed)
        })
    }

    /// The raw files silver's incremental builders have read (`_consumed_files`), uncompressed paths.
    func pathsSilverConsumed() throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: layout.silverDatabase.path) else { return [] }
        let silver = try Database(path: layout.silverDatabase.path, readOnly: true)
        guard try silver.tableExists("_consumed_files") else { return [] }
        return Set(try silver.rows("SELECT path FROM _consumed_files").compactMap { $0[0].string.map(Self.uncompressed) })
    }

    /// The newest fetch of every key of every dataset, uncompressed paths (segments are not
    /// fetches of a key: each stands for itself, and silver's rows say whether it is needed).
    func newestOfEveryKey() throws -> Set<String> {
        let store = RawStore(layout: layout)
        var newest: [String: RawSnapshot] = [:]
        for dataset in try store.datasets() {
            for snapshot in try store.snapshots(of: dataset) {
                let id = "\(dataset)/\(RawKey.base(of: snapshot.key))"
                if let kept = newest[id], (kept.day, RawKey.fetchOrder(of: kept.key).time, RawKey.fetchOrder(of: kept.key).attempt)
                    > (snapshot.day, RawKey.fetchOrder(of: snapshot.key).time, RawKey.fetchOrder(of: snapshot.key).attempt) { continue }
                newest[id] = snapshot
            }
        }
        return Set(newest.values.map { Self.uncompressed($0.relativePath) })
    }

    /// A path as it was before compression, so a `.json.gz` is the `.json` silver read.
    static func uncompressed(_ path: String) -> String { path.hasSuffix(".gz") ? String(path.dropLast(3)) : path }

    private func removeEmptyFolders(from folder: URL) {
        var current = folder
        while current.path.hasPrefix(layout.rawDirectory.path + "/"),
              (try? FileManager.default.contentsOfDirectory(atPath: current.path))?.isEmpty == true {
            try? FileManager.default.removeItem(at: current)
            current = current.deletingLastPathComponent()
        }
    }
}

/// A prune that cannot know what silver stands on.
public enum RawRetentionError: WarehouseError {
    case noSilver(String)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .noSilver(let path):
            return ("\(path) does not exist, so nothing can tell which raw snapshots silver's tables came from; nothing was deleted",
                    "build silver first (`warehouse materialize layer:silver`), or prune with --force to delete regardless")
        }
    }
}
