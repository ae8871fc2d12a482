import ArgumentParser
import Foundation
import Pipeline
import Warehouse

struct MaterializeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "materialize",
        abstract: "Build the selected assets that are stale, in dependency order.",
        discussion: """
            \(SelectionOptions.grammar)

            An asset is skipped when its code or SQL version and its inputs (raw files, upstream materializations) are unchanged since its last success; --plan shows why each would run.

            Exit status: 0 success, 1 an asset failed, 2 usage or configuration error.
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var selection: SelectionOptions

    @Flag(help: "Select every asset.")
    var all = false

    @Flag(help: "Show what would run and why, in order, without writing anything.")
    var plan = false

    @Option(help: ArgumentHelp("Fetch history for this UTC day only.", valueName: "YYYY-MM-DD"))
    var partition: String?

    @Option(help: ArgumentHelp("First UTC day of history to fetch (with --to).", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(help: ArgumentHelp("Last UTC day of history to fetch (with --from).", valueName: "YYYY-MM-DD"))
    var to: String?

    @Flag(help: "Ignore the raw cache and up-to-date checks: refetch and rebuild the selection.")
    var refresh = false

    @Flag(help: "Print the summary (or plan) as JSON on stdout.")
    var json = false

    @Flag(help: "If another run holds this root, wait for it instead of exiting with status 2.")
    var wait = false

    func validate() throws {
        if selection.selection.isEmpty && !all { throw ValidationError("give a SELECTION or --all (e.g. `warehouse materialize --all`).") }
        if partition != nil && (from != nil || to != nil) { throw ValidationError("use either --partition or --from/--to, not both.") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together.") }
    }

    func partitionRange() throws -> PartitionRange? {
        if let partition {
            let day = try DayArgument.parse(partition, flag: "--partition")
            return try PartitionRange(from: day, to: day)
        }
        if let from, let to {
            return try PartitionRange(from: try DayArgument.parse(from, flag: "--from"), to: try DayArgument.parse(to, flag: "--to"))
        }
        return nil
    }

    func run() throws {
        let app = try global.pipeline()
        let graph = try app.graph()
        let keys = graph.addingFollowers(try selection.resolve(with: app, everything: all))
        let partition = try partitionRange()
        let orchestrator = try app.orchestrator()
        if plan {
            let steps = try orchestrator.plan(keys, refresh: refresh, partition: partition)
            print(json ? Format.json(steps.map { ["asset": $0.key.description, "action": $0.willRun ? "run" : "skip", "reason": $0.reason.description] })
                       : PlanPrinter.text(steps, graph: graph))
            return
        }
        let lock = try RootLock(layout: app.layout, wait: wait)
        let summary = try app.materialize(keys, refresh: refresh, partition: partition, command: CommandLine.arguments.dropFirst().joined(separator: " "),
                                          trigger: .manual, observer: ConsoleObserver(quiet: json || global.quiet))
        withExtendedLifetime(lock) {}
        try RunSummaryPrinter.report(summary, layout: app.layout, sharedCache: app.settings.rawRemote?.url, json: json, quiet: global.quiet)
    }
}

/// The `--plan` listing.
enum PlanPrinter {
    static func text(_ steps: [PlanStep], graph: AssetGraph) -> String {
        let width = (steps.map { $0.key.description.count }.max() ?? 10) + 2
        var lines = ["Plan (dry run, nothing is written):"]
        for (i, step) in steps.enumerated() {
            let source = graph[step.key]?.source.map { "  (\($0))" } ?? ""
            lines.append(String(format: "%3d. ", i + 1) + (step.willRun ? "run   " : "skip  ") + Format.padded(step.key.description, width) + step.reason.description + source)
        }
        let running = steps.filter(\.willRun).count
        lines.append("\(running) to run, \(steps.count - running) up to date.")
        return lines.joined(separator: "\n")
    }
}
