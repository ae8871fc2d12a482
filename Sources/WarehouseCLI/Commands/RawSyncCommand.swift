import ArgumentParser
import Bucket
import Foundation
import Pipeline
import Warehouse

/// `warehouse raw sync [--push|--pull] [--from D --to D]`.
struct RawSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Copy raw snapshots between this root and the team's bucket ([raw.remote]): both ways unless --push or --pull.",
        discussion: """
            Only whole snapshots move (body, then metadata); nothing is overwritten on either side, and what both sides hold already is left alone. \
            Runs do this for what they fetch and find; sync moves history. Exit status 0 when everything moved, 1 when some snapshot could not be.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Only upload what the bucket lacks.")
    var push = false

    @Flag(help: "Only download what this root lacks.")
    var pull = false

    @Option(help: ArgumentHelp("First UTC fetch day to sync (with --to).", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(help: ArgumentHelp("Last UTC fetch day to sync (with --from).", valueName: "YYYY-MM-DD"))
    var to: String?

    @Flag(help: "Print the report as JSON on stdout.")
    var json = false

    @Flag(help: "If a run holds this root, wait for it instead of exiting with status 2.")
    var wait = false

    func validate() throws {
        if push && pull { throw ValidationError("--push and --pull exclude each other; give neither to sync both ways.") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together.") }
    }

    func run() throws {
        let app = try global.pipeline()
        guard let remote = app.settings.rawRemote else {
            throw UsageError(problem: "this root has no shared raw cache", fix: "add [raw.remote] url = \"s3://bucket/prefix\" (or gs://) to \(app.layout.root.path)/warehouse.toml, see docs/shared-cache.md")
        }
        var days: ClosedRange<Day>?
        if let from, let to {
            let first = try DayArgument.parse(from, flag: "--from"), last = try DayArgument.parse(to, flag: "--to")
            guard first <= last else { throw UsageError(problem: "--from \(from) is after --to \(to)", fix: "swap them") }
            days = first...last
        }
        let cache = try BucketRawCache.connect(remote, environment: app.environment, retryBaseSeconds: app.settings.retryBaseSeconds)
        let sync = RawSync(cache: cache, local: RawStore(layout: app.layout))
        var report = RawSync.Report()
        let lock = try RootLock(layout: app.layout, wait: wait)
        if !push { try sync.pull(days: days, report: &report) }
        if !pull { try sync.push(days: days, report: &report) }
        withExtendedLifetime(lock) {}
        if json {
            print(Format.json(["bucket": remote.url, "downloaded": report.downloaded, "uploaded": report.uploaded, "unchanged": report.unchanged,
                               "bytes": report.bytes, "failures": report.failures.map { ["path": $0.path, "error": $0.error] }]))
        } else {
            print("\(remote.url): \(Format.count(report.downloaded)) downloaded, \(Format.count(report.uploaded)) uploaded, "
                  + "\(Format.count(report.unchanged)) already on both sides, \(Format.bytes(report.bytes)) moved.")
            for failure in report.failures.prefix(20) { print("  not moved: \(failure.path): \(failure.error)") }
        }
        if !report.failures.isEmpty {
            throw RunFailed(message: "\(report.failures.count) snapshots were not moved (listed above); run `warehouse raw sync` again once the bucket answers.")
        }
    }
}
