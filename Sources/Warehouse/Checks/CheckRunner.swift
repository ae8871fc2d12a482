import Foundation

/// Runs an asset's checks and renders the failing rows: against its layer's database, or
/// against any `CheckTarget` (the PostgreSQL the marts are published to).
public struct CheckRunner {
    public let layout: WarehouseLayout
    public let today: Day

    public init(layout: WarehouseLayout, today: Day) {
        self.layout = layout
        self.today = today
    }

    /// Runs every check of an asset on its layer's database. A check whose query cannot run (a
    /// missing table) fails with that error as its sample.
    public func run(_ checks: [AssetCheck], for asset: AssetKey) throws -> [CheckResult] {
        guard !checks.isEmpty else { return [] }
        let database = try Database(path: layout.database(for: asset.layer).path, readOnly: true)
        if asset.layer == .gold, FileManager.default.fileExists(atPath: layout.silverDatabase.path) {
            try database.attach(layout.silverDatabase.path, as: "silver")
        }
        return run(checks, for: asset, on: SQLiteCheckTarget(database: database))
    }

    /// Runs the checks of an asset that `target`'s dialect can express (`quarantined` reads
    /// `_rejects`, which only the layer's database holds) on `target`. The checks that judge
    /// each row alone (not_null, range, accepted_values, ohlc) and the row count are counted in
    /// one scan of the table; only a check with failing rows reads them again for its sample.
    public func run(_ checks: [AssetCheck], for asset: AssetKey, on target: CheckTarget) -> [CheckResult] {
        let table = target.dialect.table(asset, from: asset)
        let runnable = checks.filter { $0.runs(on: target.dialect) }
        let scanned = runnable.filter { $0.rowCondition != nil }
        let counts = try? target.integers("SELECT count(*)" + scanned.map { ", count(*) FILTER (WHERE \($0.rowCondition!))" }.joined() + " FROM \(table)")
        return runnable.map { check in
            do {
                let total: Int
                if let counts, check.totalRowsSQL(table: table, asset: asset) == AssetCheck.plainCount(table) {
                    total = counts[0]
                    if let index = scanned.firstIndex(of: check), counts[index + 1] == 0 {
                        return CheckResult(asset: asset, check: check.name, status: check.status(failing: 0, total: total), failingRows: 0,
                                           totalRows: total, thresholds: check.thresholds, sample: [])
                    }
                } else {
                    total = try target.integers(check.totalRowsSQL(table: table, asset: asset)).first ?? 0
                }
                let failing = try target.failingRows(check.failingRowsSQL(table: table, asset: asset, today: today, dialect: target.dialect))
                return CheckResult(asset: asset, check: check.name, status: check.status(failing: failing.count, total: total), failingRows: failing.count,
                                   totalRows: total, thresholds: check.thresholds, sample: failing.sample)
            } catch {
                return CheckResult(couldNotRun: check, of: asset, error: error)
            }
        }
    }
}

extension CheckResult {
    /// A check that could not run (its query failed, its database would not open): it has not
    /// shown the data is good, so it counts as failed outright, with the error as its sample.
    init(couldNotRun check: AssetCheck, of asset: AssetKey, error: Error) {
        self.init(asset: asset, check: check.name, status: check.severity == .error ? .error : .warn, failingRows: 1,
                  totalRows: 0, thresholds: check.thresholds, sample: ["check could not run: \(error)"])
    }
}
