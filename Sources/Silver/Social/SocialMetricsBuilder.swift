import Foundation
import Warehouse

/// `silver.social_metrics` from LunarCrush time series: one row per coin and UTC day (the
/// last bucket of the day wins when the series is hourly).
enum SocialMetricsBuilder {
    static let table = TableRebuild(table: "social_metrics", create: { name in
        """
        CREATE TABLE \(name) (
            coin_id TEXT NOT NULL, date TEXT NOT NULL,
            galaxy_score REAL, sentiment REAL, social_dominance REAL, alt_rank INTEGER, interactions REAL,
            raw_file_id INTEGER NOT NULL,
            PRIMARY KEY (coin_id, date)
        ) WITHOUT ROWID
        """
    })

    static func builder(_ context: BuildContext) -> SnapshotTableBuilder {
        SnapshotTableBuilder(context: context, dataset: SilverInputs.socialTimeseries, table: table,
                             columns: ["coin_id", "date", "galaxy_score", "sentiment", "social_dominance", "alt_rank", "interactions"]) { snapshot, body, _ in
            let document = try SilverValues.document(body, expecting: "a LunarCrush time-series object")
            guard let data = document["data"]?.array else { throw SilverParseError(message: "no \"data\" array: not a LunarCrush time series") }
            let coin = RawKey.entity(of: snapshot.key)
            var parsed = ParsedRows()
            for (i, point) in data.enumerated() {
                guard let time = point["time"]?.number else {
                    parsed.reject("data[\(i)]", "point has no numeric time")
                    continue
                }
                parsed.rows.append([.text(coin), SilverValues.date(unixSeconds: time), (point["galaxy_score"]?.number).sqlValue,
                                    (point["sentiment"]?.number).sqlValue, (point["social_dominance"]?.number).sqlValue,
                                    point["alt_rank"]?.number.map { .integer(Int64($0)) } ?? .null, (point["interactions"]?.number).sqlValue])
            }
            return parsed
        }
    }
}
