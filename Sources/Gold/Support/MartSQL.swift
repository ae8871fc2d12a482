import Foundation
import Warehouse

/// A mart's SQL file from `sql/`: its table definition, how it is filled, and its indexes.
/// `{{table}}` stands for the table being built; `{{name}}` placeholders take parameters.
/// Statements are separated by `;` at the end of a line.
public struct MartSQL {
    public let name: String
    public let text: String

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
        "views": PackageResources.views_sql,
    ]

    /// Loads a mart's SQL: from `WAREHOUSE_SQL_DIR/<name>.sql` when that variable is set (to try
    /// edits without rebuilding), else the copy of `sql/<name>.sql` embedded in the binary.
    /// - Throws: `GoldError.missingSQL` naming the file.
    public static func load(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MartSQL {
        if let directory = environment["WAREHOUSE_SQL_DIR"], !directory.isEmpty {
            let url = URL(fileURLWithPath: directory).appendingPathComponent("\(name).sql")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw GoldError.missingSQL(path: url.path) }
            return MartSQL(name: name, text: text)
        }
        guard let bytes = embedded[name] else { throw GoldError.missingSQL(path: "sql/\(name).sql") }
        return MartSQL(name: name, text: String(decoding: bytes, as: UTF8.self))
    }

    /// The version that goes into the mart's fingerprint: editing the SQL rebuilds the mart.
    public var version: String { "sql:" + Fingerprint.sha256(text).prefix(16) }

    /// Statements in order, comments dropped, placeholders filled.
    func statements(parameters: [String: String]) -> [String] {
        var body = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            .joined(separator: "\n")
        for (key, value) in parameters { body = body.replacingOccurrences(of: "{{\(key)}}", with: value) }
        return body.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty }
    }

    /// The rebuild this file describes: CREATE TABLE and fill statements run against the build
    /// table, CREATE INDEX statements against the real name after the swap.
    func rebuild(parameters: [String: String]) -> (rebuild: TableRebuild, fill: [String]) {
        let all = statements(parameters: parameters)
        let isIndex = { (s: String) in s.uppercased().hasPrefix("CREATE INDEX") || s.uppercased().hasPrefix("CREATE UNIQUE INDEX") }
        let create = all.first { $0.uppercased().hasPrefix("CREATE TABLE") } ?? ""
        let fill = all.filter { !isIndex($0) && $0 != create }
        let rebuild = TableRebuild(table: name, create: { create.replacingOccurrences(of: "{{table}}", with: $0) },
                                   indexes: all.filter(isIndex).map { $0.replacingOccurrences(of: "{{table}}", with: name) })
        return (rebuild, fill)
    }
}
