import ArgumentParser
import Foundation
import Pipeline
import Warehouse

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the data quality checks of the selected assets (all when none is given) without building them.",
        discussion: "Results are stored in the run log. Ends with `Done. PASS=n WARN=n ERROR=n SKIP=n TOTAL=n` (SKIP: selected assets never built). Exit status: 0 when no error-level check fails, 1 otherwise, 2 for a usage error.\n\n\(SelectionOptions.grammar)")

    @OptionGroup var global: GlobalOptions

    @OptionGroup var selection: SelectionOptions

    @Flag(help: "Print JSON on stdout.")
    var json = false

    func run() throws {
        let app = try global.pipeline()
        let graph = try app.graph()
        let keys = try selection.resolve(with: app, everything: true)
        let lock = try RootLock(layout: app.layout, wait: true)
        let checker = CheckRunner(layout: app.layout, today: app.clock.today)
        var results: [CheckResult] = []
        var unbuilt: [AssetKey] = []
        for key in keys where !(graph[key]?.checks.isEmpty ?? true) {
            // An asset never built has no table to check yet; that is not a failed check.
            let path = app.layout.database(for: key.layer).path
            guard FileManager.default.fileExists(atPath: path), try Database(path: path, readOnly: true).tableExists(key.name) else {
                unbuilt.append(key)
                continue
            }
            results += try checker.run(graph[key]!.checks, for: key)
        }
        let runLog = try RunLog(layout: app.layout)
        let runID = "check-" + ISO8601.format(app.clock.now).replacingOccurrences(of: ":", with: "") + "-\(ProcessInfo.processInfo.processIdentifier)"
        try runLog.record(results, runID: runID)
        withExtendedLifetime(lock) {}
        let errors = results.filter { $0.status == .error }
        if json {
            print(Format.json(results.map(CheckReport.json)))
        } else {
            if !global.quiet {
                for result in CheckReport.failures(results) { print(result.summary) }
                print("\(results.count) checks: \(CheckReport.tally(results)).")
                if !unbuilt.isEmpty {
                    print("Not checked, never built: \(unbuilt.map(\.description).joined(separator: ", ")).")
                }
            }
            print(DoneLine(checks: results, skipped: unbuilt.count).text)
        }
        if !errors.isEmpty { throw RunFailed(message: "\(errors.count) error-level check(s) failed; see above.") }
    }
}
