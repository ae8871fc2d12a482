import Foundation

/// One raw body on disk: `raw/<day>/<source>/<dataset>/<key>.json` (or `.json.gz`).
public struct RawSnapshot: Hashable, Sendable {
    public let day: Day
    public let dataset: RawDataset
    public let key: String
    /// The body file's path. A path, not a URL: a build over years of history lists one snapshot
    /// per file, and a URL costs several times the memory and a parse to make.
    public let bodyPath: String
    /// The body file.
    public var bodyURL: URL { URL(fileURLWithPath: bodyPath) }
    /// The body file's name (`KEY.json`, `KEY.json.gz`, `KEY.jsonl`, ...).
    public var fileName: Substring { bodyPath[(bodyPath.lastIndex(of: "/").map { bodyPath.index(after: $0) } ?? bodyPath.startIndex)...] }
    /// Whether the body is gzip-compressed (`.json.gz`).
    public var isCompressed: Bool { bodyPath.hasSuffix(".gz") }
    /// Whether this is a closed stream segment (`KEY.jsonl`, `KEY.jsonl.gz`) rather than one response body.
    public var isSegment: Bool { bodyPath.hasSuffix(".jsonl") || bodyPath.hasSuffix(".jsonl.gz") }
    /// The path of the `.meta.json` beside the body.
    public var metaPath: String { bodyPath.dropLast(fileName.count) + "\(key).meta.json" }
    /// The `.meta.json` beside the body.
    public var metaURL: URL { URL(fileURLWithPath: metaPath) }

    public init(day: Day, dataset: RawDataset, key: String, bodyPath: String) {
        self.day = day
        self.dataset = dataset
        self.key = key
        self.bodyPath = bodyPath
    }

    public init(day: Day, dataset: RawDataset, key: String, bodyURL: URL) {
        self.init(day: day, dataset: dataset, key: key, bodyPath: bodyURL.path)
    }

    /// The path relative to the root (`raw/DAY/SOURCE/DATASET/FILE`), as the run log and `_rejects` name it.
    public var relativePath: String {
        "raw/\(day)/\(dataset.source)/\(dataset.dataset)/\(fileName)"
    }

    /// The metadata file's path relative to the root.
    public var metaRelativePath: String {
        "raw/\(day)/\(dataset.source)/\(dataset.dataset)/\(key).meta.json"
    }

    /// The key and compression of a body's file name (`KEY.json`, `KEY.json.gz`); nil for
    /// metadata, temporary and other files, which are not snapshots.
    public static func parse(fileName name: String) -> (key: String, compressed: Bool)? {
        if name.hasSuffix(".meta.json") || name.hasPrefix(".") { return nil }
        if name.hasSuffix(".json.gz") { return (String(name.dropLast(8)), true) }
        if name.hasSuffix(".json") { return (String(name.dropLast(5)), false) }
        return nil
    }

    /// The key and compression of a closed stream segment's file name (`KEY.jsonl`,
    /// `KEY.jsonl.gz`); nil for open segments (`.KEY.jsonl.part`) and every other file.
    public static func parse(segmentFileName name: String) -> (key: String, compressed: Bool)? {
        if name.hasPrefix(".") { return nil }
        if name.hasSuffix(".jsonl.gz") { return (String(name.dropLast(9)), true) }
        if name.hasSuffix(".jsonl") { return (String(name.dropLast(6)), false) }
        return nil
    }
}
