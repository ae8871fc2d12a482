import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

final class ChecksTests: XCTestCase {
    func testABarWithHighBelowLowFailsTheErrorCheckNamingTickerAndDate() throws {
        let warehouse = try EmulatedWarehouse("badbar")
        XCTAssertEqual(try warehouse.run(["materialize", "+silver.coin_markets"]).status, 0)
        let partial = try warehouse.run(["check"])
        XCTAssertEqual(partial.status, 0, "assets not built yet are not failures: \(partial.stdout)")
        XCTAssertTrue(partial.stdout.contains("Not checked, never built: ") && partial.stdout.contains("gold.stock_features"), partial.stdout)
        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)
        let clean = try warehouse.run(["check"])
        XCTAssertEqual(clean.status, 0, clean.stdout)
        XCTAssertTrue(clean.stdout.contains(" 0 failed."), clean.stdout)

        // Another tool drops in a Yahoo body with a bar whose high is below its low.
        let body = #"{"chart":{"result":[{"meta":{"currency":"USD","symbol":"BADCO","instrumentType":"EQUITY","gmtoffset":-18000},"timestamp":[1795440600],"indicators":{"quote":[{"open":[10.0],"high":[9.0],"low":[11.0],"close":[10.5],"volume":[1000]}],"adjclose":[{"adjclose":[10.5]}]}}],"error":null}}"#
        try ForeignRawWriter.write(Data(body.utf8), root: warehouse.root, day: "2026-11-23", dataset: "yahoo/chart", key: "BADCO",
                                   fetchedAt: "2026-11-23T12:00:00.000Z")
        let run = try warehouse.run(["materialize", "silver.stock_prices+"])
        XCTAssertEqual(run.status, 1, run.stdout)
        XCTAssertTrue(run.stdout.contains("FAIL error silver.stock_prices ohlc_rules: 1 failing row (ticker=BADCO, date=2026-11-23"), run.stdout)
        // Nothing downstream is built from the bad bar.
        XCTAssertTrue(run.stdout.contains("gold.stock_features") && run.stdout.contains("upstream silver.stock_prices failed"), run.stdout)
        XCTAssertEqual(try Database(path: warehouse.root.layout.goldDatabase.path, readOnly: true)
            .scalar("SELECT count(*) FROM stock_features WHERE ticker = 'BADCO'")?.int, 0)
        let check = try warehouse.run(["check", "silver.stock_prices"])
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.stdout.contains("ticker=BADCO, date=2026-11-23, open=10.0, high=9.0, low=11.0"), check.stdout)
        let runs = try JSONSerialization.jsonObject(with: Data(try warehouse.run(["runs", "--json"]).stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(runs.first?["checks_failed"] as? Int, 1)
        XCTAssertEqual(runs.first?["status"] as? String, "failed")
    }
}
