import Foundation
import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

final class CoinMarketsTests: XCTestCase {
    func testRealMarketsPageBecomesTypedRowsWithNulls() throws {
        let root = TemporaryRoot()
        let data = try Fixtures.data("real/coingecko/coins_markets_vs-usd_per_page-250_page-1_TRUNCATED.json")
        try ForeignRawWriter.write(data, root: root, day: "2023-07-28", dataset: "coingecko/markets", key: "page-1")
        let spec = SilverAssets.specs().first { $0.key == SilverAssets.coinMarkets }!
        let outcome = try spec.build(BuildContext(key: spec.key, version: spec.version, layout: root.layout, runID: "t", clock: TestClock.clock))
        let fixture = try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
        XCTAssertEqual(outcome.rows + outcome.rejects, fixture.count)
        XCTAssertEqual(outcome.rejects, fixture.filter { !($0["current_price"] is NSNumber) }.count)
        let database = try Database(path: root.layout.silverDatabase.path)
        let bitcoin = try database.rows("SELECT current_price, market_cap, market_cap_rank, total_supply, snapshot_date FROM coin_markets WHERE coin_id = 'bitcoin'")
        XCTAssertEqual(bitcoin, [[.real(29309), .real(569778313238), .integer(1), .real(21000000), .text("2023-07-28")]])
        let lisk = try database.rows("SELECT fully_diluted_valuation, total_supply, max_supply, high_24h FROM coin_markets WHERE coin_id = 'lisk'")
        XCTAssertEqual(lisk, [[.null, .null, .null, .real(0.873542)]])
    }

    func testOddValuesAreNullsWhenAbsentAndRejectsWhenUnusableNeverACrash() throws {
        let root = TemporaryRoot()
        let body = Data(#"""
            [{"id":"a","symbol":"a","current_price":"2.5","market_cap":null},
             {"id":"c","current_price":3,"market_cap":true},
             {"id":"d","current_price":3,"market_cap_rank":1e30},
             {"symbol":"noid","current_price":1},{"id":"b","current_price":null},"junk"]
            """#.utf8)
        try ForeignRawWriter.write(body, root: root, day: "2026-11-20", dataset: "coingecko/markets", key: "page-1")
        let spec = SilverAssets.specs().first { $0.key == SilverAssets.coinMarkets }!
        let outcome = try spec.build(BuildContext(key: spec.key, version: spec.version, layout: root.layout, runID: "t", clock: TestClock.clock))
        XCTAssertEqual(outcome.rows, 1)
        XCTAssertEqual(outcome.rejects, 5)
        let database = try Database(path: root.layout.silverDatabase.path)
        XCTAssertEqual(try database.rows("SELECT current_price, market_cap, market_cap_rank FROM coin_markets"), [[.real(2.5), .null, .null]])
        let reasons = try database.rows("SELECT locator, reason FROM _rejects ORDER BY locator").map { $0.map(\.rendered) }
        XCTAssertEqual(reasons.map { $0[0] }, ["[1] c", "[2] d", "[3]", "[4] b", "[5]"])
        XCTAssertEqual(reasons[0][1], "market_cap is true, not a number")
        XCTAssertTrue(reasons[1][1].contains("market_cap_rank 1e+30 is not a whole number"), reasons[1][1])
        XCTAssertTrue(reasons[3][1].contains("current_price"))
    }
}
