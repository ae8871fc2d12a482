import Foundation
import Warehouse

/// `silver.coin_ohlc` from CoinGecko `/coins/{id}/ohlc` bodies: `[[ms, open, high, low, close], ...]`.
enum CoinOHLCBuilder {
    static let layout = TableLayout("coin_ohlc", [
        .init("coin_id", .text, notNull: true, "CoinGecko coin id"),
        .init("ts", .integer, notNull: true, "candle close time, Unix milliseconds UTC"),
        .init("open", .real, notNull: true, "open, USD"), .init("high", .real, notNull: true, "high, USD"),
        .init("low", .real, notNull: true, "low, USD"), .init("close", .real, notNull: true, "close, USD"),
        .rawFile,
    ], primaryKey: ["coin_id", "ts"], withoutRowID: true)

    static func builder(_ context: BuildContext) -> SnapshotTableBuilder {
        SnapshotTableBuilder(context: context, dataset: SilverInputs.ohlc, layout: layout) { snapshot, body, _, _ in
            guard let candles = try SilverValues.document(body, expecting: "an array of candles").array else {
                throw SilverParseError(message: "body is not an array of [time, open, high, low, close] candles")
            }
            var parsed = ParsedRows()
            let coin = RawKey.entity(of: snapshot.key)
            for (i, candle) in candles.enumerated() {
                let values = candle.array?.map(\.number) ?? []
                guard values.count >= 5, let time = values[0], let o = values[1], let h = values[2], let l = values[3], let c = values[4] else {
                    parsed.reject("[\(i)]", "candle is not five numbers [time, open, high, low, close]")
                    continue
                }
                guard let ts = InputNumber.unixMilliseconds(time) else {
                    parsed.reject("[\(i)][0]", "time \(time) is not a Unix time in milliseconds between 1970 and 2200")
                    continue
                }
                if let problem = OHLCRule.problem(open: o, high: h, low: l, close: c) {
                    parsed.reject("[\(i)]", problem, rule: OHLCRule.name)
                    continue
                }
                parsed.add("[\(i)]", [.text(coin), .integer(ts), .real(o), .real(h), .real(l), .real(c)])
            }
            return parsed
        }
    }
}
