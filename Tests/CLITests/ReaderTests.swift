import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// BRIEF section 9, "readers come first": the sqlite3 shell, which sets no busy timeout, is
/// never told "database is locked" and never sees a half-built table while a build runs.
final class ReaderTests: XCTestCase {
    func testTheSQLiteShellIsNeverRefusedDuringAFullBuild() throws {
        let warehouse = try EmulatedWarehouse("readers", coins: 40, extra: ["WAREHOUSE_UNIVERSE_SIZE": "30", "WAREHOUSE_HISTORY_DAYS": "300"])
        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)
        let layout = warehouse.root.layout
        let expectedMart = try TableDump.rows(layout.goldDatabase.path, "crypto_analytics_mart", orderBy: "rank").count
        // One shell, reopening the databases read-only before every query, as a BI tool that
        // connects per query does. Each query prints one line; an error goes to stderr.
        let queries = (0..<100).map { i in
            i % 2 == 0 ? ".open --readonly \(layout.goldDatabase.path)\nSELECT count(*) FROM crypto_analytics_mart;"
                       : ".open --readonly \(layout.silverDatabase.path)\nSELECT count(*) > 0 FROM coin_prices;"
        }.joined(separator: "\n") + "\n"
        var reads = 0
        var answers = Set<String>()
        var errors: [String] = []
        var builds = 0
        let log = warehouse.root.url.appendingPathComponent("build.log")
        while reads < 2_000 && builds < 6 {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let build = try warehouse.cli.start(["materialize", "--all", "--refresh", "--root", warehouse.root.path],
                                                stderr: try FileHandle(forWritingTo: log))
            builds += 1
            // Reads start once the run has opened its databases (its first asset has started): the
            // instant two processes open a database nobody has open is SQLite's, see docs/promises.md.
            while build.isRunning, !((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("[1/") {
                Thread.sleep(forTimeInterval: 0.005)
            }
            while build.isRunning {
                let shell = try Shell.run("sqlite3", input: queries)
                let lines = shell.stdout.split(separator: "\n").map(String.init)
                reads += lines.count
                answers.formUnion(lines)
                errors += shell.stderr.split(separator: "\n").map(String.init)
            }
            XCTAssertEqual(build.terminationStatus, 0)
        }
        XCTAssertGreaterThanOrEqual(reads, 2_000, "the builds were too short to prove anything")
        XCTAssertEqual(errors.prefix(5), [], "\(errors.count) of \(reads + errors.count) reads failed")
        // Every answer is a whole table: the old one or the new one, never half.
        XCTAssertEqual(answers, ["\(expectedMart)", "1"])
    }
}
