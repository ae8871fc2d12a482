import ArgumentParser
import Foundation
import Pipeline
import Publisher
import Warehouse

struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish silver and gold tables and the run results to PostgreSQL.",
        discussion: """
            Each table goes to schema silver or gold with the same columns, primary key, indexes and column descriptions, in one transaction: rows are copied (COPY) into a staging table and merged, so a reader sees the old table or the new one. Only the newest version whose error checks passed is published. warehouse_meta.publications records every publish: a table already published in its current version is skipped, and a table whose change log reaches back to the last publish sends only its changed rows. warehouse_meta.runs, checks and drift_alerts hold the run results.

            The password comes from WAREHOUSE_PG_PASSWORD (environment or .env), never from the URL. With [targets.postgres] url in warehouse.toml, every `warehouse materialize` publishes at its end.

            \(SelectionOptions.grammar)
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var select: SelectionOptions

    @Option(help: ArgumentHelp("The database, e.g. postgresql://analyst@127.0.0.1:5432/warehouse (default [targets.postgres] url).", valueName: "URL"))
    var to: String?

    @Flag(help: "Print what was published as JSON on stdout.")
    var json = false

    func run() throws {
        let app = try global.pipeline()
        let target: PostgresTarget
        if let to {
            target = try PostgresTarget(url: to, setting: "--to")
        } else if let configured = app.settings.postgres {
            target = configured
        } else {
            throw UsageError(problem: "no PostgreSQL database to publish to",
                             fix: "pass --to postgresql://user@host:5432/database or add [targets.postgres] url = \"...\" to \(app.layout.root.path)/warehouse.toml")
        }
        let keys = try select.resolve(with: app, everything: true).filter { $0.layer != .bronze }
        let report = try app.publish(keys, to: target)
        if json {
            print(Format.json([
                "target": target.description,
                "tables": report.publications.map { publication -> [String: Any] in
                    var entry: [String: Any] = ["table": publication.table, "rows": publication.rows, "sent": publication.sent,
                                                "written": publication.written, "deleted": publication.deleted, "seconds": publication.seconds]
                    switch publication.outcome {
                    case .whole: entry["outcome"] = "whole"
                    case .changes: entry["outcome"] = "changes"
                    case .unchanged: entry["outcome"] = "unchanged"
                    case .skipped(let reason): entry["outcome"] = "skipped"; entry["reason"] = reason
                    }
                    return entry
                },
                "failures": report.failures.map { ["table": $0.table, "error": "\($0.error)"] },
            ]))
        } else {
            print("Publishing to \(target):")
            for publication in report.publications {
                let what: String
                switch publication.outcome {
                case .whole: what = "\(Format.count(publication.sent)) rows sent whole, \(Format.count(publication.written)) written, \(Format.count(publication.deleted)) deleted"
                case .changes: what = "\(Format.count(publication.sent)) changed rows sent, \(Format.count(publication.written)) written, \(Format.count(publication.deleted)) deleted"
                case .unchanged: what = "unchanged since the last publish"
                case .skipped(let reason): what = "skipped: \(reason)"
                }
                let rows = publication.rows > 0 ? " (\(Format.count(publication.rows)) rows)" : ""
                print("  \(publication.table.padding(toLength: 34, withPad: " ", startingAt: 0)) \(what)\(rows)")
            }
            for failure in report.failures { print("  \(failure.table.padding(toLength: 34, withPad: " ", startingAt: 0)) FAILED: \(failure.error)") }
        }
        if !report.failures.isEmpty {
            throw RunFailed(message: "\(report.failures.count) of the tables were not published; PostgreSQL keeps their previous version")
        }
    }
}
