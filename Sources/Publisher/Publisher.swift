import Foundation
import Warehouse

/// Publishes the warehouse's silver and gold tables to a PostgreSQL database: schema `silver`
/// and `gold` with the same columns, primary keys, indexes and column descriptions, plus the
/// run results in `warehouse_meta`. Each asset goes in one transaction with its ledger row, so
/// PostgreSQL holds a whole version of every table, and a publish cut off is redone next time.
public final class Publisher {
    public let target: PostgresTarget
    let layout: WarehouseLayout
    let connection: PostgresConnection

    /// Connects and makes sure the publish ledger is there.
    /// - Throws: `PublishError` when the server cannot be reached or refuses.
    public init(target: PostgresTarget, password: String?, layout: WarehouseLayout) throws {
        self.target = target
        self.layout = layout
        connection = try PostgresConnection(target, password: password)
        try PublishLedger.prepare(on: connection)
    }

    /// Publishes one asset's table as its newest complete materialization holds it: nothing
    /// when the ledger already has that version, only the changed rows when the asset keeps a
    /// change log the last publish is part of, else every row.
    public func publish(_ spec: AssetSpec) throws -> Publication {
        let started = Date()
        let key = spec.key
        let path = layout.database(for: key.layer)
        guard FileManager.default.fileExists(atPath: path.path) else { return Publication(table: key.description, outcome: .skipped("never materialized")) }
        let database = try Database(path: path.path, readOnly: true)
        var publication = try database.snapshot { () -> Publication in
            guard let record = try MaterializationLog.latest(key, in: database) else {
                return Publication(table: key.description, outcome: .skipped("never materialized"))
            }
            switch record.status {
            case .failed: return Publication(table: key.description, outcome: .skipped("its error checks failed; PostgreSQL keeps the last version that passed"))
            case .pending: return Publication(table: key.description, outcome: .skipped("its checks have not run; `warehouse materialize` finishes them"))
            case .complete: break
            }
            guard let tableLayout = try TableLayout.read(key.name, from: database) else {
                throw PublishError.notMaterialized(asset: key, database: path.lastPathComponent)
            }
            let log = ChangeLog(database: database, asset: key)
            let changeSeq = spec.changes == nil ? 0 : try log.latest()
            let table = PostgresTable(schema: key.layer.rawValue, layout: tableLayout)
            return try connection.transaction { () -> Publication in
                try lock(key.description)
                let last = try PublishLedger.last(key, on: connection)
                let exists = try connection.query("SELECT to_regclass($1) IS NOT NULL", [table.qualifiedName]).first?.first == "t"
                if exists, last?.fingerprint == record.fingerprint { return Publication(table: key.description, outcome: .unchanged) }
                let created = try table.prepare(on: connection)
                let columns = tableLayout.columns.map { quoted($0.name) }.joined(separator: ", ")
                var select = "SELECT \(columns) FROM main.\(quoted(key.name))"
                var extent = created ? StagedMerge.Extent.load : .whole
                if exists, let last, let scope = spec.changes, last.changeSeq > 0, last.changeSeq <= changeSeq,
                   let changed = try log.changes(after: last.changeSeq) {
                    extent = .changes(scope, changed)
                    select += " WHERE \(quoted(scope.entityColumn)) = ? AND \(quoted(scope.sinceColumn)) >= ?"
                }
                let counts = try StagedMerge(table: table).run(select: select, extent: extent, from: database, on: connection)
                try table.describe(summary: spec.summary, columns: spec.columns, on: connection)
                let rows = Int(try connection.query("SELECT count(*) FROM \(table.qualifiedName)").first?.first.flatMap { $0 } ?? "") ?? 0
                let outcome: Publication.Outcome = if case .changes = extent { .changes } else { .whole }
                try PublishLedger.record(key, record, rows: rows, sent: counts.sent, mode: outcome == .changes ? "changes" : "whole",
                                         changeSeq: changeSeq, on: connection)
                return Publication(table: key.description, outcome: outcome, rows: rows, sent: counts.sent, written: counts.written, deleted: counts.deleted)
            }
        }
        publication.seconds = Date().timeIntervalSince(started)
        return publication
    }

    /// The run results besides the marts: `warehouse_meta.runs` and `checks` from the run log,
    /// `drift_alerts` (the drifted features of `gold.feature_drift`). Each is merged whole: they
    /// are small, and a row that did not change is not rewritten.
    public func publishRunResults() throws -> [Publication] {
        let sources: [(table: String, from: URL, source: String, filter: String, summary: String)] = [
            ("runs", layout.runLogDatabase, "runs", "", "Every `warehouse materialize` run of the warehouse: when, what it ran, rows, rejects, requests"),
            ("checks", layout.runLogDatabase, "check_results", "", "Every data quality check result per run and asset, with failing rows and a sample"),
            ("drift_alerts", layout.goldDatabase, "feature_drift", " WHERE drifted = 1",
             "Features whose distribution drifted from the frozen baseline (two-sample Kolmogorov-Smirnov test), per run"),
        ]
        var publications: [Publication] = []
        for source in sources {
            let started = Date()
            guard FileManager.default.fileExists(atPath: source.from.path) else { continue }
            let database = try Database(path: source.from.path, readOnly: true)
            let publication = try database.snapshot { () -> Publication? in
                guard let read = try TableLayout.read(source.source, from: database) else { return nil }
                let table = PostgresTable(schema: PublishLedger.schema, layout: read.renamed(source.table))
                return try connection.transaction {
                    try lock("\(PublishLedger.schema).\(source.table)")
                    let created = try table.prepare(on: connection)
                    let columns = read.columns.map { quoted($0.name) }.joined(separator: ", ")
                    let counts = try StagedMerge(table: table).run(select: "SELECT \(columns) FROM main.\(quoted(source.source))\(source.filter)",
                                                                    extent: created ? .load : .whole, from: database, on: connection)
                    try table.describe(summary: source.summary, columns: [:], on: connection)
                    return Publication(table: table.name, outcome: .whole, rows: counts.sent, sent: counts.sent, written: counts.written, deleted: counts.deleted,
                                       seconds: Date().timeIntervalSince(started))
                }
            }
            if let publication { publications.append(publication) }
        }
        return publications
    }

    /// Whether the database holds a published table of the asset.
    public func holds(_ key: AssetKey) throws -> Bool {
        try connection.query("SELECT to_regclass($1) IS NOT NULL", ["\(key.layer.rawValue).\(quoted(key.name))"]).first?.first == "t"
    }

    /// Holds the transaction's lock on one published table: two publishers never interleave on it.
    private func lock(_ name: String) throws {
        try connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", ["medallion-warehouse:\(name)"])
    }
}
