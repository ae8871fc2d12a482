import Foundation

/// Reads and writes the raw layer: verbatim bodies with their metadata, written atomically.
public struct RawStore: Sendable {
    public let layout: WarehouseLayout

    public init(layout: WarehouseLayout) { self.layout = layout }

    /// Writes a body and its metadata under `raw/<day>/<dataset>/<key>`: each file goes to a
    /// temporary name first and is renamed, metadata before body, so a reader that sees a body
    /// always sees a whole one with its metadata. A snapshot is never overwritten: when the key
    /// was already fetched that day, the new one is stored as `<key>@HHMMSS` (`RawKey.refetch`).
    /// - Throws: `RawStoreError.invalidKey` for a key that is not filesystem-safe, or the file error.
    @discardableResult
    public func write(body: Data, meta: SnapshotMeta, dataset: RawDataset, key: String, day: Day) throws -> RawSnapshot {
        try write(body: body, metaData: meta.encoded(), fetchedAt: meta.fetchedAt, dataset: dataset, key: key, day: day)
    }

    /// Writes a snapshot copied from elsewhere (the shared bucket): body and metadata exactly as
    /// given, under `key` when free, else under its refetch name, as `write` does.
    /// - Parameter file: the body's file name in the source (`KEY.json` or `KEY.json.gz`).
    @discardableResult
    public func copy(body: Data, metaData: Data, file: String, dataset: RawDataset, day: Day) throws -> RawSnapshot {
        guard let (key, compressed) = RawSnapshot.parse(fileName: file) else { throw RawStoreError.invalidKey(key: file, dataset: dataset) }
        let fetchedAt = (try? SnapshotMeta.decode(metaData))?.fetchedAt ?? ""
        return try write(body: body, metaData: metaData, fetchedAt: fetchedAt, dataset: dataset, key: key, day: day, compressed: compressed)
    }

    private func write(body: Data, metaData: Data, fetchedAt: String, dataset: RawDataset, key: String, day: Day, compressed: Bool = false) throws -> RawSnapshot {
        guard RawKey.isValid(key) else { throw RawStoreError.invalidKey(key: key, dataset: dataset) }
        let folder = layout.rawFolder(day: day, dataset: dataset)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var stored = key
        var attempt = 1
        while snapshot(of: dataset, key: stored, on: day) != nil || FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(stored).meta.json").path) {
            stored = RawKey.refetch(of: key, at: ISO8601.parse(fetchedAt) ?? Date(), attempt: attempt)
            attempt += 1
        }
        let bodyURL = folder.appendingPathComponent("\(stored).json" + (compressed ? ".gz" : ""))
        let snapshot = RawSnapshot(day: day, dataset: dataset, key: stored, bodyURL: bodyURL)
        try AtomicFile.write(metaData, to: snapshot.metaURL)
        try AtomicFile.write(body, to: bodyURL)
        return snapshot
    }

    /// Every snapshot of a dataset, ordered by day then key; within `days` when given.
    /// Temporary files and metadata are not snapshots.
    public func snapshots(of dataset: RawDataset, days: ClosedRange<Day>? = nil) throws -> [RawSnapshot] {
        var result: [RawSnapshot] = []
        for day in try self.days() where days?.contains(day) ?? true {
            result += try snapshots(of: dataset, on: day)
        }
        return result
    }

    /// The snapshots of a dataset fetched on one day, ordered by key.
    public func snapshots(of dataset: RawDataset, on day: Day) throws -> [RawSnapshot] {
        let folder = layout.rawFolder(day: day, dataset: dataset)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var result: [RawSnapshot] = []
        for name in names.sorted() {
            guard let (key, _) = RawSnapshot.parse(fileName: name) else { continue }
            result.append(RawSnapshot(day: day, dataset: dataset, key: key, bodyPath: folder.path + "/" + name))
        }
        return result
    }

    /// The closed stream segments of a dataset (BRIEF section 3), by day then name: a segment
    /// is closed once its `.meta.json` is written, after the atomic rename of its `.jsonl`; one
    /// still being written (`.KEY.jsonl.part`) or not yet described is not listed.
    public func segments(of dataset: RawDataset, days: ClosedRange<Day>? = nil) throws -> [RawSnapshot] {
        var result: [RawSnapshot] = []
        let fm = FileManager.default
        for day in try self.days() where days?.contains(day) ?? true {
            let folder = layout.rawFolder(day: day, dataset: dataset)
            guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { continue }
            let present = Set(names)
            for name in names.sorted() {
                guard let (key, _) = RawSnapshot.parse(segmentFileName: name), present.contains("\(key).meta.json") else { continue }
                result.append(RawSnapshot(day: day, dataset: dataset, key: key, bodyPath: folder.path + "/" + name))
            }
        }
        return result
    }

    /// The closed segment `key` of a day (plain or gzip), nil when there is none.
    public func segment(of dataset: RawDataset, key: String, on day: Day) -> RawSnapshot? {
        let folder = layout.rawFolder(day: day, dataset: dataset)
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(key).meta.json").path) else { return nil }
        for name in ["\(key).jsonl", "\(key).jsonl.gz"] {
            let url = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return RawSnapshot(day: day, dataset: dataset, key: key, bodyURL: url) }
        }
        return nil
    }

    /// Segments of a dataset still being written (`.KEY.jsonl.part`), as paths under the root.
    public func openSegments(of dataset: RawDataset, days: ClosedRange<Day>? = nil) throws -> [String] {
        try self.days().filter { days?.contains($0) ?? true }.flatMap { day -> [String] in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.rawFolder(day: day, dataset: dataset).path)) ?? []
            return names.filter { $0.hasPrefix(".") && $0.hasSuffix(".jsonl.part") }.sorted().map { "raw/\(day)/\(dataset)/\($0)" }
        }
    }

    /// The fetch days present under `raw/`, ascending. Folders that are not `YYYY-MM-DD` are ignored.
    public func days() throws -> [Day] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: layout.rawDirectory.path) else { return [] }
        return names.compactMap(Day.init(parsing:)).sorted()
    }

    /// The snapshot of one key fetched on one day (plain or gzip), nil when there is none.
    public func snapshot(of dataset: RawDataset, key: String, on day: Day) -> RawSnapshot? {
        let folder = layout.rawFolder(day: day, dataset: dataset)
        for name in ["\(key).json", "\(key).json.gz"] {
            let url = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return RawSnapshot(day: day, dataset: dataset, key: key, bodyURL: url) }
        }
        return nil
    }

    /// The newest snapshot answering for `key` on a day: the last refetch of it, else the key's own.
    public func newest(of dataset: RawDataset, key: String, on day: Day) throws -> RawSnapshot? {
        guard let newest = try newestKey(answering: key, of: dataset, on: day) else { return nil }
        return snapshot(of: dataset, key: newest, on: day)
    }

    /// The newest snapshot of each key fetched on a day (refetches standing for the first fetch), by key.
    public func newestSnapshots(of dataset: RawDataset, on day: Day) throws -> [RawSnapshot] {
        var newest: [String: RawSnapshot] = [:]
        for snapshot in try snapshots(of: dataset, on: day) {
            let base = RawKey.base(of: snapshot.key)
            if let kept = newest[base], RawKey.fetchOrder(of: kept.key) > RawKey.fetchOrder(of: snapshot.key) { continue }
            newest[base] = snapshot
        }
        return newest.keys.sorted().map { newest[$0]! }
    }

    /// Every dataset with at least one snapshot, sorted.
    public func datasets() throws -> [RawDataset] {
        var found = Set<RawDataset>()
        let fm = FileManager.default
        for day in try days() {
            let dayURL = layout.rawDirectory.appendingPathComponent(day.description)
            for source in (try? fm.contentsOfDirectory(atPath: dayURL.path)) ?? [] where !source.hasPrefix(".") {
                for dataset in (try? fm.contentsOfDirectory(atPath: dayURL.appendingPathComponent(source).path)) ?? [] where !dataset.hasPrefix(".") {
                    found.insert(RawDataset(source: source, dataset: dataset))
                }
            }
        }
        return found.sorted { $0.description < $1.description }
    }

    /// The body, decompressed when stored as `.json.gz`.
    /// - Throws: `RawStoreError.unreadable` naming the file.
    public func body(of snapshot: RawSnapshot) throws -> Data {
        do {
            // By path: a rebuild reads every body, and making a URL of each costs more than a
            // small file's read. The URL is made only to say why a file cannot be read.
            let data = try FileManager.default.contents(atPath: snapshot.bodyPath) ?? Data(contentsOf: snapshot.bodyURL)
            return snapshot.isCompressed ? try Gzip.decompress(data) : data
        } catch {
            throw RawStoreError.unreadable(path: snapshot.relativePath, reason: "\(error)")
        }
    }

    /// The metadata, or nil when the file is missing.
    /// - Throws: `RawStoreError.badMetadata` when present but not the contract's shape.
    public func meta(of snapshot: RawSnapshot) throws -> SnapshotMeta? {
        guard let data = FileManager.default.contents(atPath: snapshot.metaPath) else { return nil }
        do {
            return try SnapshotMeta.decode(data)
        } catch {
            throw RawStoreError.badMetadata(path: snapshot.metaRelativePath, reason: "\(error)")
        }
    }

    /// A fingerprint of a dataset's content: each snapshot's path and the sha256 its metadata
    /// records (silver verifies it when it reads the body), so copying a root (new modification
    /// times) changes nothing, and a changed snapshot does. A body without metadata counts by its
    /// size. No body is read: this is what silver's staleness compares. Closed stream segments
    /// count the same way.
    public func fingerprint(of dataset: RawDataset) throws -> String {
        var hasher = Fingerprint()
        for snapshot in try snapshots(of: dataset) + segments(of: dataset) {
            if let meta = try? meta(of: snapshot) {
                hasher.add("\(snapshot.relativePath)|\(meta.sha256)")
            } else {
                let size = ((try? FileManager.default.attributesOfItem(atPath: snapshot.bodyPath))?[.size] as? NSNumber)?.int64Value ?? -1
                hasher.add("\(snapshot.relativePath)|size:\(size)")
            }
        }
        return hasher.finish()
    }
}

/// What went wrong reading or writing the raw layer.
public enum RawStoreError: WarehouseError {
    case invalidKey(key: String, dataset: RawDataset)
    case unreadable(path: String, reason: String)
    case badMetadata(path: String, reason: String)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .invalidKey(let key, let dataset):
            return ("raw key '\(key)' for \(dataset) is not filesystem-safe", "use only letters, digits and -_.=@+")
        case .unreadable(let path, let reason):
            return ("cannot read \(path): \(reason)", "restore the file or remove it and fetch again with --refresh")
        case .badMetadata(let path, let reason):
            return ("\(path) is not a valid snapshot metadata file: \(reason)", "rewrite it with url, status, fetched_at, sha256, bytes and params")
        }
    }
}
