import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// The research and dashboard datasets on the emulator, and their Parquet exports read by
/// pyarrow, pandas and DuckDB.
final class DatasetsTests: XCTestCase {
    func testSurvivorshipWrappedTokensAndExports() throws {
        let warehouse = try EmulatedWarehouse("datasets", extra: ["WAREHOUSE_HISTORY_DAYS": "1000", "WAREHOUSE_RESEARCH_TOP_N": "10"])
        let run = try warehouse.run(["materialize", "--all"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let gold = try Database(path: warehouse.root.layout.goldDatabase.path, readOnly: true)
        let silver = try Database(path: warehouse.root.layout.silverDatabase.path, readOnly: true)

        // A coin in the Top-10 two years ago that died since: in the universe for its dates, absent after.
        let dead = try XCTUnwrap(warehouse.emulator.simulation.deadCoinIDs.first { (try? gold.scalar("SELECT 1 FROM universe_membership WHERE coin_id = ? AND date = '2024-11-23'", [.text($0)])) != nil })
        let lastDay = try XCTUnwrap(gold.scalar("SELECT max(date) FROM coin_daily_features WHERE coin_id = ?", [.text(dead)])?.string)
        XCTAssertLessThan(lastDay, "2026-11-23")
        XCTAssertNil(try gold.scalar("SELECT 1 FROM universe_membership WHERE coin_id = ? AND date > ?", [.text(dead), .text(lastDay)]))
        XCTAssertNotNil(try gold.scalar("SELECT 1 FROM research_dataset WHERE coin_id = ?", [.text(dead)]))
        // Today's Top-N alone would miss it.
        let latest = try XCTUnwrap(silver.scalar("SELECT max(snapshot_date) FROM coin_markets")?.string)
        XCTAssertNil(try silver.scalar("SELECT 1 FROM coin_markets WHERE coin_id = ? AND snapshot_date = ?", [.text(dead), .text(latest)]))
        XCTAssertEqual(try gold.scalar("SELECT count(*) FROM universe_membership WHERE date = '2024-11-23'")?.int, 10)

        // Wrapped tokens are never rows of their own; the native's volume includes theirs.
        let wrapped = warehouse.emulator.simulation.wrappedTokens.map(\.token)
        let placeholders = wrapped.map { _ in "?" }.joined(separator: ",")
        XCTAssertEqual(try gold.scalar("SELECT count(*) FROM dashboard_dataset WHERE canonical_id IN (\(placeholders))", wrapped.map { .text($0) })?.int, 0)
        try gold.execute("ATTACH DATABASE 'file:\(warehouse.root.layout.silverDatabase.path)?mode=ro' AS s")
        let mismatches = try gold.scalar("""
            SELECT count(*) FROM dashboard_dataset AS d
            WHERE abs(d.volume - (SELECT sum(f.volume) FROM coin_daily_features AS f JOIN s.asset_map AS m ON m.coin_id = f.coin_id
                                  WHERE m.canonical_id = d.canonical_id AND f.date = d.date)) > 1e-6 * d.volume
            """)
        XCTAssertEqual(mismatches?.int, 0)
        let mergedDays = try gold.scalar("""
            SELECT count(*) FROM dashboard_dataset AS d WHERE d.canonical_id = 'bitcoin'
              AND d.volume > (SELECT f.volume FROM coin_daily_features AS f WHERE f.coin_id = 'bitcoin' AND f.date = d.date)
            """)
        XCTAssertGreaterThan(mergedDays?.int ?? 0, 100, "bitcoin's rows carry its wrapped versions' volume")

        // The exports, read by three clients.
        let oracle = try PythonOracle("exports_oracle.py").run([warehouse.root.path])
        XCTAssertEqual(oracle.status, 0, oracle.text)
        XCTAssertTrue(oracle.text.contains(" 0 problems"), oracle.text)
    }
}
