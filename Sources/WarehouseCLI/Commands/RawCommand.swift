import ArgumentParser
import Foundation
import Pipeline
import Warehouse

struct RawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raw",
        abstract: "Inspect raw snapshots (bronze): list them, show one with its metadata, diff two; compress and prune old days; sync with the team bucket.",
        subcommands: [RawListCommand.self, RawShowCommand.self, RawDiffCommand.self, RawCompressCommand.self, RawPruneCommand.self, RawSyncCommand.self])
}

struct RawListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List raw snapshots, optionally of one dataset (source/dataset or a bronze asset) and one day.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A dataset like coingecko/markets, or a bronze asset like bronze.coingecko_markets.")
    var dataset: String?

    @Option(help: ArgumentHelp("Only snapshots fetched on this UTC day.", valueName: "YYYY-MM-DD"))
    var day: String?

    @Flag(help: "Print JSON on stdout.")
    var json = false

    func run() throws {
        let app = try global.pipeline()
        let store = RawStore(layout: app.layout)
        let datasets = try dataset.map { [try RawDatasetArgument.parse($0)] } ?? store.datasets()
        let days: ClosedRange<Day>? = try day.map { text in
            let d = try DayArgument.parse(text, flag: "--day")
            return d...d
        }
        var entries: [[String: Any]] = []
        for dataset in datasets {
            for snapshot in try store.snapshots(of: dataset, days: days) {
                let meta = try? store.meta(of: snapshot)
                let size = (try? FileManager.default.attributesOfItem(atPath: snapshot.bodyURL.path)[.size] as? NSNumber)?.intValue ?? 0
                entries.append(["path": snapshot.relativePath, "dataset": dataset.description, "day": snapshot.day.description,
                                "key": snapshot.key, "bytes": size, "fetched_at": meta?.fetchedAt ?? "", "status": meta?.status ?? 0,
                                "compressed": snapshot.isCompressed])
            }
        }
        if json { print(Format.json(entries)); return }
        if entries.isEmpty { print("No raw snapshots in \(app.layout.rawDirectory.path)."); return }
        let width = (entries.map { ($0["path"] as! String).count }.max() ?? 10) + 2
        for entry in entries {
            print(Format.padded(entry["path"] as! String, width) + Format.padded(Format.bytes(entry["bytes"] as! Int), 10) + (entry["fetched_at"] as! String))
        }
        print("\(entries.count) snapshot(s).")
    }
}

struct RawShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one raw snapshot: its metadata, then its body (decompressed, cut at --bytes).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The snapshot's path as `raw ls` prints it (raw/DAY/SOURCE/DATASET/KEY.json).")
    var path: String

    @Option(help: "Show at most this many bytes of the body (0 for all).")
    var bytes = 2000

    @Flag(help: "Print only the metadata.")
    var metaOnly = false

    @Flag(help: "Print {\"meta\": ..., \"body\": ..., \"bytes\": ...} on stdout (the body as text, cut at --bytes).")
    var json = false

    func run() throws {
        let app = try global.pipeline()
        let store = RawStore(layout: app.layout)
        let snapshot = try RawSnapshotArgument.resolve(path, in: store)
        if json {
            let meta = try store.meta(of: snapshot).flatMap { try? JSONSerialization.jsonObject(with: Data($0.encoded())) }
            var entry: [String: Any] = ["path": path, "meta": meta ?? NSNull()]
            if !metaOnly {
                let body = try store.body(of: snapshot)
                entry["body"] = String(decoding: bytes > 0 ? body.prefix(bytes) : body, as: UTF8.self)
                entry["bytes"] = body.count
            }
            print(Format.json(entry))
            return
        }
        if let meta = try store.meta(of: snapshot) {
            print(String(decoding: meta.encoded(), as: UTF8.self))
        } else {
            print("(no metadata file beside this body)")
        }
        guard !metaOnly else { return }
        let body = try store.body(of: snapshot)
        let shown = bytes > 0 ? body.prefix(bytes) : body
        print(String(decoding: shown, as: UTF8.self))
        if shown.count < body.count { print("... (\(Format.bytes(body.count)) in all; --bytes 0 shows everything)") }
    }
}

/// Reads a snapshot path as `raw ls` prints it (raw/DAY/SOURCE/DATASET/KEY.json).
enum RawSnapshotArgument {
    /// - Throws: `UsageError` naming the path and what to pass instead.
    static func resolve(_ path: String, in store: RawStore) throws -> RawSnapshot {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count == 5, parts[0] == "raw", let day = Day(parsing: parts[1]) else {
            throw UsageError(problem: "'\(path)' is not a raw snapshot path", fix: "pass a path as `warehouse raw ls` prints it, e.g. raw/2026-11-23/coingecko/markets/page-1.json")
        }
        let key = parts[4].replacingOccurrences(of: ".json.gz", with: "").replacingOccurrences(of: ".json", with: "")
        guard let snapshot = store.snapshot(of: RawDataset(source: parts[2], dataset: parts[3]), key: key, on: day) else {
            throw UsageError(problem: "no snapshot at \(store.layout.root.path)/\(path)", fix: "list what exists with `warehouse raw ls`")
        }
        return snapshot
    }
}

/// Reads `coingecko/markets` or `bronze.coingecko_markets` as a raw dataset.
enum RawDatasetArgument {
    static func parse(_ text: String) throws -> RawDataset {
        if let key = AssetKey(parsing: text), key.layer == .bronze { return RawDataset(asset: key) }
        let parts = text.split(separator: "/")
        guard parts.count == 2 else {
            throw UsageError(problem: "'\(text)' is not a dataset", fix: "write SOURCE/DATASET (coingecko/markets) or a bronze asset name")
        }
        return RawDataset(source: String(parts[0]), dataset: String(parts[1]))
    }
}
