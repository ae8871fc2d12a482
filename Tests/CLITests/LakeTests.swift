import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// `[lake] dir`: every materialization keeps a Hive-partitioned Parquet lake in step with gold,
/// rewriting only partitions whose rows changed; pyarrow datasets and DuckDB read it with
/// partition and row-group pruning (Tests/Oracle/lake_oracle.py).
final class LakeTests: XCTestCase {
    private let table = "coin_daily_features"

    private func writeSettings(_ warehouse: EmulatedWarehouse, _ body: String) throws {
        try body.write(to: warehouse.root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
    }

    /// The identity of every file under the table's folder, by relative path.
    private func files(_ folder: URL) -> [String: String] {
        var identities: [String: String] = [:]
        for path in FileManager.default.subpaths(atPath: folder.path) ?? [] where path.hasSuffix(".parquet") {
            identities[path] = FileIdentity.of(folder.appendingPathComponent(path))
        }
        return identities
    }

    private func lakeSummary(_ result: CLIRunner.Result, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Int] {
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout, file: file, line: line)
        let lake = try XCTUnwrap(json["lake"] as? [String: Any], "\(json)", file: file, line: line)
        return lake.compactMapValues { $0 as? Int }
    }

    private func oracle(_ warehouse: EmulatedWarehouse, _ folder: URL, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let output = try PythonOracle("lake_oracle.py").run([folder.path, warehouse.root.layout.goldDatabase.path, table, "month", "coin_id"])
        XCTAssertEqual(output.status, 0, "\(output.stdout) \(output.stderr)", file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], file: file, line: line)
    }

    private func latest(_ warehouse: EmulatedWarehouse) throws -> MaterializationRecord {
        let gold = try Database(path: warehouse.root.layout.goldDatabase.path, readOnly: true)
        return try XCTUnwrap(try MaterializationLog.latest(AssetKey(.gold, table), in: gold))
    }

    func testLakeFollowsGoldRewritingOnlyChangedPartitions() throws {
        let warehouse = try EmulatedWarehouse("lake")
        try writeSettings(warehouse, "[lake]\ndir = \"lake\"\npartition_by = \"month\"\nrow_group_rows = 100\n")
        let first = try warehouse.run(["materialize", "+gold.\(table)", "--json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let tally = try lakeSummary(first)
        XCTAssertEqual(tally["failures"], 0)
        XCTAssertGreaterThan(tally["written"] ?? 0, 2, "\(tally)")
        let folder = warehouse.root.url.appendingPathComponent("lake/\(table)")
        let verdict = try oracle(warehouse, folder)
        XCTAssertGreaterThan(verdict["row_groups"] as? Int ?? 0, 3, "\(verdict)")
        XCTAssertLessThan(verdict["row_groups_kept"] as? Int ?? 99, verdict["row_groups"] as? Int ?? 0, "a coin_id filter reads fewer row groups: \(verdict)")
        let record = try latest(warehouse)
        for (path, footer) in try XCTUnwrap(verdict["metadata"] as? [String: [String: String]]) {
            XCTAssertEqual(footer["warehouse.asset"], "gold.\(table)", path)
            XCTAssertEqual(footer["warehouse.run_id"], record.runID, path)
            XCTAssertEqual(footer["warehouse.fingerprint"], record.fingerprint, path)
        }
        let before = files(folder)
        XCTAssertGreaterThan(before.count, 2)

        // The same day again: nothing rebuilt, the lake's manifest answers, no file is touched.
        let again = try warehouse.run(["materialize", "+gold.\(table)", "--json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try lakeSummary(again)["written"], 0)
        XCTAssertEqual(files(folder), before)

        // A day later only the newest month holds new rows: it alone is rewritten.
        let tomorrow = try EmulatedWarehouse(warehouse, daysLater: 1)
        let next = try tomorrow.run(["materialize", "+gold.\(table)", "--json"])
        XCTAssertEqual(next.status, 0, next.stderr)
        let after = files(folder)
        let newest = try XCTUnwrap(before.keys.max())
        XCTAssertNotEqual(after[newest], before[newest], "the newest month is rewritten")
        for (path, identity) in before where path != newest { XCTAssertEqual(after[path], identity, "\(path) has no changed row and is kept") }
        let nextTally = try lakeSummary(next)
        XCTAssertEqual(nextTally["written"], 1, "\(nextTally)")
        XCTAssertEqual(nextTally["kept"], before.count - 1, "\(nextTally)")
        _ = try oracle(tomorrow, folder)
        let rewritten = try XCTUnwrap(try oracle(tomorrow, folder)["metadata"] as? [String: [String: String]])
        XCTAssertEqual(rewritten[newest]?["warehouse.run_id"], try latest(tomorrow).runID)

        // A partition file removed by hand is written again; nothing else is.
        let oldest = try XCTUnwrap(before.keys.min())
        try FileManager.default.removeItem(at: folder.appendingPathComponent(oldest))
        let repaired = try tomorrow.run(["materialize", "+gold.\(table)", "--json"])
        XCTAssertEqual(repaired.status, 0, repaired.stderr)
        XCTAssertEqual(try lakeSummary(repaired)["written"], 1)
        XCTAssertNotNil(files(folder)[oldest])
        XCTAssertEqual(files(folder)[newest], after[newest])
        _ = try oracle(tomorrow, folder)
    }

    func testMonthlyLakeOfEveryGoldTableAndAFolderTheLakeDidNotMake() throws {
        let warehouse = try EmulatedWarehouse("lake-all")
        let lake = warehouse.root.url.appendingPathComponent("shared-lake")
        // A folder of the user's where a table's folder would go: never written into.
        let theirs = lake.appendingPathComponent("crypto_analytics_mart")
        try FileManager.default.createDirectory(at: theirs, withIntermediateDirectories: true)
        try "mine".write(to: theirs.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try writeSettings(warehouse, "[lake]\ndir = \"\(lake.path)\"\n")
        let run = try warehouse.run(["materialize", "--all", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let tally = try lakeSummary(run)
        XCTAssertEqual(tally["failures"], 1, "\(tally)")
        XCTAssertTrue(run.stderr.contains("crypto_analytics_mart"), run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: theirs.path), ["notes.txt"])
        let gold = try Database(path: warehouse.root.layout.goldDatabase.path, readOnly: true)
        let synced = try FileManager.default.contentsOfDirectory(atPath: lake.path).filter { $0 != "crypto_analytics_mart" }
        XCTAssertGreaterThan(synced.count, 5, "\(synced)")
        for name in synced {
            let rows = try XCTUnwrap(gold.scalar("SELECT COUNT(*) FROM \"\(name)\"")?.int, name)
            // The exchange marts can stay empty without `warehouse collect`, which the main job does not run.
            if ["exchange_kpis", "cross_exchange_spreads", "cross_exchange_spread_daily", "forecast_metrics", "price_forecasts"].contains(name), rows == 0 { continue }
            let folder = lake.appendingPathComponent(name)
            let parts = (FileManager.default.subpaths(atPath: folder.path) ?? []).filter { $0.hasSuffix(".parquet") }
            XCTAssertFalse(parts.isEmpty, name)
            let hasDate = try gold.rows("SELECT 1 FROM pragma_table_info(?) WHERE name = 'date'", [.text(name)]).count == 1
            XCTAssertEqual(parts.allSatisfy { $0.hasPrefix("month=") }, hasDate && rows > 0, "\(name): \(parts.prefix(3))")
            let read = try Shell.run("python3", ["-c", "import pyarrow.dataset as ds, sys; print(ds.dataset(sys.argv[1], format='parquet', partitioning='hive').count_rows())",
                                                 folder.path])
            XCTAssertEqual(read.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "\(rows)", "\(name): \(read.stderr)")
        }
    }

    func testLakeSettingsAreCheckedByName() throws {
        let warehouse = try EmulatedWarehouse("lake-settings")
        for (body, named) in [("[lake]\ndir = \"lake\"\npartition_by = \"week\"\n", "lake.partition_by"),
                              ("[lake]\npartition_by = \"month\"\n", "lake.dir"),
                              ("[lake]\ndir = \"lake\"\nrow_group_rows = 10\n", "lake.row_group_rows"),
                              ("[lake]\ndir = \"lake\"\ncompression = \"lz4\"\n", "lake.compression")] {
            try writeSettings(warehouse, body)
            let result = try warehouse.run(["config", "show"])
            XCTAssertEqual(result.status, 2, body)
            XCTAssertTrue(result.stderr.contains("warehouse.toml: \(named)"), result.stderr)
        }
        // The lake is never the raw layer.
        try writeSettings(warehouse, "[lake]\ndir = \"raw\"\n")
        let run = try warehouse.run(["materialize", "+gold.\(table)", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertGreaterThan(try lakeSummary(run)["failures"] ?? 0, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: warehouse.root.layout.rawDirectory.appendingPathComponent(table).path))
    }
}
