import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// What pyarrow reads of the writer's statistics and schema (Tests/Oracle/parquet_stats.py):
/// string min/max usable (type-defined column orders), NaN left out of double statistics, the
/// sign of zero as the spec asks, and NOT NULL key columns REQUIRED.
final class ParquetStatisticsTests: XCTestCase {
    func write(_ rows: [[ParquetValue?]], columns: [ParquetColumn]) throws -> [String: Any] {
        let folder = TemporaryRoot("parquet-stats")
        let path = folder.url.appendingPathComponent("t.parquet").path
        let writer = try ParquetWriter(path: path, columns: columns)
        for row in rows { try writer.append(row) }
        try writer.close()
        let output = try PythonOracle("parquet_stats.py").run([path])
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], output.stderr)
    }

    func testStringStatisticsAreUsableAndKeysAreRequired() throws {
        let columns = [ParquetColumn(name: "id", kind: .int64, required: true), ParquetColumn(name: "coin", kind: .string),
                       ParquetColumn(name: "price", kind: .double)]
        let read = try write([[.int64(2), .string("ethereum"), .double(0.0)], [.int64(1), .string("bitcoin"), .double(.nan)],
                              [.int64(3), nil, .double(-0.0)], [.int64(4), .string("zcash"), .double(7.5)]], columns: columns)
        let stats = try XCTUnwrap(read["columns"] as? [String: [String: Any]])
        XCTAssertEqual(stats["id"]?["nullable"] as? Bool, false, "a NOT NULL key is REQUIRED")
        XCTAssertEqual(stats["coin"]?["nullable"] as? Bool, true)
        XCTAssertEqual(stats["coin"]?["has_min_max"] as? Bool, true, "string min/max are usable")
        XCTAssertEqual(stats["coin"]?["min"] as? String, "bitcoin")
        XCTAssertEqual(stats["coin"]?["max"] as? String, "zcash")
        XCTAssertEqual(stats["coin"]?["null_count"] as? Int, 1)
        XCTAssertEqual(stats["id"]?["min"] as? Int, 1)
        XCTAssertEqual(stats["id"]?["max"] as? Int, 4)
        XCTAssertEqual(stats["price"]?["min"] as? String, "-0.0", "NaN is left out, and a zero minimum is -0.0")
        XCTAssertEqual(stats["price"]?["max"] as? Double, 7.5)
        let values = try XCTUnwrap(read["values"] as? [[String: Any]])
        XCTAssertEqual(values.map { $0["id"] as? Int }, [2, 1, 3, 4], "a REQUIRED column's values read back without definition levels")
        XCTAssertTrue(values[2]["coin"] is NSNull)
    }

    func testAColumnOfOnlyNaNHasNoMinMax() throws {
        let read = try write([[.double(.nan)], [.double(.nan)]], columns: [ParquetColumn(name: "x", kind: .double)])
        let stats = try XCTUnwrap((read["columns"] as? [String: [String: Any]])?["x"])
        XCTAssertEqual(stats["has_min_max"] as? Bool, false)
    }

    func testNullInARequiredColumnIsATypedErrorNamingIt() throws {
        let folder = TemporaryRoot("parquet-required")
        let writer = try ParquetWriter(path: folder.url.appendingPathComponent("t.parquet").path,
                                       columns: [ParquetColumn(name: "id", kind: .int64, required: true)])
        try writer.append([.int64(1)])
        XCTAssertThrowsError(try writer.append([nil])) { error in
            XCTAssertTrue("\(error)".contains("row 2 has NULL in id"), "\(error)")
        }
    }
}
