import Foundation

/// Runs an asset's checks against its layer's database (gold with silver attached, so
/// relationships can point into silver) and renders the failing rows.
public struct CheckRunner {
    public let layout: WarehouseLayout
    public let today: Day

    public init(layout: WarehouseLayout, today: Day) {
        self.layout = layout
        self.today = today
    }

    /// Runs every check of an asset. A check whose query cannot run (a missing table) fails
    /// with that error as its sample.
    public func run(_ checks: [AssetCheck], for asset: AssetKey) throws -> [CheckResult] {
        guard !checks.isEmpty else { return [] }
        let database = try Database(path: layout.database(for: asset.layer).path)
        if asset.layer == .gold, FileManager.default.fileExists(atPath: layout.silverDatabase.path) {
            try database.attach(layout.silverDatabase.path, as: "silver")
        }
        return checks.map { check in
            let sql = check.failingRowsSQL(table: asset.name, asset: asset, today: today)
            do {
                let statement = try database.prepare("SELECT * FROM (\(sql))")
                var failing = 0
                var sample: [String] = []
                while try statement.step() {
                    failing += 1
                    if sample.count < 5 {
                        sample.append((0..<statement.columnCount).filter { statement.columnName($0) != "raw_file_id" }
                            .map { "\(statement.columnName($0))=\(statement.value(at: $0).rendered)" }.joined(separator: ", "))
                    }
                }
                let total = try database.scalar(check.totalRowsSQL(table: asset.name, asset: asset))?.int ?? 0
                return CheckResult(asset: asset, check: check.name, status: check.status(failing: failing, total: total), failingRows: failing,
                                   totalRows: total, thresholds: check.thresholds, sample: sample)
            } catch {
                // A check that cannot run has not shown the data is good: it counts as failed outright.
                return CheckResult(asset: asset, check: check.name, status: check.severity == .error ? .error : .warn, failingRows: 1,
                                   totalRows: 0, thresholds: check.thresholds, sample: ["check could not run: \(error)"])
            }
        }
    }
}
