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

    @Option(help: ArgumentHelp("Run the checks on the tables published to this PostgreSQL database instead (password from WAREHOUSE_PG_PASSWORD); the results are printed, not stored.", valueName: "URL"))
    var on: String?

    func run() throws {
        let app = try global.pipeline()
        let keys = try selection.resolve(with: app, everything: true)
        if let on {
            let checked = try app.checkPublished(keys, on: try PostgresTarget(url: on, setting: "--on"))
            try report(checked.results, unchecked: checked.unpublished, because: "never published there")
            return
        }
        let graph = try app.graph()
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
        try report(results, unchecked: unbuilt, because: "never built")
    }

    /// Prints the results; exits 1 when an error-level check failed.
    private func report(_ results: [CheckResult], unchecked unbuilt: [AssetKey], because reason: String) throws {
        let errors = results.filter { $0.status == .error }
        if json {
            print(Format.json(results.map(CheckReport.json)))
        } else {
            if !global.quiet {
                for result in CheckReport.failures(results) { print(result.summary) }
                print("\(results.count) checks: \(CheckReport.tally(results)).")
                if !unbuilt.isEmpty {
                    print("Not checked, \(reason): \(unbuilt.map(\.description).joined(separator: ", ")).")
                }
            }
            print(DoneLine(checks: results, skipped: unbuilt.count).text)
        }
        if !errors.isEmpty { throw RunFailed(message: "\(errors.count) error-level check(s) failed; see above.") }
    }
}
