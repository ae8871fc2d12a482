import Foundation

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
        /// Consecutive `YYYY-MM-DD` values of `column` within each group of `by` more than
        /// `days` apart (a gap in a daily series).
        case gaps(column: String, by: [String], days: Int)
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
            return Self.plainCount(table)
        }
    }

    /// The row count of a table, the total of most checks.
    static func plainCount(_ table: String) -> String { "SELECT count(*) FROM \(table)" }

    /// Whether the check can run on a database of that dialect: a `quarantined` check, or a
    /// query reading a bookkeeping table (`_rejects`, `_baselines`), needs the layer's SQLite
    /// database, the only place those tables are.
    public func runs(on dialect: SQLDialect) -> Bool {
        guard dialect != .sqlite else { return true }
        switch kind {
        case .quarantined: return false
        case .sql(let query): return query.range(of: #"(?i)\b(from|join)\s+_"#, options: .regularExpression) == nil
        default: return true
        }
    }

    /// The condition a failing row meets, for the kinds that judge each row alone (nil for the
    /// others): what lets one scan of the table count the failures of all of them at once.
    public var rowCondition: String? {
        switch kind {
        case .notNull(let columns):
            return columns.map { "\($0) IS NULL" }.joined(separator: " OR ")
        case .range(let column, let min, let max):
            let conditions = [min.map { "\(column) < \($0)" }, max.map { "\(column) > \($0)" }].compactMap { $0 }
            return conditions.isEmpty ? "false" : conditions.joined(separator: " OR ")
        case .acceptedValues(let column, let values):
            let list = values.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: ", ")
            return "\(column) IS NOT NULL AND \(column) NOT IN (\(list))"
        case .ohlc(_, let volume):
            return (["low > open", "low > close", "high < open", "high < close", "low > high"] + (volume.map { ["\($0) < 0"] } ?? [])).joined(separator: " OR ")
        default:
            return nil
        }
    }

    /// The query selecting failing rows of `table` (the asset's, as the dialect names it);
    /// `today` is the run's UTC day.
    public func failingRowsSQL(table: String, asset: AssetKey, today: Day, dialect: SQLDialect = .sqlite) -> String {
        switch kind {
        case .notNull, .range, .acceptedValues:
            return "SELECT * FROM \(table) WHERE " + rowCondition!
        case .unique(let columns):
            let list = columns.joined(separator: ", ")
            return "SELECT \(list), count(*) AS copies FROM \(table) GROUP BY \(list) HAVING count(*) > 1"
        case .rowCount(let min, let max):
            var conditions: [String] = []
            if let min { conditions.append("n < \(min)") }
            if let max { conditions.append("n > \(max)") }
            return "SELECT n AS row_count FROM (SELECT count(*) AS n FROM \(table)) AS counted WHERE " + (conditions.isEmpty ? "false" : conditions.joined(separator: " OR "))
        case .freshness(let column, let days):
            return "SELECT newest FROM (SELECT max(\(column)) AS newest FROM \(table)) AS latest WHERE newest IS NULL OR newest < '\(today.adding(days: -days))'"
        case .relationship(let column, let other, let toColumn):
            let target = AssetKey(parsing: other).map { dialect.table($0, from: asset) } ?? other
            return "SELECT * FROM \(table) WHERE \(column) IS NOT NULL AND \(column) NOT IN (SELECT \(toColumn) FROM \(target) WHERE \(toColumn) IS NOT NULL)"
        case .gaps(let column, let by, let days):
            let group = by.map { $0 + ", " }.joined()
            let partition = by.isEmpty ? "" : "PARTITION BY \(by.joined(separator: ", ")) "
            return "SELECT \(group)previous_\(column), \(column) FROM (SELECT \(group)\(column), LAG(\(column)) OVER (\(partition)ORDER BY \(column)) AS previous_\(column) FROM \(table)) AS ordered "
                + "WHERE \(dialect.daysBetween(column, "previous_\(column)")) > \(days)"
        case .ohlc(let key, _):
            return "SELECT \(key.joined(separator: ", ")), open, high, low, close FROM \(table) WHERE " + rowCondition!
        case .sql(let query):
            return query.replacingOccurrences(of: "{{table}}", with: table)
        case .quarantined(let rule):
            return "SELECT raw_file, locator, reason FROM _rejects WHERE asset = '\(asset)' AND rule = '\(rule.replacingOccurrences(of: "'", with: "''"))' ORDER BY rowid"
        }
    }
}
