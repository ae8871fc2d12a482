import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// `warehouse bench`: what it reports is what it built (figures are for Benchmarks/scale.sh).
final class BenchTests: XCTestCase {
    func testBenchReportsTheRowsDiskAndNextDayItBuilt() throws {
        let scratch = TemporaryRoot("bench")
        try FileManager.default.createDirectory(at: scratch.url, withIntermediateDirectories: true)
        let result = try CLIRunner().run(["bench", "--points", "12000", "--coins", "10", "--scratch", scratch.path, "--keep", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let runs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run["points"] as? Int, 12_000)
        let root = URL(fileURLWithPath: try XCTUnwrap(run["root"] as? String))
        let layout = WarehouseLayout(root: root)
        let silver = try Database(path: layout.silverDatabase.path, readOnly: true)
        // The next day added 24 hourly points to each of the 10 coins, all after the first set.
        XCTAssertEqual(try silver.scalar("SELECT COUNT(*) FROM coin_prices")?.int, 12_000 + 240)
        XCTAssertEqual(run["next_day_points"] as? Int, 240, "\(run)")
        let gold = try Database(path: layout.goldDatabase.path, readOnly: true)
        XCTAssertEqual(try gold.scalar("SELECT COUNT(DISTINCT coin_id) FROM coin_daily_features")?.int, 10)
        XCTAssertEqual(try gold.scalar("SELECT MAX(date) FROM coin_daily_features")?.string, "2026-11-23")
        let disk = try XCTUnwrap(run["database_bytes"] as? Int)
        XCTAssertGreaterThan(disk, 12_000 * 8, "at least a double per point")
        XCTAssertLessThan(disk, 12_000 * 1_000)
        XCTAssertEqual(run["database_bytes_per_point"] as? Double ?? 0, Double(disk) / 12_000, accuracy: 0.01)
        XCTAssertNil(try silver.scalar("SELECT name FROM sqlite_master WHERE name = 'bench_copy'"), "SQLite's timed copy is rolled back")
        let seconds = { (key: String) in try XCTUnwrap(run[key] as? Double, key) }
        XCTAssertGreaterThanOrEqual(try seconds("run_seconds"), try seconds("silver_seconds") + seconds("gold_seconds"), "the whole run holds both builds")
        XCTAssertGreaterThan(try seconds("cli_seconds"), 0)
        XCTAssertGreaterThan(try seconds("sqlite_copy_seconds"), 0)
        // The parser alone read every point of every file, those of overlapping windows more than once.
        XCTAssertGreaterThanOrEqual(run["parse_points"] as? Int ?? 0, 12_000)
        XCTAssertEqual(try seconds("parse_points_per_second"), Double(run["parse_points"] as? Int ?? 0) / (try seconds("parse_seconds")), accuracy: 1)
        let peak = try XCTUnwrap(run["peak_rss_mb"] as? Double)
        XCTAssertGreaterThan(peak, 1)
        // The CLI's rebuild, measured in its own process: a program this size is resident in tens of MB.
        let cliPeak = try XCTUnwrap(run["cli_peak_rss_mb"] as? Double)
        XCTAssertGreaterThan(cliPeak, 10)
        XCTAssertLessThan(cliPeak, 1_000)
        try FileManager.default.removeItem(at: root)
    }

    func testBadFlagsAreRefusedByNameAndNothingIsCreated() throws {
        let scratch = TemporaryRoot("bench-flags")
        try FileManager.default.createDirectory(at: scratch.url, withIntermediateDirectories: true)
        let file = scratch.url.appendingPathComponent("a-file")
        try Data("mine".utf8).write(to: file)
        let cases: [([String], String)] = [
            (["--coins", "0"], "--coins must be at least 1"),
            (["--points", "10,x"], "--points must list whole numbers"),
            (["--points", "5", "--coins", "10"], "at least --coins (10)"),
            (["--points", "100000000", "--coins", "58"], "is 1724137 hourly points per coin, which reaches back before 1970: use --coins 229 or more"),
            (["--scratch", scratch.url.appendingPathComponent("missing").path], "is not an existing folder"),
            (["--scratch", file.path], "is not an existing folder"),
        ]
        for (flags, message) in cases {
            let result = try CLIRunner().run(["bench", "--points", "1000", "--coins", "2", "--scratch", scratch.path] + flags)
            XCTAssertNotEqual(result.status, 0, "\(flags)")
            XCTAssertTrue(result.stderr.contains(message), "\(flags): \(result.stderr)")
        }
        for flag in ["--snapshots", "--bytes", "--concurrency"] {
            let result = try CLIRunner().run(["bench", "bucket", flag, "0", "--root", scratch.path])
            XCTAssertTrue(result.stderr.contains("\(flag) must be at least 1, got 0"), "\(flag): \(result.stderr)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), ["a-file"], "no root was made")
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "mine")
    }
}
