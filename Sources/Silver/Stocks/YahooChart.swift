import Foundation
import Warehouse

/// One Yahoo v8 chart body as daily bars, and the bars that could not be read and why.
struct YahooChart {
    struct Bar {
        /// Where the bar is in the body: `timestamp[i]`.
        let locator: String
        let date: String
        let open: Double?, high: Double?, low: Double?, close: Double?, adjClose: Double?
        let volume: Double?
    }

    let currency: String?
    var bars: [Bar] = []
    /// Every bar set aside: where, why (no row-level rule: these could not be read).
    var rejects: [(locator: String, reason: String, rule: String?)] = []

    /// Parses `{"chart": {"result": [{meta, timestamp, indicators: {quote, adjclose}}], "error"}}`.
    /// A bar's date is its exchange's local date on that day (`meta.exchangeTimezoneName` with
    /// its daylight-saving rules; `meta.gmtoffset` only when the name is missing or unknown):
    /// Yahoo stamps a daily bar at the local midnight or session open, so a London bar at
    /// 00:00 BST is 23:00 UTC the day before. A result without timestamps (a weekend window)
    /// has no bars.
    /// - Throws: `SilverParseError` for another shape, an API error body, or a `timestamp`
    ///   that is not a list while there are quotes.
    static func parse(_ body: Data) throws -> YahooChart {
        let document = try SilverValues.document(body, expecting: "a Yahoo chart object")
        guard let chart = document["chart"] else { throw SilverParseError(message: "no \"chart\" object: not a Yahoo v8 chart body") }
        guard let result = chart["result"]?.array?.first else {
            let description = chart["error"]?["description"]?.text ?? "no result"
            throw SilverParseError(message: "Yahoo answered without a result: \(description)")
        }
        let meta = result["meta"]
        var parsed = YahooChart(currency: meta?["currency"]?.text)
        let calendar = try ExchangeCalendar(meta: meta)
        let quote = result["indicators"]?["quote"]?.array?.first
        let adjusted = result["indicators"]?["adjclose"]?.array?.first?["adjclose"]?.array
        func column(_ name: String) -> [JSONValue] { quote?[name]?.array ?? [] }
        let columns = [("open", column("open")), ("high", column("high")), ("low", column("low")), ("close", column("close")),
                       ("volume", column("volume")), ("adjclose", adjusted ?? [])]
        let timestamps: [JSONValue]
        switch result["timestamp"] {
        case .array(let list)?: timestamps = list
        case nil, .null?:
            guard columns.allSatisfy({ $0.1.isEmpty }) else {
                throw SilverParseError(message: "the result has quotes but no \"timestamp\" list: no bar can be dated")
            }
            timestamps = []
        case let other?:
            throw SilverParseError(message: "\"timestamp\" is \(other.compactText.prefix(40)), not a list of Unix times: no bar can be dated")
        }
        for (name, list) in columns where list.count > timestamps.count {
            parsed.rejects.append(("indicators.\(name)[\(timestamps.count)...]", "\(list.count - timestamps.count) value(s) beyond the \(timestamps.count) timestamps have no time", nil))
        }
        bars: for (i, stamp) in timestamps.enumerated() {
            let locator = "timestamp[\(i)]"
            guard let time = stamp.number, let seconds = InputNumber.unixSeconds(time) else {
                parsed.rejects.append((locator, "\(stamp.compactText.prefix(40)) is not a Unix time in seconds between 1970 and 2200", nil))
                continue
            }
            var values: [Double?] = []
            for (name, list) in columns {
                guard i < list.count else { values.append(nil); continue }
                guard case .real(let value)? = SilverValues.real(list[i]) else {
                    if SilverValues.real(list[i]) == .null { values.append(nil); continue }
                    parsed.rejects.append((locator, "\(name)[\(i)] is \(list[i].compactText.prefix(40)), not a number", nil))
                    continue bars
                }
                values.append(value)
            }
            parsed.bars.append(Bar(locator: locator, date: calendar.localDate(unixSeconds: seconds).description, open: values[0], high: values[1],
                                   low: values[2], close: values[3], adjClose: values[5], volume: values[4]))
        }
        return parsed
    }
}

/// The calendar of a Yahoo listing's exchange: its IANA time zone, or a fixed offset.
struct ExchangeCalendar {
    let zone: TimeZone?
    let fixedOffset: Int64

    /// - Throws: `SilverParseError` when there is no usable zone name and `gmtoffset` is not
    ///   a UTC offset (within 18 hours).
    init(meta: JSONValue?) throws {
        zone = meta?["exchangeTimezoneName"]?.text.flatMap(TimeZone.init(identifier:))
        let offset = meta?["gmtoffset"]
        if zone == nil, let offset, offset != .null {
            guard let seconds = offset.number.flatMap({ InputNumber.integer($0, in: -64_800...64_800) }) else {
                throw SilverParseError(message: "meta.gmtoffset \(offset.compactText.prefix(40)) is not a UTC offset in seconds (within 18 hours)")
            }
            fixedOffset = seconds
        } else {
            fixedOffset = 0
        }
    }

    /// The exchange's local date at a moment.
    func localDate(unixSeconds: Int64) -> Day {
        let offset = zone.map { Int64($0.secondsFromGMT(for: Date(timeIntervalSince1970: Double(unixSeconds)))) } ?? fixedOffset
        return Day(unixSeconds: unixSeconds + offset)
    }
}

/// `silver.stock_prices` and `silver.fx_rates` from Yahoo chart snapshots: securities go to the
/// first, currency pairs (`USDINR=X` -> pair `USDINR`) to the second. A bar without a close is
/// rejected; other missing values are NULL.
enum YahooBuilders {
    static func isCurrencyKey(_ key: String) -> Bool { RawKey.entity(of: key).hasSuffix("=X") }

    static let stockPricesLayout = TableLayout("stock_prices", [
        .init("ticker", .text, notNull: true, "Yahoo ticker"),
        .init("date", .text, notNull: true, "the exchange's local trading date (YYYY-MM-DD)"),
        .init("open", .real, "open in the listing's currency"), .init("high", .real, "high"), .init("low", .real, "low"),
        .init("close", .real, notNull: true, "close"), .init("adj_close", .real, "close adjusted for splits and dividends"),
        .init("volume", .real, "shares traded"), .init("currency", .text, "the listing's currency (USD, INR, EUR, ...)"),
        .init("outlier", .integer, notNull: true, default: "0", "1 when the day's return is a robust z-score outlier (kept, flagged)"),
        .rawFile,
    ], primaryKey: ["ticker", "date"], withoutRowID: true)

    static let fxRatesLayout = TableLayout("fx_rates", [
        .init("pair", .text, notNull: true, "currency pair (USDINR from USDINR=X)"),
        .init("date", .text, notNull: true, "London trading date (YYYY-MM-DD)"),
        .init("open", .real, "open"), .init("high", .real, "high"), .init("low", .real, "low"),
        .init("rate", .real, notNull: true, "close rate"),
        .rawFile,
    ], primaryKey: ["pair", "date"], withoutRowID: true)

    static func stockPrices(_ context: BuildContext, outlierThreshold: Double) -> SnapshotTableBuilder {
        var builder = SnapshotTableBuilder(context: context, dataset: SilverInputs.yahooChart, layout: stockPricesLayout,
                                           includes: { !isCurrencyKey($0.key) }) { snapshot, body, _, _ in
            let chart = try YahooChart.parse(body)
            let ticker = RawKey.entity(of: snapshot.key)
            var parsed = ParsedRows()
            parsed.rejects = chart.rejects
            for bar in chart.bars {
                guard let close = bar.close, close > 0 else {
                    parsed.reject(bar.locator, "\(ticker) \(bar.date): close is missing or not positive")
                    continue
                }
                if let problem = OHLCRule.problem(open: bar.open, high: bar.high, low: bar.low, close: close, volume: bar.volume) {
                    parsed.reject(bar.locator, "\(ticker) \(bar.date): \(problem)", rule: OHLCRule.name)
                    continue
                }
                parsed.add(bar.locator, [.text(ticker), .text(bar.date), bar.open.sqlValue, bar.high.sqlValue, bar.low.sqlValue, .real(close),
                                    bar.adjClose.sqlValue, bar.volume.sqlValue, chart.currency.sqlValue])
            }
            return parsed
        }
        builder.derive = { database, name in try OutlierFlags.mark(database, table: name, threshold: outlierThreshold) }
        return builder
    }

    static func fxRates(_ context: BuildContext) -> SnapshotTableBuilder {
        SnapshotTableBuilder(context: context, dataset: SilverInputs.yahooChart, layout: fxRatesLayout,
                                    includes: { isCurrencyKey($0.key) }) { snapshot, body, _, _ in
            let chart = try YahooChart.parse(body)
            let pair = String(RawKey.entity(of: snapshot.key).dropLast(2))
            var parsed = ParsedRows()
            parsed.rejects = chart.rejects
            for bar in chart.bars {
                guard let rate = bar.close, rate > 0 else {
                    parsed.reject(bar.locator, "\(pair) \(bar.date): rate (close) is missing or not positive")
                    continue
                }
                parsed.add(bar.locator, [.text(pair), .text(bar.date), bar.open.sqlValue, bar.high.sqlValue, bar.low.sqlValue, .real(rate)])
            }
            return parsed
        }
    }
}
