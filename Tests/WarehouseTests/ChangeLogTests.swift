import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

final class ChangeLogTests: XCTestCase {
    func testReadersSeeEachEntitysEarliestChangeAfterTheirCursorUntilAWholeRebuild() throws {
        let root = TemporaryRoot("changelog")
        let database = try Database(path: root.url.appendingPathComponent("silver.sqlite").path)
        try ChangeLog.prepare(database)
        let prices = ChangeLog(database: database, asset: AssetKey(.silver, "coin_prices"))
        let other = ChangeLog(database: database, asset: AssetKey(.silver, "other"))
        XCTAssertEqual(try prices.latest(), 0)
        XCTAssertEqual(try prices.changes(after: 0), [:])

        try prices.record([("bitcoin", 5_000), ("ethereum", 7_000)])
        let cursor = try prices.latest()
        try prices.record([("bitcoin", 3_000), ("solana", 9_000)])
        try other.record([("bitcoin", 1)])
        XCTAssertEqual(try prices.changes(after: 0), ["bitcoin": 3_000, "ethereum": 7_000, "solana": 9_000])
        XCTAssertEqual(try prices.changes(after: cursor), ["bitcoin": 3_000, "solana": 9_000])
        XCTAssertEqual(try prices.changes(after: try prices.latest()), [:])

        // A whole rebuild: anyone behind it must rebuild too, and its older entries go.
        try prices.recordRebuild()
        XCTAssertNil(try prices.changes(after: cursor))
        XCTAssertGreaterThan(try prices.latest(), cursor, "seq only grows")
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM _changes WHERE asset = 'silver.coin_prices'")?.int, 1)
        XCTAssertEqual(try other.changes(after: 0), ["bitcoin": 1], "other assets' entries stay")
        try prices.record([("bitcoin", 11_000)])
        XCTAssertEqual(try prices.changes(after: try prices.latest() - 1), ["bitcoin": 11_000])
    }
}
