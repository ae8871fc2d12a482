import Foundation
import Warehouse

/// The raw layer in a bucket (`PREFIX/raw/DAY/SOURCE/DATASET/KEY.json` and `.meta.json`, the
/// BRIEF's layout, so any tool can read it) as the team's shared cache. A snapshot counts once
/// its metadata is there: uploads write the body first, so a reader never meets a metadata
/// file without its body. Listings are read once per folder and kept for the run.
public final class BucketRawCache: SharedRawCache, @unchecked Sendable {
    public let remote: RawRemote
    public let store: ObjectStore
    public var location: String { remote.url }

    private var folders: [String: [String: ObjectInfo]] = [:]
    private var metaBytes: [String: Data] = [:]
    private var listedDays: [Day]?
    private let lock = NSLock()

    public init(remote: RawRemote, store: ObjectStore) {
        self.remote = remote
        self.store = store
    }

    // MARK: SnapshotCatalog

    public func days() throws -> [Day] {
        if let listedDays = lock.withLock({ self.listedDays }) { return listedDays }
        let listing = try store.list(prefix: remote.objectName("raw/"), delimiter: "/")
        let days = listing.prefixes.compactMap { Day(parsing: String($0.dropLast().split(separator: "/").last ?? "")) }.sorted()
        lock.withLock { listedDays = days }
        return days
    }

    public func keys(of dataset: RawDataset, on day: Day) throws -> [String] {
        let files = try folder(dataset, on: day)
        return files.keys.compactMap { name in
            guard let (key, _) = RawSnapshot.parse(fileName: name), files["\(key).meta.json"] != nil else { return nil }
            return key
        }.sorted()
    }

    public func contains(_ dataset: RawDataset, key: String, on day: Day) throws -> Bool {
        try bodyName(of: dataset, key: key, on: day) != nil
    }

    public func meta(of dataset: RawDataset, key: String, on day: Day) throws -> SnapshotMeta? {
        guard try contains(dataset, key: key, on: day), let data = try metadata(of: dataset, key: key, on: day) else { return nil }
        return try? SnapshotMeta.decode(data)
    }

    // MARK: Copies

    public func download(_ dataset: RawDataset, key: String, on day: Day, into local: RawStore) throws -> RawSnapshot {
        guard let name = try bodyName(of: dataset, key: key, on: day), let metaData = try metadata(of: dataset, key: key, on: day),
              let meta = try? SnapshotMeta.decode(metaData) else {
            throw SharedCacheError.refused(location: location, operation: "reading \(key)", status: 404, detail: "the snapshot is not in the bucket")
        }
        let object = folderPrefix(dataset, on: day) + name
        guard let body = try store.get(object) else {
            throw SharedCacheError.refused(location: location, operation: "reading \(object)", status: 404, detail: "listed but gone")
        }
        let plain = name.hasSuffix(".gz") ? ((try? Gzip.decompress(body)) ?? Data()) : body
        let actual = Fingerprint.sha256(plain)
        guard actual == meta.sha256 else { throw SharedCacheError.corrupt(object: object, expected: meta.sha256, actual: actual) }
        return try local.copy(body: body, metaData: metaData, file: name, dataset: dataset, day: day)
    }

    @discardableResult
    public func upload(_ snapshot: RawSnapshot, from local: RawStore) throws -> String {
        let body = try Data(contentsOf: snapshot.bodyURL)
        guard let metaData = FileManager.default.contents(atPath: snapshot.metaPath),
              let meta = try? SnapshotMeta.decode(metaData) else {
            throw SharedCacheError.refused(location: location, operation: "uploading \(snapshot.relativePath)", status: 0,
                                           detail: "the snapshot has no readable metadata beside it; only whole snapshots are shared")
        }
        let suffix = snapshot.isCompressed ? ".json.gz" : ".json"
        let prefix = folderPrefix(snapshot.dataset, on: snapshot.day)
        var key = snapshot.key
        var attempt = 1
        while true {
            if try store.create(prefix + key + suffix, data: body, contentType: snapshot.isCompressed ? "application/gzip" : "application/json") {
                _ = try store.create(prefix + key + ".meta.json", data: metaData, contentType: "application/json")
                remember(snapshot.dataset, on: snapshot.day, files: [key + suffix: ObjectInfo(size: body.count, md5: Crypto.md5Hex(body)),
                                                                     key + ".meta.json": ObjectInfo(size: metaData.count, md5: Crypto.md5Hex(metaData))])
                return prefix + key + suffix
            }
            // The name is taken: by this very snapshot (same metadata: an earlier upload, perhaps
            // cut off before its metadata), or by another fetch, even of the same bytes, which
            // keeps its name; ours takes the next refetch name.
            if let theirs = try store.get(prefix + key + ".meta.json") {
                if theirs == metaData { return prefix + key + suffix }
            } else if let existing = try store.get(prefix + key + suffix), existing == body {
                _ = try store.create(prefix + key + ".meta.json", data: metaData, contentType: "application/json")
                return prefix + key + suffix
            }
            key = RawKey.refetch(of: RawKey.base(of: snapshot.key), at: ISO8601.parse(meta.fetchedAt) ?? Date(), attempt: attempt)
            attempt += 1
        }
    }

    /// Whether the bucket holds exactly this snapshot: the same metadata bytes under its name,
    /// or under a refetch name of its key (where an upload went when another writer had taken
    /// the name). Compared by the MD5s the listing reports, else by reading the metadata.
    public func holds(_ snapshot: RawSnapshot) throws -> Bool {
        guard let local = FileManager.default.contents(atPath: snapshot.metaPath) else { return false }
        let files = try folder(snapshot.dataset, on: snapshot.day)
        let localMD5 = Crypto.md5Hex(local)
        // The usual case, read off the listing: the same metadata under the snapshot's own name.
        if files["\(snapshot.key).meta.json"]?.md5 == localMD5, try contains(snapshot.dataset, key: snapshot.key, on: snapshot.day) { return true }
        let base = RawKey.base(of: snapshot.key)
        let candidates = try keys(of: snapshot.dataset, on: snapshot.day).filter { RawKey.base(of: $0) == base }
        for key in candidates {
            if let md5 = files["\(key).meta.json"]?.md5 {
                if md5 == localMD5 { return true }
            } else if try metadata(of: snapshot.dataset, key: key, on: snapshot.day) == local {
                return true
            }
        }
        return false
    }

    // MARK: Listings

    /// Lists a whole day once (one paged listing instead of one per dataset), for `raw sync`.
    /// - Returns: the datasets the bucket holds that day.
    public func prefetch(day: Day) throws -> [RawDataset] {
        let dayPrefix = remote.objectName("raw/\(day)/")
        let listing = try store.list(prefix: dayPrefix, delimiter: nil)
        var byFolder: [String: [String: ObjectInfo]] = [:]
        for (name, info) in listing.objects {
            let parts = name.dropFirst(dayPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            byFolder["\(day)/\(parts[0])/\(parts[1])", default: [:]][String(parts[2])] = info
        }
        lock.withLock { for (folder, files) in byFolder { folders[folder] = files } }
        return byFolder.keys.sorted().map { folder in
            let parts = folder.split(separator: "/")
            return RawDataset(source: String(parts[1]), dataset: String(parts[2]))
        }
    }

    func folderPrefix(_ dataset: RawDataset, on day: Day) -> String {
        remote.objectName("raw/\(day)/\(dataset.source)/\(dataset.dataset)/")
    }

    /// The file names in a dataset's folder on a day, listed once per run.
    private func folder(_ dataset: RawDataset, on day: Day) throws -> [String: ObjectInfo] {
        let id = "\(day)/\(dataset.source)/\(dataset.dataset)"
        if let files = lock.withLock({ folders[id] }) { return files }
        let prefix = folderPrefix(dataset, on: day)
        let listing = try store.list(prefix: prefix, delimiter: "/")
        var files: [String: ObjectInfo] = [:]
        for (name, info) in listing.objects { files[String(name.dropFirst(prefix.count))] = info }
        lock.withLock { folders[id] = files }
        return files
    }

    private func bodyName(of dataset: RawDataset, key: String, on day: Day) throws -> String? {
        let files = try folder(dataset, on: day)
        guard files["\(key).meta.json"] != nil else { return nil }
        return ["\(key).json", "\(key).json.gz"].first { files[$0] != nil }
    }

    private func metadata(of dataset: RawDataset, key: String, on day: Day) throws -> Data? {
        let object = folderPrefix(dataset, on: day) + "\(key).meta.json"
        if let cached = lock.withLock({ metaBytes[object] }) { return cached }
        guard let data = try store.get(object) else { return nil }
        lock.withLock { metaBytes[object] = data }
        return data
    }

    /// Adds what this run uploaded to a folder already listed (the MD5s let `holds` answer without a read).
    private func remember(_ dataset: RawDataset, on day: Day, files: [String: ObjectInfo]) {
        let id = "\(day)/\(dataset.source)/\(dataset.dataset)"
        lock.withLock {
            // A folder not listed yet is listed whole when first asked for, uploads included.
            folders[id]?.merge(files) { $1 }
            if let days = listedDays, !days.contains(day) { listedDays = (days + [day]).sorted() }
        }
    }
}
