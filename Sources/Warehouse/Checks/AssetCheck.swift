/// A data quality rule declared next to an asset and run after it materializes (and by
/// `warehouse check`). Each kind compiles to a SQL query that selects the failing rows; how
/// many failing rows warn and how many fail the asset is set by thresholds, as dbt's
/// `warn_if` / `error_if` (a count, or a share of the rows).
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
        /// The rows the asset's build set aside in `_rejects` under a row-level rule (such as
        /// `ohlc`): they are not in the table, and this check says how many there were.
        case quarantined(rule: String)
    }

    public let name: String
    public let kind: Kind
    /// Failing rows that make the check warn; nil: never warns.
    public let warnIf: CheckThreshold?
    /// Failing rows that fail the asset; nil: never fails it.
    public let errorIf: CheckThreshold?

    /// A check that warns, or fails the asset, on any failing row.
    public init(_ name: String, _ kind: Kind, severity: Severity = .error) {
        self.init(name, kind, warnIf: .anyFailure, errorIf: severity == .error ? .anyFailure : nil)
    }

    /// A check with thresholds: e.g. warn on any failing row, fail beyond 5% of the rows.
    public init(_ name: String, _ kind: Kind, warnIf: CheckThreshold?, errorIf: CheckThreshold?) {
        self.name = name
        self.kind = kind
        self.warnIf = warnIf
        self.errorIf = errorIf
    }

    /// The worst this check can do to a run.
    public var severity: Severity { errorIf == nil ? .warn : .error }

    /// `warn if >0, error if >5%`.
    public var thresholds: String {
        [warnIf.map { "warn if \($0)" }, errorIf.map { "error if \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }

    /// What `failing` rows of `total` make of the check.
    func status(failing: Int, total: Int) -> CheckResult.Status {
        if errorIf?.isMet(failing: failing, total: total) ?? false { return .error }
        if warnIf?.isMet(failing: failing, total: total) ?? false { return .warn }
        return .pass
    }

    /// The query counting the rows a share is taken of: the table's, plus what was quarantined.
    func totalRowsSQL(table: String, asset: AssetKey) -> String {
        switch kind {
        case .quarantined:
            return "SELECT (SELECT count(*) FROM \(table)) + (SELECT count(*) FROM _rejects WHERE asset = '\(asset)' AND rule IS NOT NULL)"
        default:
            return "SELECT count(*) FROM \(table)"
        }
    }

    /// The query selecting failing rows of `table` (the asset's); `today` is the run's UTC day.
    public func failingRowsSQL(table: String, asset: AssetKey, today: Day) -> String {
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
            // A table of the asset's own layer is in its database's main schema; silver is attached to gold as `silver`.
            let target = AssetKey(parsing: other).map { $0.layer == asset.layer ? "main.\($0.name)" : other } ?? other
            return "SELECT * FROM \(table) WHERE \(column) IS NOT NULL AND \(column) NOT IN (SELECT \(toColumn) FROM \(target) WHERE \(toColumn) IS NOT NULL)"
        case .ohlc(let key, let volume):
            var conditions = ["low > open", "low > close", "high < open", "high < close", "low > high"]
            if let volume { conditions.append("\(volume) < 0") }
            return "SELECT \(key.joined(separator: ", ")), open, high, low, close FROM \(table) WHERE " + conditions.joined(separator: " OR ")
        case .sql(let query):
            return query.replacingOccurrences(of: "{{table}}", with: table)
        case .quarantined(let rule):
            return "SELECT raw_file, locator, reason FROM _rejects WHERE asset = '\(asset)' AND rule = '\(rule.replacingOccurrences(of: "'", with: "''"))' ORDER BY rowid"
        }
    }
}
