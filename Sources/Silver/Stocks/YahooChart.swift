import Foundation
import Warehouse

/// One Yahoo v8 chart body as daily bars.
struct YahooChart {
    struct Bar {
        let date: String
        let open: Double?, high: Double?, low: Double?, close: Double?, adjClose: Double?
        let volume: Double?
    }

    let currency: String?
    var bars: [Bar] = []

    /// Parses `{"chart": {"result": [{meta, timestamp, indicators: {quote, adjclose}}], "error"}}`.
    /// A bar's date is its exchange-local day (timestamp + gmtoffset). A result without
    /// timestamps (a weekend window) has no bars.
    /// - Throws: `SilverParseError` for another shape or an API error body.
    static func parse(_ body: Data) throws -> YahooChart {
        let document = try SilverValues.document(body, expecting: "a Yahoo chart object")
        guard let chart = document["chart"] else { throw SilverParseError(message: "no \"chart\" object: not a Yahoo v8 chart body") }
        guard let result = chart["result"]?.array?.first else {
            let description = chart["error"]?["description"]?.text ?? "no result"
            throw SilverParseError(message: "Yahoo answered without a result: \(description)")
        }
        let meta = result["meta"]
        var parsed = YahooChart(currency: meta?["currency"]?.text)
        let offset = meta?["gmtoffset"]?.number ?? 0
        let timestamps = result["timestamp"]?.array?.map(\.number) ?? []
        let quote = result["indicators"]?["quote"]?.array?.first
        let adjusted = result["indicators"]?["adjclose"]?.array?.first?["adjclose"]?.array
        func column(_ name: String) -> [JSONValue] { quote?[name]?.array ?? [] }
        let (open, high, low, close, volume) = (column("open"), column("high"), column("low"), column("close"), column("volume"))
        func value(_ list: [JSONValue], _ i: Int) -> Double? { i < list.count ? list[i].number : nil }
        for (i, ts) in timestamps.enumerated() {
            guard let ts else { continue }
            parsed.bars.append(Bar(date: Day(unixSeconds: Int64(ts + offset)).description, open: value(open, i), high: value(high, i),
                                   low: value(low, i), close: value(close, i), adjClose: adjusted.flatMap { value($0, i) }, volume: value(volume, i)))
        }
        return parsed
    }
}

/// `silver.stock_prices` and `silver.fx_rates` from Yahoo chart snapshots: securities go to the
/// first, currency pairs (`USDINR=X` -> pair `USDINR`) to the second. A bar without a close is
/// rejected; other missing values are NULL.
enum YahooBuilders {
    static func isCurrencyKey(_ key: String) -> Bool { RawKey.entity(of: key).hasSuffix("=X") }

    static func stockPrices(_ context: BuildContext, outlierThreshold: Double) -> SnapshotTableBuilder {
        let table = TableRebuild(table: "stock_prices", create: { name in
            """
            CREATE TABLE \(name) (
                ticker TEXT NOT NULL, date TEXT NOT NULL,
                open REAL, high REAL, low REAL, close REAL NOT NULL, adj_close REAL, volume REAL, currency TEXT,
                outlier INTEGER NOT NULL DEFAULT 0,
                raw_file_id INTEGER NOT NULL,
                PRIMARY KEY (ticker, date)
            ) WITHOUT ROWID
            """
        })
        var builder = SnapshotTableBuilder(context: context, dataset: SilverInputs.yahooChart, table: table,
                                           columns: ["ticker", "date", "open", "high", "low", "close", "adj_close", "volume", "currency"],
                                           includes: { !isCurrencyKey($0.key) }) { snapshot, body, _ in
            let chart = try YahooChart.parse(body)
            let ticker = RawKey.entity(of: snapshot.key)
            var parsed = ParsedRows()
            for bar in chart.bars {
                guard let close = bar.close, close > 0 else {
                    parsed.reject("\(ticker) \(bar.date)", "close is missing or not positive")
                    continue
                }
                parsed.rows.append([.text(ticker), .text(bar.date), bar.open.sqlValue, bar.high.sqlValue, bar.low.sqlValue, .real(close),
                                    bar.adjClose.sqlValue, bar.volume.sqlValue, chart.currency.sqlValue])
            }
            return parsed
        }
        builder.derive = { database, name in try OutlierFlags.mark(database, table: name, threshold: outlierThreshold) }
        return builder
    }

    static func fxRates(_ context: BuildContext) -> SnapshotTableBuilder {
        let table = TableRebuild(table: "fx_rates", create: { name in
            """
            CREATE TABLE \(name) (
                pair TEXT NOT NULL, date TEXT NOT NULL,
                open REAL, high REAL, low REAL, rate REAL NOT NULL,
                raw_file_id INTEGER NOT NULL,
                PRIMARY KEY (pair, date)
            ) WITHOUT ROWID
            """
        })
        return SnapshotTableBuilder(context: context, dataset: SilverInputs.yahooChart, table: table,
                                    columns: ["pair", "date", "open", "high", "low", "rate"],
                                    includes: { isCurrencyKey($0.key) }) { snapshot, body, _ in
            let chart = try YahooChart.parse(body)
            let pair = String(RawKey.entity(of: snapshot.key).dropLast(2))
            var parsed = ParsedRows()
            for bar in chart.bars {
                guard let rate = bar.close, rate > 0 else {
                    parsed.reject("\(pair) \(bar.date)", "rate (close) is missing or not positive")
                    continue
                }
                parsed.rows.append([.text(pair), .text(bar.date), bar.open.sqlValue, bar.high.sqlValue, bar.low.sqlValue, .real(rate)])
            }
            return parsed
        }
    }
}
