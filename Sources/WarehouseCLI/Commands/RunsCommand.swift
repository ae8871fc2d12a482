import ArgumentParser
import Foundation
import Pipeline
import Warehouse

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List recent runs from the run log (warehouse.sqlite), newest first.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON on stdout.")
    var json = false

    @Option(help: "How many runs to show.")
    var limit = 20

    func run() throws {
        let app = try global.pipeline()
        guard FileManager.default.fileExists(atPath: app.layout.runLogDatabase.path) else {
            print(json ? "[]" : "No runs yet in \(app.layout.root.path). Start with `warehouse materialize --all`.")
            return
        }
        let runs = try RunLog(layout: app.layout).recentRuns(limit: limit)
        if json {
            print(Format.json(runs.map { row in row.mapValues { value -> Any in
                switch value {
                case .null: return NSNull()
                case .integer(let v): return v
                case .real(let v): return v
                case .text(let v): return v
                }
            } }))
            return
        }
        print(Format.padded("RUN", 30) + Format.padded("STARTED", 22) + Format.padded("STATUS", 9) + Format.padded("BUILT", 7)
              + Format.padded("SKIPPED", 9) + Format.padded("FAILED", 8) + Format.padded("ROWS", 12) + Format.padded("REQUESTS", 10) + "SECONDS")
        for run in runs {
            print(Format.padded(run["run_id"]?.rendered ?? "", 30) + Format.padded(run["started_at"]?.rendered ?? "", 22)
                  + Format.padded(run["status"]?.rendered ?? "", 9) + Format.padded(run["assets_run"]?.rendered ?? "", 7)
                  + Format.padded(run["assets_skipped"]?.rendered ?? "", 9) + Format.padded(run["assets_failed"]?.rendered ?? "", 8)
                  + Format.padded(Format.count(run["rows"]?.int ?? 0), 12) + Format.padded(run["requests"]?.rendered ?? "", 10)
                  + String(format: "%.1f", run["seconds"]?.double ?? 0))
        }
    }
}
