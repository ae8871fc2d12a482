import Foundation
import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

final class StockCleaningTests: XCTestCase {
    /// 40 weekdays of small moves, one +40% jump on bar 30, and a missing trading week.
    func chart() -> Data {
        var timestamps: [Int64] = [], closes: [Double] = []
        var day = Day(parsing: "2026-06-01")!   // a Monday
        var close = 100.0
        for i in 0..<40 {
            while (day.ordinal + 4) % 7 == 0 || (day.ordinal + 4) % 7 == 6 { day = day.adding(days: 1) }
            if i == 35 { day = day.adding(days: 7) }   // a week without bars
            close *= i == 30 ? 1.4 : 1 + 0.01 * sin(Double(i) * 1.7)
            timestamps.append(day.startUnixSeconds + 52_200)
            closes.append(close)
            day = day.adding(days: 1)
        }
        let list = { (values: [Double]) in values.map { "\($0)" }.joined(separator: ",") }
        return Data("""
            {"chart":{"result":[{"meta":{"currency":"USD","symbol":"JUMP","instrumentType":"EQUITY","gmtoffset":-14400},
            "timestamp":[\(timestamps.map(String.init).joined(separator: ","))],
            "indicators":{"quote":[{"open":[\(list(closes))],"high":[\(list(closes.map { $0 * 1.01 }))],"low":[\(list(closes.map { $0 * 0.99 }))],
            "close":[\(list(closes))],"volume":[\(closes.map { _ in "1000" }.joined(separator: ","))]}]}}],"error":null}}
            """.utf8)
    }

    func testOutliersAreFlaggedNotDroppedAndGapsAreReported() throws {
        let root = TemporaryRoot("stocks")
        try ForeignRawWriter.write(chart(), root: root, day: "2026-08-01", dataset: "yahoo/chart", key: "JUMP")
        let spec = SilverAssets.specs().first { $0.key == SilverAssets.stockPrices }!
        let outcome = try spec.build(BuildContext(key: spec.key, version: spec.version, layout: root.layout, runID: "t", clock: TestClock.clock))
        XCTAssertEqual(outcome.rows, 40, "outliers stay in the table")
        let silver = try Database(path: root.layout.silverDatabase.path)
        let flagged = try silver.rows("SELECT date FROM stock_prices WHERE outlier = 1").map { $0[0].rendered }
        XCTAssertEqual(flagged.count, 1)
        let jumpDay = try silver.rows("SELECT date FROM stock_prices ORDER BY date LIMIT 1 OFFSET 30")[0][0].rendered
        XCTAssertEqual(flagged, [jumpDay])

        let results = try CheckRunner(layout: root.layout, today: TestClock.today).run(spec.checks, for: spec.key)
        let gaps = try XCTUnwrap(results.first { $0.check == "trading_day_gaps" })
        XCTAssertEqual(gaps.failingRows, 1)
        XCTAssertEqual(gaps.status, .warn)
        XCTAssertTrue(gaps.sample[0].hasPrefix("ticker=JUMP, previous_date="), gaps.sample[0])
        XCTAssertTrue(try XCTUnwrap(results.first { $0.check == "ohlc_rules" }).passed)
    }
}
