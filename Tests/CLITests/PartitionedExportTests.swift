import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// `warehouse export --partition-by date|month|year|COLUMN`: a Hive-style folder that pyarrow
/// datasets and DuckDB read with partition pruning (Tests/Oracle/partitions_oracle.py).
final class PartitionedExportTests: XCTestCase {
    func testMonthYearDateAndColumnPartitionsReadBackWithPruning() throws {
        let warehouse = try EmulatedWarehouse("partitioned-export")
        XCTAssertEqual(try warehouse.run(["materialize", "+gold.coin_daily_features"]).status, 0)
        let gold = warehouse.root.layout.goldDatabase.path
        for key in ["month", "year", "date", "coin_id"] {
            let out = warehouse.root.url.appendingPathComponent("lake-\(key)")
            let result = try warehouse.run(["export", "gold.coin_daily_features", "--partition-by", key, "--out", out.path, "--json"])
            XCTAssertEqual(result.status, 0, result.stderr)
            let folder = out   // a path that does not exist yet names the folder itself
            let oracle = try PythonOracle("partitions_oracle.py").run([folder.path, gold, "coin_daily_features", key])
            XCTAssertEqual(oracle.status, 0, "\(key): \(oracle.stdout) \(oracle.stderr)")
            let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(oracle.stdout.utf8)) as? [String: Any])
            XCTAssertGreaterThan(summary["partitions"] as? Int ?? 0, key == "year" ? 0 : 2, "\(key): \(summary)")
            let first = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().first)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(first).path), ["part-00000.parquet"])
        }
        let wrong = try warehouse.run(["export", "gold.coin_daily_features", "--partition-by", "week"])
        XCTAssertEqual(wrong.status, 2)
        XCTAssertTrue(wrong.stderr.contains("month or year"), wrong.stderr)
    }
}
