import Foundation
import Publisher
import Warehouse

/// What one `publish` did: a publication per table, and the tables that failed (each failed
/// alone: PostgreSQL keeps its previous version and the next publish redoes it).
public struct PublishReport {
    public var publications: [Publication] = []
    public var failures: [(table: String, error: Error)] = []
}

extension Pipeline {
    /// The variable that holds the PostgreSQL password (in the environment or `.env`).
    public static let postgresPasswordVariable = "WAREHOUSE_PG_PASSWORD"

    /// Publishes the silver and gold assets among `keys`, then the run results, to `target`.
    /// - Throws: `PublishError` when the server cannot be reached; a table that fails is in the report.
    public func publish(_ keys: [AssetKey], to target: PostgresTarget) throws -> PublishReport {
        let graph = try graph()
        return try publish(keys.compactMap { graph[$0] }, to: target)
    }

    /// Runs the checks of the silver and gold assets among `keys` on their published tables in
    /// `target`: the same checks as on SQLite, compiled for PostgreSQL (`quarantined` checks
    /// read `_rejects`, which stays in SQLite, and are left out). Assets never published are skipped.
    /// - Throws: `PublishError` when the server cannot be reached.
    public func checkPublished(_ keys: [AssetKey], on target: PostgresTarget) throws -> (results: [CheckResult], unpublished: [AssetKey]) {
        let graph = try graph()
        let publisher = try Publisher(target: target, password: environment[Self.postgresPasswordVariable], layout: layout)
        let runner = CheckRunner(layout: layout, today: clock.today)
        var results: [CheckResult] = [], unpublished: [AssetKey] = []
        for key in keys where key.layer != .bronze {
            guard let spec = graph[key], !spec.checks.isEmpty else { continue }
            guard try publisher.holds(key) else {
                unpublished.append(key)
                continue
            }
            results += runner.run(spec.checks, for: key, on: try PostgresCheckTarget(publisher, layer: key.layer))
        }
        return (results, unpublished)
    }

    /// Publishes the silver and gold assets among `specs`, then the run results.
    private func publish(_ specs: [AssetSpec], to target: PostgresTarget) throws -> PublishReport {
        let publisher = try Publisher(target: target, password: environment[Self.postgresPasswordVariable], layout: layout)
        var report = PublishReport()
        for spec in specs where spec.key.layer != .bronze {
            do { report.publications.append(try publisher.publish(spec)) } catch { report.failures.append((spec.key.description, error)) }
        }
        do { report.publications += try publisher.publishRunResults() } catch { report.failures.append(("warehouse_meta", error)) }
        return report
    }

    /// After a run, when `[targets.postgres]` is set: publishes every silver and gold asset (the
    /// ledger makes the unchanged ones cost one query). A failure is a warning: the run's data
    /// is safe in SQLite, and the next run publishes what this one could not.
    func publishAfterRun(_ summary: inout RunSummary) {
        guard let target = settings.postgres else { return }
        var tally = PublishTally(target: target.description)
        defer { summary.published = tally }
        do {
            let graph = try graph()
            let report = try publish(graph.order.compactMap { graph[$0] }, to: target)
            for publication in report.publications {
                switch publication.outcome {
                case .whole, .changes:
                    tally.tables += 1
                    tally.rowsSent += publication.sent
                case .unchanged: tally.unchanged += 1
                case .skipped: break
                }
            }
            tally.failures = report.failures.count
            for failure in report.failures {
                logger.warning("not published to PostgreSQL; the next run publishes it", metadata: ["table": "\(failure.table)", "error": "\(failure.error)"])
            }
        } catch {
            tally.failures = 1
            logger.warning("nothing published to PostgreSQL; the next run publishes it", metadata: ["target": "\(target)", "error": "\(error)"])
        }
    }
}
