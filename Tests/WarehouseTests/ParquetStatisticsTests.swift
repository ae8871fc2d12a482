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

    func testLowCardinalityStringsAreDictionaryEncodedAndReadBack() throws {
        let columns = [ParquetColumn(name: "coin", kind: .string, required: true), ParquetColumn(name: "category", kind: .string),
                       ParquetColumn(name: "note", kind: .string)]
        let coins = ["bitcoin", "ethereum", "solana", "cardano"]
        var rows: [[ParquetValue?]] = []
        for i in 0..<3000 {
            let category: ParquetValue? = i % 5 == 0 ? nil : .string(i % 3 == 0 ? "large" : "small")
            rows.append([ParquetValue.string(coins[i / 750]), category, ParquetValue.string("note \(i) of a unique text")])
        }
        let read = try write(rows, columns: columns)
        let stats = try XCTUnwrap(read["columns"] as? [String: [String: Any]])
        XCTAssertEqual(stats["coin"]?["dictionary"] as? Bool, true)
        XCTAssertTrue((stats["coin"]?["encodings"] as? [String] ?? []).contains("RLE_DICTIONARY"), "\(stats["coin"] ?? [:])")
        XCTAssertEqual(stats["category"]?["dictionary"] as? Bool, true, "an OPTIONAL column with nulls in between is dictionary-encoded too")
        XCTAssertEqual(stats["note"]?["dictionary"] as? Bool, false, "distinct values stay PLAIN: a dictionary would only add to them")
        XCTAssertEqual(stats["coin"]?["min"] as? String, "bitcoin")
        XCTAssertEqual(stats["coin"]?["max"] as? String, "solana")
        let values = try XCTUnwrap(read["values"] as? [[String: Any]])
        XCTAssertEqual(values.count, rows.count)
        for (index, row) in rows.enumerated() {
            for (column, name) in ["coin", "category", "note"].enumerated() {
                if case .string(let text)? = row[column] { XCTAssertEqual(values[index][name] as? String, text, "row \(index) \(name)") }
                else { XCTAssertTrue(values[index][name] is NSNull, "row \(index) \(name)") }
            }
        }
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

/// Every codec's pages read back by pyarrow, value for value, with the codec the footer names.
final class ParquetCodecTests: XCTestCase {
    func testEveryCodecReadsBackTheSameValues() throws {
        let folder = TemporaryRoot("parquet-codecs")
        let columns = [ParquetColumn(name: "id", kind: .int64, required: true), ParquetColumn(name: "coin", kind: .string), ParquetColumn(name: "price", kind: .double)]
        var random = SplitMix(seed: 3)
        let coins = ["bitcoin", "ethereum", "solana"]
        var rows: [[ParquetValue?]] = []
        for i in 0..<5000 {
            let coin: ParquetValue? = i % 7 == 0 ? nil : .string(coins[Int(random.next() % 3)])
            let price = ParquetValue.double(Double(random.next() % 100_000) / 100)
            rows.append([.int64(Int64(i)), coin, price])
        }
        var sizes: [ParquetCodec: Int] = [:]
        for codec in ParquetCodec.allCases {
            let path = folder.url.appendingPathComponent("\(codec.rawValue).parquet").path
            let writer = try ParquetWriter(path: path, columns: columns, rowGroupSize: 2000, metadata: [:], codec: codec)
            for row in rows { try writer.append(row) }
            try writer.close()
            sizes[codec] = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let output = try PythonOracle("parquet_stats.py").run([path])
            let read = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], output.stderr)
            XCTAssertEqual(read["codec"] as? String, codec == .none ? "UNCOMPRESSED" : codec.rawValue.uppercased())
            let values = try XCTUnwrap(read["values"] as? [[String: Any]])
            XCTAssertEqual(values.count, rows.count, "\(codec)")
            for (index, row) in rows.enumerated() where index % 97 == 0 {
                XCTAssertEqual(values[index]["id"] as? Int, index)
                if case .string(let coin) = row[1] { XCTAssertEqual(values[index]["coin"] as? String, coin, "\(codec) row \(index)") } else { XCTAssertTrue(values[index]["coin"] is NSNull) }
                if case .double(let price) = row[2] { XCTAssertEqual(values[index]["price"] as? Double, price, "\(codec) row \(index)") }
            }
        }
        XCTAssertLessThan(sizes[.zstd]!, sizes[.none]!)
        XCTAssertLessThan(sizes[.snappy]!, sizes[.none]!)
    }
}
