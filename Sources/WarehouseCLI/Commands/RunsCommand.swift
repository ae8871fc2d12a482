import ArgumentParser
import Foundation
import Pipeline
import Warehouse

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List recent runs from the run log (warehouse.sqlite), newest first, or show one run whole.",
        discussion: """
            warehouse runs                 recent runs, with what started each (manual, api, schedule:NAME, retry:RUN_ID)
            warehouse runs --failed        only the runs that failed or were abandoned
            warehouse runs RUN_ID          every asset of that run (why it ran, rows, timings, requests, error) and its checks
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A run to show whole.")
    var runID: String?

    @Flag(help: "Only runs that failed or were abandoned.")
    var failed = false

    @Flag(help: "Print JSON on stdout.")
    var json = false

    @Option(help: "How many runs to show.")
    var limit = 20

    func run() throws {
        let app = try global.pipeline()
        guard FileManager.default.fileExists(atPath: app.layout.runLogDatabase.path) else {
            if runID != nil { throw UsageError(problem: "\(app.layout.root.path) has no runs yet", fix: "start with `warehouse materialize --all`") }
            print(json ? "[]" : "No runs yet in \(app.layout.root.path). Start with `warehouse materialize --all`.")
            return
        }
        let database = try RunLog(layout: app.layout).database
        if let runID { return try show(runID, in: database) }
        let runs = try RunLog.runs(in: database, limit: limit, failedOnly: failed)
        if json {
            print(Format.json(runs.map(Self.object)))
            return
        }
        print(Format.padded("RUN", 30) + Format.padded("STARTED", 22) + Format.padded("STATUS", 10) + Format.padded("TRIGGER", 20) + Format.padded("BUILT", 7)
              + Format.padded("SKIPPED", 9) + Format.padded("FAILED", 8) + Format.padded("ROWS", 12) + Format.padded("REQUESTS", 10) + "SECONDS")
        for run in runs {
            print(Format.padded(run["run_id"]?.rendered ?? "", 30) + Format.padded(run["started_at"]?.rendered ?? "", 22)
                  + Format.padded(run["status"]?.rendered ?? "", 10) + Format.padded(run["trigger"]?.rendered ?? "", 20)
                  + Format.padded(run["assets_run"]?.rendered ?? "", 7)
                  + Format.padded(run["assets_skipped"]?.rendered ?? "", 9) + Format.padded(run["assets_failed"]?.rendered ?? "", 8)
                  + Format.padded(Format.count(run["rows"]?.int ?? 0), 12) + Format.padded(run["requests"]?.rendered ?? "", 10)
                  + String(format: "%.1f", run["seconds"]?.double ?? 0))
        }
    }

    private func show(_ runID: String, in database: Database) throws {
        guard let run = try RunLog.run(runID, in: database) else {
            let recent = try RunLog.runs(in: database, limit: 1).first?["run_id"]?.rendered
            throw UsageError(problem: "there is no run \(runID)", fix: "list them with `warehouse runs`" + (recent.map { " (the newest is \($0))" } ?? ""))
        }
        let assets = try RunLog.assets(ofRun: runID, in: database)
        let checks = try RunLog.checks(ofRun: runID, in: database)
        if json {
            var object = Self.object(run)
            object["assets"] = assets.map(Self.object)
            object["checks"] = checks.map(Self.object)
            print(Format.json(object))
            return
        }
        print("Run \(runID): \(run["status"]?.rendered ?? "") (\(run["trigger"]?.rendered ?? "manual")), started \(run["started_at"]?.rendered ?? ""), "
              + "\(String(format: "%.1f", run["seconds"]?.double ?? 0)) s: \(run["command"]?.rendered ?? "")")
        let width = (assets.map { ($0["asset"]?.rendered ?? "").count }.max() ?? 10) + 2
        print(Format.padded("ASSET", width) + Format.padded("STATUS", 9) + Format.padded("ROWS", 12) + Format.padded("REJECTS", 9)
              + Format.padded("REQUESTS", 10) + Format.padded("SECONDS", 9) + "WHY / ERROR")
        for asset in assets {
            let why = asset["error"]?.string ?? asset["reason"]?.rendered ?? ""
            print(Format.padded(asset["asset"]?.rendered ?? "", width) + Format.padded(asset["status"]?.rendered ?? "", 9)
                  + Format.padded(asset["rows"]?.int.map(Format.count) ?? "-", 12) + Format.padded(asset["rejects"]?.rendered ?? "-", 9)
                  + Format.padded(asset["requests"]?.rendered ?? "-", 10) + Format.padded(String(format: "%.1f", asset["seconds"]?.double ?? 0), 9) + why)
        }
        guard !checks.isEmpty else { return }
        print("Checks:")
        for check in checks {
            print("  " + Format.padded(check["status"]?.rendered ?? "", 6) + "\(check["asset"]?.rendered ?? "") \(check["check_name"]?.rendered ?? "")"
                  + ((check["failing_rows"]?.int ?? 0) > 0 ? ": \(check["failing_rows"]!.rendered) failing rows" : ""))
        }
    }

    static func object(_ row: [String: SQLValue]) -> [String: Any] {
        row.mapValues { value -> Any in
            switch value {
            case .null: return NSNull()
            case .integer(let v): return v
            case .real(let v): return v
            case .text(let v): return v
            }
        }
    }
}
