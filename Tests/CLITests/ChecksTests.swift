import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// Row-level rules quarantine the rows that break them; a check's severity follows how many did.
final class ChecksTests: XCTestCase {
    /// A Yahoo body for `ticker` with `bars` daily bars from 2026-11-02, each `bad` one with its high below its low.
    func chart(_ ticker: String, bars: Int, bad: (Int) -> Bool, currency: String = "USD") -> Data {
        let start: Int64 = 1_793_626_200   // 2026-11-02T14:30:00Z, a Monday's open in New York
        var stamps: [String] = [], opens: [String] = [], highs: [String] = [], lows: [String] = [], closes: [String] = []
        for i in 0..<bars {
            stamps.append("\(start + Int64(i) * 86_400)")
            opens.append("10.0"); closes.append("10.5")
            highs.append(bad(i) ? "9.0" : "11.0"); lows.append(bad(i) ? "11.0" : "9.5")
        }
        return Data("""
            {"chart":{"result":[{"meta":{"currency":"\(currency)","symbol":"\(ticker)","exchangeTimezoneName":"America/New_York","gmtoffset":-18000},
            "timestamp":[\(stamps.joined(separator: ","))],"indicators":{"quote":[{"open":[\(opens.joined(separator: ","))],"high":[\(highs.joined(separator: ","))],
            "low":[\(lows.joined(separator: ","))],"close":[\(closes.joined(separator: ","))],"volume":[\(stamps.map { _ in "1000" }.joined(separator: ","))]}]}}],"error":null}}
            """.utf8)
    }

    func testOneBadBarIsQuarantinedAndWarnsWhileEveryTickerIsStillBuilt() throws {
        let warehouse = try EmulatedWarehouse("badbar")
        XCTAssertEqual(try warehouse.run(["materialize", "+silver.coin_markets"]).status, 0)
        let partial = try warehouse.run(["check"])
        XCTAssertEqual(partial.status, 0, "assets not built yet are not failures: \(partial.stdout)")
        XCTAssertTrue(partial.stdout.contains("Not checked, never built: ") && partial.stdout.contains("gold.stock_features"), partial.stdout)
        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)

        // Another tool drops in a Yahoo body with one bar whose high is below its low.
        try ForeignRawWriter.write(chart("BADCO", bars: 3, bad: { $0 == 1 }), root: warehouse.root, day: "2026-11-23", dataset: "yahoo/chart",
                                   key: "BADCO", fetchedAt: "2026-11-23T12:00:00.000Z")
        let run = try warehouse.run(["materialize", "silver.stock_prices+"])
        XCTAssertEqual(run.status, 0, "one bad bar warns: \(run.stdout)")
        XCTAssertTrue(run.stdout.contains("WARN silver.stock_prices ohlc_rules: 1 failing row of "), run.stdout)
        XCTAssertTrue(run.stdout.contains("warn if >0, error if >5%) (raw_file=raw/2026-11-23/yahoo/chart/BADCO.json, locator=timestamp[1], reason=BADCO 2026-11-03: low 11.0 is above high 9.0)"), run.stdout)
        let gold = try Database(path: warehouse.root.layout.goldDatabase.path, readOnly: true)
        XCTAssertEqual(try gold.scalar("SELECT count(*) FROM stock_features WHERE ticker = 'BADCO'")?.int, 2, "its good bars go on")
        XCTAssertEqual(try gold.scalar("SELECT count(DISTINCT ticker) FROM stock_features")?.int, 11, "every ticker is built")
        let silver = try Database(path: warehouse.root.layout.silverDatabase.path, readOnly: true)
        XCTAssertEqual(try silver.scalar("SELECT count(*) FROM stock_prices WHERE ticker = 'BADCO' AND date = '2026-11-03'")?.int, 0)
        let check = try warehouse.run(["check", "silver.stock_prices"])
        XCTAssertEqual(check.status, 0)
        XCTAssertTrue(check.stdout.contains("1 warned, 0 failed"), check.stdout)
    }

    func testABrokenFeedFailsAndBlocksItsDownstream() throws {
        let warehouse = try EmulatedWarehouse("badfeed")
        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)
        // A feed where every bar breaks the rule: far more than 5% of all bars.
        try ForeignRawWriter.write(chart("BROKEN", bars: 400, bad: { _ in true }), root: warehouse.root, day: "2026-11-23", dataset: "yahoo/chart",
                                   key: "BROKEN", fetchedAt: "2026-11-23T12:00:00.000Z")
        let run = try warehouse.run(["materialize", "silver.stock_prices+"])
        XCTAssertEqual(run.status, 1, run.stdout)
        XCTAssertTrue(run.stdout.contains("FAIL silver.stock_prices ohlc_rules: 400 failing rows of "), run.stdout)
        XCTAssertTrue(run.stdout.contains("gold.stock_features") && run.stdout.contains("upstream silver.stock_prices failed"), run.stdout)
        let status = try Database(path: warehouse.root.layout.silverDatabase.path, readOnly: true)
            .scalar("SELECT status FROM asset_status WHERE asset = 'silver.stock_prices'")
        XCTAssertEqual(status, "failed_checks")
        let runs = try JSONSerialization.jsonObject(with: Data(try warehouse.run(["runs", "--json"]).stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(runs.first?["checks_failed"] as? Int, 1)
        XCTAssertEqual(runs.first?["status"] as? String, "failed")
    }

    func testAListingInAnotherCurrencyIsConvertedWhenItsRateIsConfiguredElseNamed() throws {
        let tickers = ["WAREHOUSE_TICKERS": "AAPL,SAP.DE", "WAREHOUSE_STOCK_HISTORY_DAYS": "60"]
        let without = try EmulatedWarehouse("eur", extra: tickers)
        let first = try without.run(["materialize", "+gold.stock_features"])
        XCTAssertEqual(first.status, 0, first.stdout)
        XCTAssertTrue(first.stdout.contains("WARN gold.stock_features convertible_currency: 1 failing row (ticker=SAP.DE, currency=EUR, fix=add EURINR=X to stocks.fx)"), first.stdout)
        let gold = try Database(path: without.root.layout.goldDatabase.path, readOnly: true)
        XCTAssertEqual(try gold.rows("SELECT DISTINCT ticker FROM stock_features"), [["AAPL"]])

        let with = try EmulatedWarehouse("eur-inr", extra: tickers.merging(["WAREHOUSE_FX_TICKERS": "USDINR=X,EURINR=X"]) { $1 })
        let second = try with.run(["materialize", "+gold.stock_features"])
        XCTAssertEqual(second.status, 0, second.stdout)
        XCTAssertFalse(second.stdout.contains("convertible_currency"), second.stdout)
        let converted = try Database(path: with.root.layout.goldDatabase.path, readOnly: true).rows("""
            SELECT f.close_inr, s.close * (SELECT rate FROM silver.fx_rates WHERE pair = 'EURINR' AND date <= f.date ORDER BY date DESC LIMIT 1),
                   f.close_usd * f.usd_inr_rate, f.close_inr
            FROM stock_features AS f JOIN silver.stock_prices AS s USING (ticker, date) WHERE f.ticker = 'SAP.DE' ORDER BY f.date DESC LIMIT 1
            """.replacingOccurrences(of: "silver.", with: "s2."), attach: with.root.layout.silverDatabase.path)
        XCTAssertEqual(converted.count, 1)
        XCTAssertEqual(converted[0][0].double!, converted[0][1].double!, accuracy: 1e-9, "INR close = EUR close x EURINR")
        XCTAssertEqual(converted[0][2].double!, converted[0][3].double!, accuracy: 1e-6, "USD close x USDINR = INR close")
    }
}

private extension Database {
    /// Rows of a query that reads another database attached as `s2`.
    func rows(_ sql: String, attach path: String) throws -> [[SQLValue]] {
        try attach(path, as: "s2")
        return try rows(sql)
    }
}
