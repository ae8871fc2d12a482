import ArgumentParser
import Foundation
import Pipeline
import Warehouse

struct RawDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two raw snapshots, by JSON path, or between two stream segments, figure by figure.",
        discussion: """
            With one path, compares it with the previous snapshot of the same dataset and key (an earlier refetch that day, else the newest earlier day), \
            or a stream segment with the writer's segment before it. Two segments are compared by what they hold: lines, messages, polls, \
            events by name, close codes, connections, time span and longest pause. \
            Array elements are matched by their id (or symbol, ticker, name), [timestamp, value] pairs by the timestamp, \
            anything else by position.

            Examples:
              warehouse raw diff raw/2026-11-23/coingecko/markets/page-1.json
              warehouse raw diff raw/2026-11-22/yahoo/chart/AAPL.json raw/2026-11-23/yahoo/chart/AAPL.json --limit 0
              warehouse raw diff raw/2026-12-03/kraken/ws_ticker/main-120100.jsonl
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The older snapshot's path as `raw ls` prints it, or the only one to compare with its predecessor.")
    var first: String

    @Argument(help: "The newer snapshot's path.")
    var second: String?

    @Option(help: "Show at most this many differences (0 for all).")
    var limit = 50

    @Flag(help: "Print JSON on stdout.")
    var json = false

    func run() throws {
        let app = try global.pipeline()
        let store = RawStore(layout: app.layout)
        let named = try RawSnapshotArgument.resolve(first, in: store)
        let (old, new) = try second.map { (named, try RawSnapshotArgument.resolve($0, in: store)) } ?? (try previous(of: named, in: store), named)
        guard old.isSegment == new.isSegment else {
            throw UsageError(problem: "\(old.relativePath) and \(new.relativePath) are not both snapshots or both stream segments", fix: "compare a segment with a segment")
        }
        if new.isSegment { return try compareSegments(old, new, store) }
        let diff = RawDiff(try parse(old, store), try parse(new, store))
        let shown = limit > 0 ? Array(diff.entries.prefix(limit)) : diff.entries
        if json {
            print(Format.json(["old": old.relativePath, "new": new.relativePath, "differences": diff.entries.count,
                               "entries": shown.map(Self.fields)] as [String: Any]))
            return
        }
        print("\(old.relativePath) -> \(new.relativePath): \(diff.entries.isEmpty ? "identical" : "\(Format.count(diff.entries.count)) difference\(diff.entries.count == 1 ? "" : "s")")")
        for entry in shown {
            switch entry.change {
            case .added(let value): print("  + \(entry.path): \(Self.short(value))")
            case .removed(let value): print("  - \(entry.path): \(Self.short(value))")
            case .changed(let from, let to): print("  ~ \(entry.path): \(Self.short(from)) -> \(Self.short(to))")
            }
        }
        if shown.count < diff.entries.count { print("  ... \(Format.count(diff.entries.count - shown.count)) more (--limit 0 shows all)") }
    }

    /// Two segments' summaries side by side, the figures that differ marked.
    private func compareSegments(_ old: RawSnapshot, _ new: RawSnapshot, _ store: RawStore) throws {
        let figures = SegmentSummary.compare(SegmentSummary(body: try store.body(of: old)), SegmentSummary(body: try store.body(of: new)))
        let changed = figures.filter { $0.old != $0.new }.count
        if json {
            print(Format.json(["old": old.relativePath, "new": new.relativePath, "segments": true, "differences": changed,
                               "figures": figures.map { ["figure": $0.name, "old": $0.old, "new": $0.new, "changed": $0.old != $0.new] }] as [String: Any]))
            return
        }
        print("\(old.relativePath) -> \(new.relativePath): \(changed == 0 ? "the same figures" : "\(changed) figure\(changed == 1 ? "" : "s") differ")")
        let width = (figures.map(\.name.count).max() ?? 10) + 2, column = max(12, (figures.map(\.old.count).max() ?? 0) + 2)
        for figure in figures {
            print("  \(figure.old == figure.new ? " " : "~") " + Format.padded(figure.name, width) + Format.padded(figure.old, column) + figure.new)
        }
    }

    /// The snapshot of the same dataset and key fetched just before: an earlier refetch the same
    /// day (`KEY@HHMMSS`), else the newest of an earlier day; for a segment, the same writer's one before.
    private func previous(of snapshot: RawSnapshot, in store: RawStore) throws -> RawSnapshot {
        if snapshot.isSegment {
            let worker = snapshot.key.split(separator: "-").first.map(String.init) ?? ""
            let mine = try store.segments(of: snapshot.dataset).filter { $0.key.split(separator: "-").first.map(String.init) == worker }
            guard let index = mine.firstIndex(where: { $0.bodyPath == snapshot.bodyPath }), index > 0 else {
                throw UsageError(problem: "\(snapshot.relativePath) has no earlier segment of worker \(worker)", fix: "name the two segments to compare")
            }
            return mine[index - 1]
        }
        let base = RawKey.base(of: snapshot.key)
        let same = try store.snapshots(of: snapshot.dataset).filter { RawKey.base(of: $0.key) == base }
            .sorted { ($0.day, RawKey.fetchOrder(of: $0.key).time, RawKey.fetchOrder(of: $0.key).attempt) < ($1.day, RawKey.fetchOrder(of: $1.key).time, RawKey.fetchOrder(of: $1.key).attempt) }
        guard let index = same.firstIndex(where: { $0.bodyPath == snapshot.bodyPath }), index > 0 else {
            throw UsageError(problem: "\(snapshot.relativePath) has no earlier snapshot of \(snapshot.dataset) \(snapshot.key)", fix: "name the two snapshots to compare")
        }
        return same[index - 1]
    }

    private func parse(_ snapshot: RawSnapshot, _ store: RawStore) throws -> JSONValue {
        do { return try JSONValue.parse(try store.body(of: snapshot)) } catch {
            throw UsageError(problem: "\(snapshot.relativePath) is not valid JSON (\(error))", fix: "inspect it with `warehouse raw show \(snapshot.relativePath)`")
        }
    }

    private static func short(_ value: JSONValue) -> String {
        let text = value.compactText
        return text.count > 160 ? text.prefix(157) + "..." : text
    }

    private static func fields(_ entry: RawDiff.Entry) -> [String: Any] {
        switch entry.change {
        case .added(let value): return ["path": entry.path, "change": "added", "new": value.compactText]
        case .removed(let value): return ["path": entry.path, "change": "removed", "old": value.compactText]
        case .changed(let from, let to): return ["path": entry.path, "change": "changed", "old": from.compactText, "new": to.compactText]
        }
    }
}
