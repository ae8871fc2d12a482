import Foundation
import Warehouse

/// Rejects, check history and materialization history: what the quality pages show.
extension WarehouseAPI {
    /// Rejected rows per silver asset and reason, with an example each.
    func rejects(asset: String?) throws -> JSONBody {
        guard pool.exists(.silver) else { return .object([("rejects", .array([]))]) }
        if let asset { _ = try catalog.asset(named: asset) }
        return try pool.with(.silver) { database in
            guard try database.tableExists("_rejects") else { return .object([("rejects", .array([]))]) }
            let rows = try database.namedRows("""
                SELECT asset, coalesce(rule, '') AS rule, substr(reason, 1, 160) AS reason, count(*) AS count, min(raw_file) AS example_file, min(locator) AS example_locator
                FROM _rejects WHERE ?1 IS NULL OR asset = ?1
                GROUP BY asset, rule, substr(reason, 1, 160) ORDER BY asset, count DESC, reason LIMIT 500
                """, [asset.map(SQLValue.text) ?? .null])
            return .object([("rejects", .array(rows.map { JSONBody(row: $0, columns: ["asset", "rule", "reason", "count", "example_file", "example_locator"]) }))])
        }
    }

    /// Per run, how many checks passed, warned and failed, newest first.
    func checkHistory(limit: String?) throws -> JSONBody {
        let count = try Self.limit(limit, default: 50, max: 1_000)
        guard pool.exists(.runLog) else { return .object([("runs", .array([]))]) }
        return try pool.with(.runLog) { database in
            let rows = try database.namedRows("""
                SELECT c.run_id, coalesce(r.started_at, '') AS started_at,
                       sum(c.status = 'pass') AS passed, sum(c.status = 'warn') AS warned, sum(c.status = 'error') AS failed
                FROM check_results AS c LEFT JOIN runs AS r USING (run_id)
                GROUP BY c.run_id ORDER BY coalesce(r.started_at, c.run_id) DESC LIMIT ?
                """, [.integer(Int64(count))])
            return .object([("runs", .array(rows.map { JSONBody(row: $0, columns: ["run_id", "started_at", "passed", "warned", "failed"]) }))])
        }
    }

    /// An asset's last materializations, newest first.
    func materializations(of key: AssetKey, limit: Int = 10) throws -> [[String: SQLValue]] {
        let file: ReadPool.File = key.layer == .bronze ? .runLog : Catalog.file(of: key)
        guard pool.exists(file) else { return [] }
        return try pool.with(file) { database in
            guard try database.tableExists("_materializations") else { return [] }
            return try database.namedRows("""
                SELECT run_id, materialized_at, rows, rejects, status, problem FROM _materializations
                WHERE asset = ? ORDER BY materialized_at DESC, rowid DESC LIMIT ?
                """, [.text(key.description), .integer(Int64(limit))])
        }
    }
}
