import Foundation
import Warehouse

/// What `warehouse stage export` is asked for: the ticks of the last `hours` hours ending at
/// `end`, optionally only some exchanges and base assets, in one file format. It names the file
/// it becomes, so the same request always lands on the same name.
public struct StageRequest: Equatable, Sendable {
    /// The file formats a staging export is written in.
    public enum Format: String, CaseIterable, Sendable {
        case sqlite, csv, json
    }

    /// The window's length in whole hours, 1 or more.
    public var hours: Int
    /// The window's end (exclusive); ticks received at or after `end - hours` and before it are in it.
    public var end: Date
    /// Only these exchanges (lowercase), or all when nil.
    public var exchanges: [String]?
    /// Only these base assets (uppercase, e.g. BTC), or all when nil.
    public var assets: [String]?
    public var format: Format
    /// The file name's first part.
    public var prefix: String

    public init(hours: Int, end: Date, exchanges: [String]? = nil, assets: [String]? = nil, format: Format = .sqlite, prefix: String = "ticks") {
        self.hours = hours
        // Whole seconds: the name carries the end to the second and must name this window exactly.
        self.end = Date(timeIntervalSince1970: end.timeIntervalSince1970.rounded(.down))
        self.exchanges = exchanges.map { Array(Set($0.map { $0.lowercased() })).sorted() }
        self.assets = assets.map { Array(Set($0.map { $0.uppercased() })).sorted() }
        self.format = format
        self.prefix = prefix
    }

    /// The window's first millisecond (inclusive), Unix milliseconds.
    public var startMillis: Int64 { endMillis - Int64(hours) * 3_600_000 }
    /// The window's end (exclusive), Unix milliseconds.
    public var endMillis: Int64 { Int64(end.timeIntervalSince1970) * 1000 }

    /// `<prefix>_<YYYYMMDD_HHMMSS>_last_<N>h[_exchanges-a-b][_assets-X-Y].<format>`, the time being
    /// the window's end in UTC.
    public var fileName: String {
        var name = "\(prefix)_\(Self.stamp(end))_last_\(hours)h"
        if let exchanges { name += "_exchanges-" + exchanges.joined(separator: "-") }
        if let assets { name += "_assets-" + assets.joined(separator: "-") }
        return name + "." + format.rawValue
    }

    /// The run metadata's file name: the export's name followed by `.meta.json`.
    public var metadataFileName: String { fileName + ".meta.json" }

    /// Checks what a user typed before anything is read.
    /// - Throws: `StageError.badRequest` naming the flag and what to write instead.
    public func validate() throws {
        guard (1...87_600).contains(hours) else { throw StageError.badRequest(flag: "--hours", problem: "\(hours) is not between 1 and 87600 (ten years)") }
        guard !prefix.isEmpty, prefix.utf8.allSatisfy(Self.isNameByte) else {
            throw StageError.badRequest(flag: "--prefix", problem: "'\(prefix)' must be letters, digits, '_', '-' or '.' only, and not empty")
        }
        for (flag, values) in [("--exchanges", exchanges), ("--assets", assets)] {
            guard let values else { continue }
            guard !values.isEmpty else { throw StageError.badRequest(flag: flag, problem: "names nothing: leave it out to take all") }
            // '-' and '_' separate the names in the file name, so a name cannot hold them.
            if let bad = values.first(where: { $0.isEmpty || !$0.utf8.allSatisfy(Self.isNameByte) || $0.contains("-") || $0.contains("_") }) {
                throw StageError.badRequest(flag: flag, problem: "'\(bad)' must be letters, digits or '.' only (comma-separated, e.g. \(flag == "--assets" ? "BTC,ETH" : "binance,kraken"))")
            }
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }

    /// `YYYYMMDD_HHMMSS` in UTC.
    static func stamp(_ date: Date) -> String {
        let iso = ISO8601.format(date)  // 2026-12-03T12:00:00Z
        let digits = iso.filter(\.isNumber)
        return String(digits.prefix(8)) + "_" + String(digits.dropFirst(8).prefix(6))
    }
}
