/// Why a gold asset cannot be built.
public enum GoldError: Error, CustomStringConvertible {
    case missingSQL(path: String)
    case missingSilver(path: String)

    public var description: String {
        switch self {
        case .missingSQL(let path):
            return "mart SQL file \(path) is missing. To fix this, restore it from sql/ or point WAREHOUSE_SQL_DIR at the folder that holds it."
        case .missingSilver(let path):
            return "silver database \(path) does not exist. To fix this, build silver first, e.g. `warehouse materialize +gold.coin_daily_features`."
        }
    }
}
