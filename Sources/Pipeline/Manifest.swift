import Foundation
import Gold
import Warehouse

/// The graph as a document other tools read, as dbt's `manifest.json` is: every asset with its
/// description, columns (types from the built table, descriptions from the declaration),
/// upstreams and downstreams, checks and their latest results, its SQL and its state.
/// Versioned by `schema`: a field is only ever added within a version.
/// `warehouse docs --format json` prints it; the docs site is drawn from it.
public struct Manifest {
    /// The manifest's schema version.
    public static let schema = "warehouse-manifest/v1"

    public let pipeline: Pipeline

    public init(_ pipeline: Pipeline) { self.pipeline = pipeline }

    /// The manifest as JSON-ready values.
    public func json(generatedAt: Date) throws -> [String: Any] {
        let graph = try pipeline.graph()
        let statuses = try pipeline.assetStatuses(readsOnly: true)
        let latest = try latestChecks()
        // One read-only connection per layer database, for the built tables' column types.
        var databases: [Layer: Database] = [:]
        for layer in [Layer.silver, .gold] where FileManager.default.fileExists(atPath: pipeline.layout.database(for: layer).path) {
            databases[layer] = try Database(path: pipeline.layout.database(for: layer).path, readOnly: true)
        }
        var assets: [String: Any] = [:]
        for status in statuses {
            let spec = status.spec, key = status.key
            let types = try databases[key.layer].map { try Self.columnTypes(key, in: $0) } ?? []
            var asset: [String: Any] = [
                "asset": key.description, "layer": key.layer.rawValue, "name": key.name, "description": spec.summary,
                "tags": spec.tags.sorted(), "upstreams": spec.upstreams.map(\.description),
                "downstreams": (graph.downstreams[key] ?? []).sorted().map(\.description),
                "version": spec.version, "exports": spec.exports, "stale": status.step.willRun, "state": status.step.reason.description,
                "columns": columnNames(spec, types: types).map { name -> [String: Any] in
                    ["name": name, "type": types.first { $0.name == name }?.type as Any, "description": spec.columns[name] ?? ""]
                },
                "checks": spec.checks.map { check -> [String: Any] in
                    var entry: [String: Any] = ["name": check.name, "declaration": check.kind.declaration, "thresholds": check.thresholds,
                                                "severity": check.severity.rawValue]
                    if let result = latest[key.description]?[check.name] { entry["latest"] = result }
                    return entry
                },
            ]
            if let source = spec.source {
                asset["source"] = source
                asset["sql"] = sql(of: source) as Any
            }
            if let last = status.last {
                asset["last_materialization"] = ["run_id": last.runID, "at": last.materializedAt, "rows": last.rows, "status": last.status.rawValue] as [String: Any]
            }
            assets[key.description] = asset
        }
        return [
            "metadata": ["schema": Self.schema, "generated_at": ISO8601.format(generatedAt), "root": pipeline.layout.root.path] as [String: Any],
            "assets": assets,
            "order": graph.order.map(\.description),
            "views": GoldAssets.views,
        ]
    }

    /// Columns in table order when the table is built, else in name order from the declaration.
    private func columnNames(_ spec: AssetSpec, types: [(name: String, type: String)]) -> [String] {
        let declared = spec.columns.keys.sorted()
        return types.isEmpty ? declared : types.map(\.name) + declared.filter { name in !types.contains { $0.name == name } }
    }

    private static func columnTypes(_ key: AssetKey, in database: Database) throws -> [(name: String, type: String)] {
        try database.rows("SELECT name, type FROM pragma_table_info(?) ORDER BY cid", [.text(key.name)]).map { ($0[0].string ?? "", $0[1].string ?? "") }
    }

    /// A declaring file's text: a built-in from the binary (or `WAREHOUSE_SQL_DIR`), a model from the root.
    private func sql(of source: String) -> String? {
        if source.hasPrefix("models/") {
            return try? String(contentsOf: pipeline.layout.root.appendingPathComponent(source), encoding: .utf8)
        }
        let name = URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
        return (try? MartSQL.load(name, environment: pipeline.environment))?.text
    }

    /// asset -> check -> its latest result.
    private func latestChecks() throws -> [String: [String: [String: Any]]] {
        guard FileManager.default.fileExists(atPath: pipeline.layout.runLogDatabase.path) else { return [:] }
        let database = try Database(path: pipeline.layout.runLogDatabase.path, readOnly: true)
        var results: [String: [String: [String: Any]]] = [:]
        for row in try RunLog.latestChecks(in: database) {
            guard let asset = row["asset"]?.string, let name = row["check_name"]?.string else { continue }
            results[asset, default: [:]][name] = ["status": row["status"]?.string as Any, "failing_rows": row["failing_rows"]?.int as Any,
                                                  "run_id": row["run_id"]?.string as Any, "at": row["started_at"]?.string as Any]
        }
        return results
    }
}
