import Foundation
import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

/// A Yahoo bar's date is its exchange's local date on that day, daylight saving included
/// (BRIEF section 9), whatever offset `gmtoffset` had when the body was fetched.
final class YahooCalendarTests: XCTestCase {
    /// The dates silver gives bars stamped at these UTC times by a listing in `zone`, fetched
    /// when its offset was `gmtoffset`.
    func dates(zone: String?, gmtoffset: Int, stamps: [String], ticker: String = "TEST") throws -> [String] {
        let root = TemporaryRoot("calendar")
        let seconds = stamps.map { Int64(ISO8601.parse($0)!.timeIntervalSince1970) }
        let meta = #""currency":"USD","gmtoffset":\#(gmtoffset)"# + (zone.map { #","exchangeTimezoneName":"\#($0)""# } ?? "")
        let body = YahooChartBody(timestamps: seconds, closes: stamps.indices.map { Double($0 + 1) }).text(meta: meta)
        try ForeignRawWriter.write(Data(body.utf8), root: root, day: "2026-11-20", dataset: "yahoo/chart", key: ticker)
        let asset = ticker.hasSuffix("=X") ? SilverAssets.fxRates : SilverAssets.stockPrices
        let spec = SilverAssets.specs().first { $0.key == asset }!
        _ = try spec.build(BuildContext(key: asset, version: spec.version, layout: root.layout, runID: "t", clock: TestClock.clock))
        return try Database(path: root.layout.silverDatabase.path).rows("SELECT date FROM \(asset.name) ORDER BY date").compactMap { $0[0].string }
    }

    func testLondonBarsAtLocalMidnightKeepTheirDateInSummerAndWinter() throws {
        // Yahoo stamps FX bars at 00:00 London: 23:00 UTC the day before in summer (EURUSD=X, fetched in winter: gmtoffset 0).
        XCTAssertEqual(try dates(zone: "Europe/London", gmtoffset: 0, stamps: ["2020-01-02T00:00:00Z", "2020-06-30T23:00:00Z", "2020-07-05T23:00:00Z"],
                                 ticker: "EURUSD=X"),
                       ["2020-01-02", "2020-07-01", "2020-07-06"])
    }

    func testNewYorkBarsFollowDaylightSaving() throws {
        // VFINX's quarterly bars at 00:00 New York: 05:00 UTC in standard time (DST began 1985-04-28), 04:00 UTC in summer; fetched in winter (-18000).
        XCTAssertEqual(try dates(zone: "America/New_York", gmtoffset: -18_000, stamps: ["1985-01-01T05:00:00Z", "1985-04-01T05:00:00Z", "1985-07-01T04:00:00Z"]),
                       ["1985-01-01", "1985-04-01", "1985-07-01"])
    }

    func testFrankfurtBarsFollowDaylightSaving() throws {
        // XETRA (GS2C.DE's exchange) at 00:00 Berlin: 22:00 UTC in summer, 23:00 UTC in winter; fetched in winter (3600).
        XCTAssertEqual(try dates(zone: "Europe/Berlin", gmtoffset: 3_600, stamps: ["2025-10-22T22:00:00Z", "2025-11-02T23:00:00Z"]),
                       ["2025-10-23", "2025-11-03"])
    }

    func testWithoutAZoneNameTheFetchOffsetIsUsed() throws {
        XCTAssertEqual(try dates(zone: nil, gmtoffset: 19_800, stamps: ["2025-03-02T20:00:00Z"]), ["2025-03-03"])
        XCTAssertEqual(try dates(zone: "Not/A_Zone", gmtoffset: -18_000, stamps: ["2025-03-02T03:00:00Z"]), ["2025-03-01"])
    }

    func testTheRealFixturesLandOnTradingDays() throws {
        // Every real daily bar (equities, a fund, FX) falls on a weekday of its exchange.
        let root = TemporaryRoot("calendar-real")
        for (file, key) in [("v8_chart_EURUSD=X_1d_2020-01-01_to_2020-01-03.json", "EURUSD=X"), ("v8_chart_GS2C.DE_range-5d_interval-1d_XETRA_EUR.json", "GS2C.DE"),
                            ("v8_chart_AAPL_1d_2020-08-31_to_2020-11-07_with_split_and_dividend.json", "AAPL")] {
            try ForeignRawWriter.write(Fixtures.data("real/yahoo/\(file)"), root: root, day: "2026-11-20", dataset: "yahoo/chart", key: key)
        }
        for asset in [SilverAssets.stockPrices, SilverAssets.fxRates] {
            let spec = SilverAssets.specs().first { $0.key == asset }!
            _ = try spec.build(BuildContext(key: asset, version: spec.version, layout: root.layout, runID: "t", clock: TestClock.clock))
        }
        let database = try Database(path: root.layout.silverDatabase.path)
        let weekend = try database.rows("""
            SELECT ticker, date FROM stock_prices WHERE strftime('%w', date) IN ('0', '6')
            UNION ALL SELECT pair, date FROM fx_rates WHERE strftime('%w', date) IN ('0', '6')
            """)
        XCTAssertEqual(weekend, [])
        XCTAssertEqual(try database.rows("SELECT date FROM fx_rates ORDER BY date").compactMap { $0[0].string }, ["2020-01-01", "2020-01-02", "2020-01-03"])
    }
}
