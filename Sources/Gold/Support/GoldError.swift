import Warehouse

/// Why a gold asset cannot be built, or a baseline frozen.
public enum GoldError: WarehouseError {
    case missingSQL(path: String)
    case missingSilver(path: String)
    /// A baseline was asked of an asset whose features are not monitored for drift.
    case notMonitored(AssetKey, monitored: [AssetKey])
    /// A baseline was asked of an asset that has no table yet.
    case notBuilt(AssetKey)
    /// No row of the asset falls on or before the requested day.
    case emptyWindow(AssetKey, endingOn: Day?)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .missingSQL(let path):
            return ("mart SQL file \(path) is missing", "restore it from sql/ or point WAREHOUSE_SQL_DIR at the folder that holds it")
        case .missingSilver(let path):
            return ("silver database \(path) does not exist", "build silver first, e.g. `warehouse materialize +gold.coin_daily_features`")
        case .notMonitored(let asset, let monitored):
            return ("\(asset) has no monitored features, so it has no baseline", "name one of: \(monitored.map(\.description).joined(separator: ", "))")
        case .notBuilt(let asset):
            return ("\(asset) has not been materialized, so there is nothing to freeze", "run `warehouse materialize +\(asset)` first")
        case .emptyWindow(let asset, let day):
            return ("\(asset) has no rows on or before \(day?.description ?? "today")", "pick a later --as-of day")
        }
    }
}
