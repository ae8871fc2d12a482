import Foundation
import Warehouse

/// `silver.coin_ohlc` from CoinGecko `/coins/{id}/ohlc` bodies: `[[ms, open, high, low, close], ...]`.
enum CoinOHLCBuilder {
    static let table = TableRebuild(table: "coin_ohlc", create: { name in
        """
        CREATE TABLE \(name) (
            coin_id TEXT NOT NULL, ts INTEGER NOT NULL,
            open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,
            raw_file_id INTEGER NOT NULL,
            PRIMARY KEY (coin_id, ts)
        ) WITHOUT ROWID
        """
    })

    static func builder(_ context: BuildContext) -> SnapshotTableBuilder {
        SnapshotTableBuilder(context: context, dataset: SilverInputs.ohlc, table: table,
                             columns: ["coin_id", "ts", "open", "high", "low", "close"]) { snapshot, body, _, _ in
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
