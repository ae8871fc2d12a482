import Foundation
import Warehouse

/// A frozen feature distribution of an asset (`warehouse baseline create`): the values of its
/// features over a window of trading days, kept in gold.sqlite (`_baselines`,
/// `_baseline_values`) until replaced. Drift is measured against it.
public struct FeatureBaseline: Equatable, Sendable {
    public let asset: AssetKey
    /// A digest of the frozen values: the drift asset is stale when it changes.
    public let id: String
    public let createdAt: String
    /// Trading days in the window; each drift run samples the same number of newest days.
    public let windowDays: Int
    public let windowStart: String
    public let windowEnd: String
    /// Rows of the asset in the window.
    public let rows: Int

    /// Freezes the newest `windowDays` trading days of the monitored asset (ending on `endingOn`
    /// when given), replacing its previous baseline.
    /// - Throws: `GoldError.notBuilt` when the asset has no table yet, `GoldError.emptyWindow`
    ///   when no row falls on or before `endingOn`.
    public static func create(_ monitor: FeatureMonitor, layout: WarehouseLayout, windowDays: Int, endingOn: Day?,
                              at now: Date) throws -> FeatureBaseline {
        guard FileManager.default.fileExists(atPath: layout.goldDatabase.path) else { throw GoldError.notBuilt(monitor.asset) }
        let database = try GoldDatabase.open(layout: layout)
        guard try database.tableExists(monitor.asset.name) else { throw GoldError.notBuilt(monitor.asset) }
        guard let sample = try monitor.sample(in: database, windowDays: windowDays, endingOn: endingOn) else {
            throw GoldError.emptyWindow(monitor.asset, endingOn: endingOn)
        }
        var hasher = Fingerprint()
        for feature in monitor.features {
            hasher.add(feature)
            for value in sample.values[feature] ?? [] { hasher.add(value.description) }
        }
        let baseline = FeatureBaseline(asset: monitor.asset, id: String(hasher.finish().prefix(16)), createdAt: ISO8601.format(now),
                                       windowDays: windowDays, windowStart: sample.windowStart, windowEnd: sample.windowEnd, rows: sample.rows)
        try database.transaction {
            let asset = SQLValue.text(monitor.asset.description)
            try database.execute("DELETE FROM _baseline_values WHERE asset = ?", [asset])
            try database.execute("INSERT OR REPLACE INTO _baselines(asset, baseline_id, created_at, window_days, window_start, window_end, rows) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 [asset, .text(baseline.id), .text(baseline.createdAt), .integer(Int64(windowDays)),
                                  .text(baseline.windowStart), .text(baseline.windowEnd), .integer(Int64(baseline.rows))])
            let insert = try database.prepare("INSERT INTO _baseline_values(asset, feature, value) VALUES (?, ?, ?)")
            insert.bind(monitor.asset.description, at: 1)
            for feature in monitor.features {
                insert.bind(feature, at: 2)
                for value in sample.values[feature] ?? [] {
                    insert.bind(value, at: 3)
                    try insert.run()
                }
            }
        }
        return baseline
    }

    /// Every baseline of the root, by asset name.
    public static func list(layout: WarehouseLayout) throws -> [FeatureBaseline] {
        guard FileManager.default.fileExists(atPath: layout.goldDatabase.path) else { return [] }
        let database = try Database(path: layout.goldDatabase.path, readOnly: true)
        guard try database.tableExists("_baselines") else { return [] }
        return try database.rows("SELECT asset, baseline_id, created_at, window_days, window_start, window_end, rows FROM _baselines ORDER BY asset")
            .compactMap(Self.init(row:))
    }

    /// The baseline of an asset in an open gold database, nil when none was created.
    static func load(_ asset: AssetKey, in database: Database) throws -> FeatureBaseline? {
        try database.rows("SELECT asset, baseline_id, created_at, window_days, window_start, window_end, rows FROM _baselines WHERE asset = ?",
                          [.text(asset.description)]).first.flatMap(Self.init(row:))
    }

    /// The frozen values of one feature.
    func values(of feature: String, in database: Database) throws -> [Double] {
        try database.rows("SELECT value FROM _baseline_values WHERE asset = ? AND feature = ?", [.text(asset.description), .text(feature)])
            .compactMap { $0[0].double }
    }

    private init(asset: AssetKey, id: String, createdAt: String, windowDays: Int, windowStart: String, windowEnd: String, rows: Int) {
        self.asset = asset
        self.id = id
        self.createdAt = createdAt
        self.windowDays = windowDays
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.rows = rows
    }

    private init?(row: [SQLValue]) {
        guard let asset = row[0].string.flatMap(AssetKey.init(parsing:)), let id = row[1].string, let created = row[2].string,
              let days = row[3].int, let start = row[4].string, let end = row[5].string, let rows = row[6].int else { return nil }
        self.init(asset: asset, id: id, createdAt: created, windowDays: days, windowStart: start, windowEnd: end, rows: rows)
    }
}
