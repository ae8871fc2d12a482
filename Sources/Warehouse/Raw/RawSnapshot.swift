import Foundation

/// One raw body on disk: `raw/<day>/<source>/<dataset>/<key>.json` (or `.json.gz`).
public struct RawSnapshot: Hashable, Sendable {
    public let day: Day
    public let dataset: RawDataset
    public let key: String
    /// The body file.
    public let bodyURL: URL
    /// Whether the body is gzip-compressed (`.json.gz`).
    public var isCompressed: Bool { bodyURL.pathExtension == "gz" }
    /// Whether this is a closed stream segment (`KEY.jsonl`, `KEY.jsonl.gz`) rather than one response body.
    public var isSegment: Bool { bodyURL.lastPathComponent.hasSuffix(".jsonl") || bodyURL.lastPathComponent.hasSuffix(".jsonl.gz") }
    /// The `.meta.json` beside the body.
    public var metaURL: URL {
        bodyURL.deletingLastPathComponent().appendingPathComponent("\(key).meta.json")
    }

    /// The path relative to the root (`raw/DAY/SOURCE/DATASET/FILE`), as the run log and `_rejects` name it.
    public var relativePath: String {
        "raw/\(day)/\(dataset.source)/\(dataset.dataset)/\(bodyURL.lastPathComponent)"
    }

    /// The metadata file's path relative to the root.
    public var metaRelativePath: String {
        "raw/\(day)/\(dataset.source)/\(dataset.dataset)/\(metaURL.lastPathComponent)"
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
