import Foundation
import Warehouse

/// gold.sqlite with silver.sqlite attached read-only as `silver`: gold reads silver's
/// database and never its code. Besides the marts it holds gold's own bookkeeping:
/// `_feature_state` (where each feature series stopped, to resume it the next day),
/// `_change_cursors` (how far into silver's `_changes` a mart has followed) and
/// `_baselines` / `_baseline_values` (frozen feature distributions for drift).
enum GoldDatabase {
    static let migrator: SchemaMigrator = {
        var migrator = SchemaMigrator()
        migrator.register("feature-state-v1", sql: """
            CREATE TABLE _feature_state (
                asset TEXT NOT NULL,
                series TEXT NOT NULL,
                date TEXT NOT NULL,
                inputs_digest TEXT NOT NULL,
                rows INTEGER NOT NULL,
                closes TEXT NOT NULL,
                returns TEXT NOT NULL,
                ema_12 REAL,
                ema_26 REAL,
                macd_signal REAL,
                avg_gain REAL NOT NULL,
                avg_loss REAL NOT NULL,
                PRIMARY KEY (asset, series)
            );
            """)
        migrator.register("baselines-v1", sql: """
            CREATE TABLE _baselines (
                asset TEXT PRIMARY KEY,
                baseline_id TEXT NOT NULL,
                created_at TEXT NOT NULL,
                window_days INTEGER NOT NULL,
                window_start TEXT NOT NULL,
                window_end TEXT NOT NULL,
                rows INTEGER NOT NULL
            );
            CREATE TABLE _baseline_values (
                asset TEXT NOT NULL,
                feature TEXT NOT NULL,
                value REAL NOT NULL
            );
            CREATE INDEX _baseline_values_asset ON _baseline_values(asset, feature);
            """)
        migrator.register("change-cursors-v1", sql: """
            CREATE TABLE _change_cursors (
                asset TEXT NOT NULL,
                upstream TEXT NOT NULL,
                seq INTEGER NOT NULL,
                PRIMARY KEY (asset, upstream)
            );
            """)
        // The analysts' views: a migration per version of sql/views.sql, which recreates them all.
        if let views = try? MartSQL.load("views", environment: [:]) {
            migrator.register("views-" + views.version, sql: viewNames.map { "DROP VIEW IF EXISTS \($0);" }.joined(separator: "\n")
                                + views.statements(parameters: [:]).map { $0 + ";" }.joined(separator: "\n"))
        }
        return migrator
    }()

    /// The names of the analysts' views (`sql/views.sql`).
    static var viewNames: [String] {
        guard let views = try? MartSQL.load("views", environment: [:]) else { return [] }
        return views.statements(parameters: [:]).compactMap { statement -> String? in
            let words = statement.split(whereSeparator: \.isWhitespace)
            return words.count > 2 && words[0].uppercased() == "CREATE" && words[1].uppercased() == "VIEW" ? String(words[2]) : nil
        }
    }

    /// Opens gold.sqlite for a build, with silver attached and gold's own tables in place.
    static func open(_ context: BuildContext) throws -> Database {
        let silver = context.layout.silverDatabase.path
        guard FileManager.default.fileExists(atPath: silver) else { throw GoldError.missingSilver(path: silver) }
        let database = try context.openLayerDatabase()
        try migrator.migrate(database)
        try ChangeLog.prepare(database)
        try database.attach(silver, as: "silver")
        return database
    }

    /// Opens gold.sqlite outside a build (baselines), with gold's own tables in place.
    static func open(layout: WarehouseLayout) throws -> Database {
        let database = try Database(path: layout.goldDatabase.path)
        try migrator.migrate(database)
        return database
    }
}
