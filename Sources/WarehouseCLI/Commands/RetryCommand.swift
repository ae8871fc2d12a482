import ArgumentParser
import Foundation
import Pipeline
import Warehouse

/// `warehouse retry RUN_ID`: the assets that failed or were blocked in a run, run again.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Run again exactly the assets that failed or were blocked in a run (recorded as trigger retry:RUN_ID).",
        discussion: "Exit status as `materialize`: 0 success, 1 an asset failed again, 2 usage (an unknown run, or one where nothing failed).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The run to retry, as `warehouse runs` lists it.")
    var runID: String

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(help: "If another run holds this root, wait for it instead of exiting with status 2.")
    var wait = false

    func run() throws {
        let app = try global.pipeline()
        let graph = try app.graph()
        guard FileManager.default.fileExists(atPath: app.layout.runLogDatabase.path),
              let database = try? Database(path: app.layout.runLogDatabase.path, readOnly: true), try RunLog.run(runID, in: database) != nil else {
            throw UsageError(problem: "there is no run \(runID)", fix: "list them with `warehouse runs --failed`")
        }
        let unfinished = try RunLog.assets(ofRun: runID, in: database).filter { ["failed", "blocked"].contains($0["status"]?.string) }
            .compactMap { $0["asset"]?.string.flatMap(AssetKey.init(parsing:)) }
        // Only what the graph still has, in its order.
        let keys = graph.order.filter(unfinished.contains)
        guard !keys.isEmpty else { throw UsageError(problem: "nothing failed or was blocked in run \(runID)", fix: "retry a run that `warehouse runs --failed` lists") }
        let lock = try RootLock(layout: app.layout, wait: wait)
        let summary = try app.materialize(keys, command: "retry \(runID)", trigger: .retry(of: runID),
                                                         observer: ConsoleObserver(quiet: json || global.quiet))
        withExtendedLifetime(lock) {}
        try RunSummaryPrinter.report(summary, layout: app.layout, sharedCache: app.settings.rawRemote?.url, json: json, quiet: global.quiet, describing: "retry of \(runID), run")
    }
}
