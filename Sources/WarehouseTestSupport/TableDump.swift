import Foundation
import Warehouse

/// Reads whole tables back for comparisons between runs.
public enum TableDump {
    /// Every row of a table in primary-key order, rendered as text lines.
    public static func rows(_ path: String, _ table: String, orderBy: String) throws -> [String] {
        let database = try Database(path: path, readOnly: true)
        return try database.rows("SELECT * FROM \(table) ORDER BY \(orderBy)").map { row in
            row.map { value -> String in
                if case .real(let d) = value { return String(d.bitPattern) }
                return value.rendered
            }.joined(separator: "|")
        }
    }

    /// The user tables of a database (not `_`-prefixed bookkeeping, not SQLite's own).
    public static func tables(_ path: String) throws -> [String] {
        let database = try Database(path: path, readOnly: true)
        return try database.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .compactMap { $0[0].string }
    }
}
