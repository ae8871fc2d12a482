import ArgumentParser
import Foundation
import Pipeline
import Warehouse

struct AssetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets",
        abstract: "List every asset: layer, upstreams, last materialization, and whether it is stale.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON on stdout.")
    var json = false

    func run() throws {
        let app = try global.pipeline()
        let statuses = try app.assetStatuses()
        var entries: [[String: Any]] = []
        for status in statuses {
            let spec = status.spec
            var entry: [String: Any] = [
                "asset": status.key.description, "layer": status.key.layer.rawValue,
                "upstreams": spec.upstreams.map(\.description), "tags": spec.tags.sorted(),
                "summary": spec.summary, "stale": status.step.willRun, "status": status.step.reason.description,
            ]
            if let last = status.last {
                entry["last_materialization"] = ["run_id": last.runID, "at": last.materializedAt, "rows": last.rows, "rejects": last.rejects,
                                              "status": last.status.rawValue, "problem": last.problem as Any] as [String: Any]
            }
            entries.append(entry)
        }
        if json { print(Format.json(entries)); return }
        let width = (statuses.map { $0.key.description.count }.max() ?? 10) + 2
        print(Format.padded("ASSET", width) + Format.padded("ROWS", 12) + Format.padded("LAST BUILT", 22) + "STATUS")
        for (step, entry) in zip(statuses.map(\.step), entries) {
            let last = entry["last_materialization"] as? [String: Any]
            let rows = (last?["rows"] as? Int).map(Format.count) ?? "-"
            print(Format.padded(step.key.description, width) + Format.padded(rows, 12)
                  + Format.padded((last?["at"] as? String) ?? "never", 22) + (step.willRun ? "stale: \(step.reason)" : "up to date"))
        }
    }
}
