/// A data quality rule declared next to an asset and run after it materializes (and by
/// `warehouse check`). Each kind compiles to a SQL query that selects the failing rows.
public struct AssetCheck: Sendable, Equatable {
    public enum Severity: String, Sendable, Codable {
        /// Reported; the run still succeeds.
        case warn
        /// Fails the asset: its downstream assets are not built from it and the run exits 1.
        case error
    }

    public enum Kind: Sendable, Equatable {
        /// No NULL in any of the columns.
        case notNull([String])
        /// No two rows share the values of the columns.
        case unique([String])
        /// Values within [min, max] (either bound optional); NULL passes (use notNull for that).
        case range(column: String, min: Double?, max: Double?)
        /// Values among the accepted ones; NULL passes.
        case acceptedValues(column: String, values: [String])
        /// The table has between min and max rows.
        case rowCount(min: Int?, max: Int?)
        /// The newest value of a `YYYY-MM-DD` column is at most `days` before the run's day.
        case freshness(column: String, days: Int)
        /// Every non-NULL value exists in `table.column` (schema-qualified, e.g. `silver.coin_markets`).
        case relationship(column: String, table: String, toColumn: String)
        /// low <= open, close <= high and volume >= 0 (NULLs pass); `key` columns name the failing rows.
        case ohlc(key: [String], volume: String?)
        /// A query that returns the failing rows (`{{table}}` is the asset's table).
        case sql(String)
    }

    public let name: String
    public let kind: Kind
    public let severity: Severity

    public init(_ name: String, _ kind: Kind, severity: Severity = .error) {
        self.name = name
        self.kind = kind
        self.severity = severity
    }

    /// The query selecting failing rows of `table`; `today` is the run's UTC day.
    func failingRowsSQL(table: String, today: Day) -> String {
        switch kind {
        case .notNull(let columns):
            return "SELECT * FROM \(table) WHERE " + columns.map { "\($0) IS NULL" }.joined(separator: " OR ")
        case .unique(let columns):
            let list = columns.joined(separator: ", ")
            return "SELECT \(list), count(*) AS copies FROM \(table) GROUP BY \(list) HAVING count(*) > 1"
        case .range(let column, let min, let max):
            var conditions: [String] = []
            if let min { conditions.append("\(column) < \(min)") }
            if let max { conditions.append("\(column) > \(max)") }
            return "SELECT * FROM \(table) WHERE " + (conditions.isEmpty ? "0" : conditions.joined(separator: " OR "))
        case .acceptedValues(let column, let values):
            let list = values.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: ", ")
            return "SELECT * FROM \(table) WHERE \(column) IS NOT NULL AND \(column) NOT IN (\(list))"
        case .rowCount(let min, let max):
            var conditions: [String] = []
            if let min { conditions.append("n < \(min)") }
            if let max { conditions.append("n > \(max)") }
            return "SELECT n AS row_count FROM (SELECT count(*) AS n FROM \(table)) WHERE " + (conditions.isEmpty ? "0" : conditions.joined(separator: " OR "))
        case .freshness(let column, let days):
            return "SELECT newest FROM (SELECT max(\(column)) AS newest FROM \(table)) WHERE newest IS NULL OR newest < '\(today.adding(days: -days))'"
        case .relationship(let column, let other, let toColumn):
            return "SELECT * FROM \(table) WHERE \(column) IS NOT NULL AND \(column) NOT IN (SELECT \(toColumn) FROM \(other) WHERE \(toColumn) IS NOT NULL)"
        case .ohlc(let key, let volume):
            var conditions = ["low > open", "low > close", "high < open", "high < close", "low > high"]
            if let volume { conditions.append("\(volume) < 0") }
            return "SELECT \(key.joined(separator: ", ")), open, high, low, close FROM \(table) WHERE " + conditions.joined(separator: " OR ")
        case .sql(let query):
            return query.replacingOccurrences(of: "{{table}}", with: table)
        }
    }
}
