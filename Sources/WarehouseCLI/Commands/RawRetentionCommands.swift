import ArgumentParser
import Foundation
import Pipeline
import Warehouse

/// `warehouse raw compress --older-than 7d`.
struct RawCompressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compress",
        abstract: "Gzip the raw bodies of days older than --older-than (silver reads both; the metadata still verifies them).")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Compress days older than this (e.g. 7d).", valueName: "DURATION"))
    var olderThan: String

    @OptionGroup var options: RawRetentionOptions

    func run() throws {
        let app = try global.pipeline()
        let cutoff = try RawRetentionCutoff.day(olderThan: olderThan, flag: "--older-than", today: app.clock.today)
        let dryRun = options.dryRun, json = options.json
        let report = try options.locked(app) { try RawRetention(layout: app.layout).compress(before: cutoff, dryRun: dryRun) }
        if json {
            print(Format.json(["snapshots": report.snapshots, "bytes_before": report.bytesBefore, "bytes_after": report.bytesAfter, "kept": report.kept, "dry_run": dryRun]))
        } else {
            print("\(dryRun ? "Would compress" : "Compressed") \(Format.count(report.snapshots)) snapshots of days before \(cutoff): "
                  + "\(Format.bytes(report.bytesBefore)) -> \(Format.bytes(report.bytesAfter)) (\(Format.bytes(report.freed)) \(dryRun ? "to free" : "freed")).")
            if !report.kept.isEmpty {
                print("Left \(Format.count(report.kept.count)) as they are: a .gz of the same name is already there (compare them and remove one), e.g. \(report.kept.prefix(3).joined(separator: ", ")).")
            }
        }
    }
}

/// `warehouse raw prune --keep-days N`.
struct RawPruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete the raw snapshots of days before the last --keep-days, except those current silver rows came from (unless --force).",
        discussion: "A snapshot a silver row came from is kept: deleting it would lose those rows at the next rebuild. Exit status 0; the kept ones are listed.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Days to keep, counting today.", valueName: "N"))
    var keepDays: Int

    @Flag(help: "Delete the snapshots silver's current rows came from too (their rows go at the next rebuild of silver).")
    var force = false

    @OptionGroup var options: RawRetentionOptions

    func validate() throws {
        guard keepDays >= 1 else { throw ValidationError("--keep-days must be at least 1 (today).") }
    }

    func run() throws {
        let app = try global.pipeline()
        let cutoff = app.clock.today.adding(days: -(keepDays - 1))
        let dryRun = options.dryRun, json = options.json
        let report = try options.locked(app) { try RawRetention(layout: app.layout).prune(before: cutoff, force: force, dryRun: dryRun) }
        if json {
            print(Format.json(["snapshots": report.snapshots, "bytes_freed": report.bytesBefore, "kept": report.kept, "deleted": report.deleted, "dry_run": dryRun, "before": cutoff.description]))
            return
        }
        print("\(dryRun ? "Would delete" : "Deleted") \(Format.count(report.snapshots)) snapshots of days before \(cutoff), \(Format.bytes(report.bytesBefore)) \(dryRun ? "to free" : "freed").")
        if !report.kept.isEmpty {
            print("Kept \(Format.count(report.kept.count)) that current silver rows came from (--force deletes them too), e.g. \(report.kept.prefix(3).joined(separator: ", ")).")
        }
    }
}

/// What compress and prune both take.
struct RawRetentionOptions: ParsableArguments {
    @Flag(help: "Only report what would change.")
    var dryRun = false

    @Flag(help: "Print the report as JSON on stdout.")
    var json = false

    @Flag(help: "If a run holds this root, wait for it instead of exiting with status 2.")
    var wait = false

    /// Runs `body` holding the root lock: never under a running build, which may be reading the files.
    func locked<T>(_ app: Pipeline, _ body: () throws -> T) throws -> T {
        let lock = try RootLock(layout: app.layout, wait: wait)
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }
}

/// `--older-than 7d` as the first day kept.
enum RawRetentionCutoff {
    static func day(olderThan text: String, flag: String, today: Day) throws -> Day {
        guard let seconds = WarehouseSettings.duration(text), seconds % 86_400 == 0 else {
            throw UsageError(problem: "\(flag) \(text) is not a number of days", fix: "write e.g. \(flag) 7d")
        }
        return today.adding(days: -(seconds / 86_400))
    }
}
