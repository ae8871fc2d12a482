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
        abstract: "List raw snapshots and closed stream segments, optionally of one dataset (source/dataset or a bronze asset) and one day.")

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
        var open: [String] = []
        for dataset in datasets {
            for snapshot in try store.snapshots(of: dataset, days: days) + store.segments(of: dataset, days: days) {
                let meta = try? store.meta(of: snapshot)
                let size = (try? FileManager.default.attributesOfItem(atPath: snapshot.bodyPath)[.size] as? NSNumber)?.intValue ?? 0
                var entry: [String: Any] = ["path": snapshot.relativePath, "dataset": dataset.description, "day": snapshot.day.description,
                                            "key": snapshot.key, "bytes": size, "fetched_at": meta?.fetchedAt ?? "", "status": meta?.status ?? 0,
                                            "compressed": snapshot.isCompressed, "segment": snapshot.isSegment]
                if snapshot.isSegment {
                    for name in ["lines", "messages", "events", "last_received_ms"] { entry[name] = meta?.params[name].flatMap { Int($0) } ?? 0 }
                }
                entries.append(entry)
            }
            open += try store.openSegments(of: dataset, days: days)
        }
        if json { print(Format.json(entries)); return }
        if entries.isEmpty && open.isEmpty { print("No raw snapshots in \(app.layout.rawDirectory.path)."); return }
        let width = (entries.map { ($0["path"] as! String).count }.max() ?? 10) + 2
        for entry in entries {
            let lines = entry["segment"] as! Bool ? "  \(Format.count(entry["lines"] as! Int)) lines (\(Format.count(entry["messages"] as! Int)) messages)" : ""
            print(Format.padded(entry["path"] as! String, width) + Format.padded(Format.bytes(entry["bytes"] as! Int), 10) + (entry["fetched_at"] as! String) + lines)
        }
        let segments = entries.filter { $0["segment"] as! Bool }.count
        print("\(entries.count - segments) snapshot(s)" + (segments > 0 ? ", \(segments) closed segment(s)" : "") + ".")
        if !open.isEmpty { print("\(open.count) segment(s) still being written (never read until closed), e.g. \(open[0]).") }
    }
}

struct RawShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one raw snapshot: its metadata, then its body (decompressed, cut at --bytes); for a stream segment, its summary and --lines decoded.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The snapshot's path as `raw ls` prints it (raw/DAY/SOURCE/DATASET/KEY.json).")
    var path: String

    @Option(help: "Show at most this many bytes of the body (0 for all).")
    var bytes = 2000

    @Flag(help: "Print only the metadata.")
    var metaOnly = false

    @Option(help: ArgumentHelp("For a stream segment: the lines to show, FIRST-LAST or one number (each message cut at --bytes).", valueName: "A-B"))
    var lines = "1-20"

    @Flag(help: "Print {\"meta\": ..., \"body\": ..., \"bytes\": ...} on stdout (the body as text, cut at --bytes).")
    var json = false

    func run() throws {
        let app = try global.pipeline()
        let store = RawStore(layout: app.layout)
        let snapshot = try RawSnapshotArgument.resolve(path, in: store)
        if snapshot.isSegment { return try showSegment(snapshot, store) }
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

extension RawShowCommand {
    /// A segment: metadata, its summary, then the chosen lines decoded (messages unescaped).
    private func showSegment(_ segment: RawSnapshot, _ store: RawStore) throws {
        let range = try Self.lineRange(lines)
        let meta = try store.meta(of: segment)
        let body = metaOnly ? Data() : try store.body(of: segment)
        var shown: [(number: Int, line: StreamSegment.Line?, text: String)] = []
        StreamSegment.forEachLine(in: body) { bytes, number in
            guard range.contains(number) else { return }
            shown.append((number, try? StreamSegment.parse(bytes), String(decoding: bytes, as: UTF8.self)))
        }
        let summary = SegmentSummary(body: body)
        func cut(_ text: String) -> String { bytes > 0 && text.utf8.count > bytes ? String(decoding: text.utf8.prefix(bytes), as: UTF8.self) + "..." : text }
        if json {
            var entry: [String: Any] = ["path": path, "meta": try meta.flatMap { try JSONSerialization.jsonObject(with: Data($0.encoded())) } ?? NSNull()]
            if !metaOnly {
                entry["summary"] = Dictionary(summary.figures.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
                entry["lines"] = shown.map { item -> [String: Any] in
                    guard let line = item.line else { return ["line": item.number, "unreadable": cut(item.text)] }
                    var fields: [String: Any] = ["line": item.number, "received_ms": line.receivedMillis, "connection": line.connection ?? NSNull()]
                    switch line.content {
                    case .message(let text): fields["message"] = cut(text); fields["poll"] = line.poll ?? NSNull()
                    case .event(let name, let code, let reason, let detail):
                        fields["event"] = name; fields["code"] = code ?? NSNull(); fields["reason"] = reason ?? NSNull(); fields["detail"] = detail.map(cut) ?? NSNull()
                    }
                    return fields
                }
            }
            print(Format.json(entry))
            return
        }
        print(meta.map { String(decoding: $0.encoded(), as: UTF8.self) } ?? "(no metadata file beside this segment)")
        guard !metaOnly else { return }
        print(summary.figures.map { "\($0.name): \($0.value)" }.joined(separator: ", "))
        for item in shown {
            guard let line = item.line else { print(Format.padded("\(item.number)", 7) + "unreadable: " + cut(item.text)); continue }
            let head = Format.padded("\(item.number)", 7) + ISO8601.format(unixMilliseconds: line.receivedMillis) + "  conn \(line.connection.map(String.init) ?? "-")  "
            switch line.content {
            case .message(let text): print(head + (line.poll.map { "poll \($0)  " } ?? "message  ") + cut(text))
            case .event(let name, let code, let reason, let detail):
                print(head + "event \(name)" + (code.map { " code=\($0)" } ?? "") + (reason.map { " reason=\($0)" } ?? "") + (detail.map { " detail=\(cut($0))" } ?? ""))
            }
        }
        if shown.isEmpty { print("(no line in \(lines): the segment has \(summary.lines))") }
    }

    /// `A-B` or `N`, from 1.
    static func lineRange(_ text: String) throws -> ClosedRange<Int> {
        let sides = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        if sides.count == 1, let one = sides[0], one >= 1 { return one...one }
        guard sides.count == 2, let first = sides[0], let last = sides[1], first >= 1, last >= first else {
            throw UsageError(problem: "--lines '\(text)' is not a line range", fix: "write FIRST-LAST from 1 (e.g. 1-20) or one line number")
        }
        return first...last
    }
}

/// Reads a snapshot or segment path as `raw ls` prints it (raw/DAY/SOURCE/DATASET/KEY.json,
/// or KEY.jsonl for a stream segment).
enum RawSnapshotArgument {
    /// - Throws: `UsageError` naming the path and what to pass instead (a segment still being written says so).
    static func resolve(_ path: String, in store: RawStore) throws -> RawSnapshot {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count == 5, parts[0] == "raw", let day = Day(parsing: parts[1]) else {
            throw UsageError(problem: "'\(path)' is not a raw snapshot path", fix: "pass a path as `warehouse raw ls` prints it, e.g. raw/2026-11-23/coingecko/markets/page-1.json")
        }
        let dataset = RawDataset(source: parts[2], dataset: parts[3])
        if let (key, _) = RawSnapshot.parse(segmentFileName: parts[4]) {
            guard let segment = store.segment(of: dataset, key: key, on: day) else {
                let open = store.layout.rawFolder(day: day, dataset: dataset).appendingPathComponent(".\(key).jsonl.part")
                if FileManager.default.fileExists(atPath: open.path) {
                    throw UsageError(problem: "\(path) is still being written (raw/\(day)/\(dataset)/.\(key).jsonl.part)", fix: "wait until the collector closes it (every --roll-seconds)")
                }
                throw UsageError(problem: "no closed segment at \(store.layout.root.path)/\(path)", fix: "list what exists with `warehouse raw ls`")
            }
            return segment
        }
        let key = parts[4].replacingOccurrences(of: ".json.gz", with: "").replacingOccurrences(of: ".json", with: "")
        guard let snapshot = store.snapshot(of: dataset, key: key, on: day) else {
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
