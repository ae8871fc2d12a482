import Warehouse

/// A gold asset whose feature distributions are watched for drift: which columns are the
/// features and which column dates the rows, so a window of trading days can be sampled.
public struct FeatureMonitor: Sendable {
    public let asset: AssetKey
    public let dateColumn: String
    public let features: [String]

    /// The feature values of the newest `windowDays` dates present in the asset's table (on or
    /// before `endingOn` when given), each feature without its NULLs; nil when no date qualifies.
    func sample(in database: Database, windowDays: Int, endingOn: Day?) throws -> FeatureSample? {
        let table = asset.name, date = dateColumn
        guard let range = try database.rows("""
            SELECT min(\(date)), max(\(date)) FROM (
                SELECT DISTINCT \(date) FROM \(table) WHERE \(date) <= ? ORDER BY \(date) DESC LIMIT ?)
            """, [.text(endingOn?.description ?? "9999-12-31"), .integer(Int64(windowDays))]).first,
              let start = range[0].string, let end = range[1].string else { return nil }
        var values: [String: [Double]] = [:]
        for feature in features {
            values[feature] = try database.rows("SELECT \(feature) FROM \(table) WHERE \(date) BETWEEN ? AND ? AND \(feature) IS NOT NULL",
                                                [.text(start), .text(end)]).compactMap { $0[0].double }
        }
        let rows = try database.scalar("SELECT count(*) FROM \(table) WHERE \(date) BETWEEN ? AND ?", [.text(start), .text(end)])?.int ?? 0
        return FeatureSample(windowStart: start, windowEnd: end, rows: rows, values: values)
    }
}

/// Feature values over a window of trading days.
struct FeatureSample {
    let windowStart: String
    let windowEnd: String
    /// Rows of the asset in the window.
    let rows: Int
    /// Each feature's non-NULL values.
    let values: [String: [Double]]
}
