import Foundation
import Warehouse

/// A mart's SQL file from `sql/`: its table definition, how it is filled, and its indexes.
/// `{{table}}` stands for the table being built; `{{name}}` placeholders take parameters.
/// Statements are separated by `;` at the end of a line.
public struct MartSQL {
    public let name: String
    public let text: String
    /// Where it was read from, as a user names it: `sql/NAME.sql`, or the `WAREHOUSE_SQL_DIR` copy.
    public let path: String

    /// The mart SQL compiled into the binary from `sql/` (SwiftPM embeds each file).
    static let embedded: [String: [UInt8]] = [
        "coin_daily_features": PackageResources.coin_daily_features_sql,
        "crypto_analytics_mart": PackageResources.crypto_analytics_mart_sql,
        "market_segment_analysis": PackageResources.market_segment_analysis_sql,
        "universe_membership": PackageResources.universe_membership_sql,
        "research_dataset": PackageResources.research_dataset_sql,
        "dashboard_dataset": PackageResources.dashboard_dataset_sql,
        "stock_features": PackageResources.stock_features_sql,
        "feature_drift": PackageResources.feature_drift_sql,
        "exchange_kpis": PackageResources.exchange_kpis_sql,
        "cross_exchange_spreads": PackageResources.cross_exchange_spreads_sql,
        "cross_exchange_spread_daily": PackageResources.cross_exchange_spread_daily_sql,
        "forecast_metrics": PackageResources.forecast_metrics_sql,
        "price_forecasts": PackageResources.price_forecasts_sql,
        "views": PackageResources.views_sql,
    ]

    /// Loads a mart's SQL: from `WAREHOUSE_SQL_DIR/<name>.sql` when that variable is set (to try
    /// edits without rebuilding), else the copy of `sql/<name>.sql` embedded in the binary.
    /// - Throws: `GoldError.missingSQL` naming the file.
    public static func load(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MartSQL {
        if let directory = environment["WAREHOUSE_SQL_DIR"], !directory.isEmpty {
            let url = URL(fileURLWithPath: directory).appendingPathComponent("\(name).sql")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw GoldError.missingSQL(path: url.path) }
            return MartSQL(name: name, text: text, path: url.path)
        }
        guard let bytes = embedded[name] else { throw GoldError.missingSQL(path: "sql/\(name).sql") }
        return MartSQL(name: name, text: String(decoding: bytes, as: UTF8.self), path: "sql/\(name).sql")
    }

    /// The version that goes into the mart's fingerprint: editing the SQL rebuilds the mart.
    public var version: String { "sql:" + Fingerprint.sha256(text).prefix(16) }

    /// Statements in order, comments dropped, placeholders filled.
    func statements(parameters: [String: String]) -> [String] {
        Self.split(text).map { statement in parameters.reduce(statement.sql) { $0.replacingOccurrences(of: "{{\($1.key)}}", with: $1.value) } }
    }

    /// A SQL file's statements, comment lines dropped (a `;` ending a line ends a statement),
    /// each with the line it starts on.
    static func split(_ text: String) -> [(sql: String, line: Int)] {
        var result: [(String, Int)] = [], current: [Substring] = [], start = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") || (current.isEmpty && trimmed.isEmpty) { continue }
            if current.isEmpty { start = index + 1 }
            current.append(line)
            if trimmed.hasSuffix(";") {
                result.append((String(current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines).dropLast()), start))
                current = []
            }
        }
        let rest = current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { result.append((rest, start)) }
        return result
    }

    /// The rebuild this file describes: CREATE TABLE and fill statements run against the build
    /// table, CREATE INDEX statements against the real name after the swap.
    func rebuild(parameters: [String: String]) -> (rebuild: TableRebuild, fill: [String]) {
        Self.rebuild(table: name, statements: statements(parameters: parameters))
    }

    /// The rebuild a list of statements describes: `CREATE TABLE {{table}}`, the statements
    /// that fill it, and `CREATE INDEX` statements run against `table` after the swap.
    static func rebuild(table: String, statements all: [String]) -> (rebuild: TableRebuild, fill: [String]) {
        let isIndex = { (s: String) in s.uppercased().hasPrefix("CREATE INDEX") || s.uppercased().hasPrefix("CREATE UNIQUE INDEX") }
        let create = all.first { $0.uppercased().hasPrefix("CREATE TABLE") } ?? ""
        let fill = all.filter { !isIndex($0) && $0 != create }
        let rebuild = TableRebuild(table: table, create: { create.replacingOccurrences(of: "{{table}}", with: $0) },
                                   indexes: all.filter(isIndex).map { $0.replacingOccurrences(of: "{{table}}", with: table) })
        return (rebuild, fill)
    }
}
