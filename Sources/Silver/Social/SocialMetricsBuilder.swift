import Foundation
import Warehouse

/// `silver.social_metrics` from LunarCrush time series: one row per coin and UTC day (the
/// last bucket of the day wins when the series is hourly).
enum SocialMetricsBuilder {
    static let layout = TableLayout("social_metrics", [
        .init("coin_id", .text, notNull: true, "CoinGecko coin id"),
        .init("date", .text, notNull: true, "UTC day (YYYY-MM-DD); the day's last bucket"),
        .init("galaxy_score", .real, "LunarCrush Galaxy Score, 0 to 100"),
        .init("sentiment", .real, "share of positive posts, 0 to 100"),
        .init("social_dominance", .real, "share of all crypto social volume, percent"),
        .init("alt_rank", .integer, "LunarCrush AltRank (1 is best)"),
        .init("interactions", .real, "social interactions that day"),
        .rawFile,
    ], primaryKey: ["coin_id", "date"], withoutRowID: true)

    static func builder(_ context: BuildContext) -> SnapshotTableBuilder {
        var builder = SnapshotTableBuilder(context: context, dataset: SilverInputs.socialTimeseries, layout: layout) { snapshot, body, _, _ in
            let document = try SilverValues.document(body, expecting: "a LunarCrush time-series object")
            guard let data = document["data"]?.array else { throw SilverParseError(message: "no \"data\" array: not a LunarCrush time series") }
            let coin = RawKey.entity(of: snapshot.key)
            var parsed = ParsedRows()
            for (i, point) in data.enumerated() {
                guard let time = point["time"]?.number, let date = SilverValues.date(unixSeconds: time) else {
                    parsed.reject("data[\(i)].time", "time \(point["time"]?.compactText.prefix(40) ?? "missing") is not a Unix time in seconds between 1970 and 2200")
                    continue
                }
                guard let rank = SilverValues.integer(point["alt_rank"], in: 0...100_000_000) else {
                    parsed.reject("data[\(i)].alt_rank", "alt_rank \(point["alt_rank"]?.compactText.prefix(40) ?? "") is not a whole number")
                    continue
                }
                switch SilverValues.reals(point, ["galaxy_score", "sentiment", "social_dominance", "interactions"]) {
                case .success(let scores):
                    parsed.add("data[\(i)]", [.text(coin), date, scores[0], scores[1], scores[2], rank, scores[3]])
                case .failure(let field):
                    parsed.reject("data[\(i)]", "\(field)")
                }
            }
            return parsed
        }
        // An hourly series has many points a day: the day's last one is the day's value.
        builder.laterRowsReplaceEarlier = true
        return builder
    }
}
