import Foundation
import Warehouse

extension Pipeline {
    /// The assets a selection picks in this root's graph, in dependency order; `state:` and
    /// `result:` read the root's materializations and its last run (only when used).
    /// - Throws: `SelectionError` for a term that selects nothing or cannot be read.
    public func resolve(_ selection: Selection) throws -> [AssetKey] {
        try selection.resolve(in: try graph()) { try self.selectionFacts() }
    }

    /// What `state:` and `result:` select from: each asset's last materialization against its
    /// version now, and what each asset and check did in the newest finished run.
    public func selectionFacts() throws -> SelectionFacts {
        let graph = try self.graph()
        let orchestrator = try self.orchestrator()
        orchestrator.readsOnly = true
        var facts = SelectionFacts()
        for key in graph.order {
            guard let last = try orchestrator.lastMaterialization(of: key) else { facts.new.insert(key); continue }
            if last.version != graph[key]!.version { facts.modified.insert(key) }
        }
        guard FileManager.default.fileExists(atPath: layout.runLogDatabase.path) else { return facts }
        let runLog = try Database(path: layout.runLogDatabase.path, readOnly: true)
        guard let run = try RunLog.runs(in: runLog, limit: 50).first(where: { $0["status"]?.string != "running" })?["run_id"]?.string else { return facts }
        for row in try RunLog.assets(ofRun: run, in: runLog) {
            guard let asset = row["asset"]?.string.flatMap(AssetKey.init(parsing:)), let status = row["status"]?.string else { continue }
            facts.results[asset, default: []].insert(status == AssetRunResult.Status.failed.rawValue ? "error" : status)
        }
        for row in try RunLog.checks(ofRun: run, in: runLog) {
            guard let asset = row["asset"]?.string.flatMap(AssetKey.init(parsing:)), let status = row["status"]?.string else { continue }
            if status == CheckResult.Status.warn.rawValue { facts.results[asset, default: []].insert("warn") }
            if status == CheckResult.Status.error.rawValue { facts.results[asset, default: []].insert("fail") }
        }
        return facts
    }
}
