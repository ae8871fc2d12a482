import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// BRIEF section 9: a killed run leaves the previous consistent version; one run per root.
final class CrashAndLockTests: XCTestCase {
    func testKillDuringSilverRebuildKeepsThePreviousTableAndARerunRecovers() throws {
        let warehouse = try EmulatedWarehouse("kill", coins: 40, extra: ["WAREHOUSE_HISTORY_DAYS": "500", "WAREHOUSE_UNIVERSE_SIZE": "30"])
        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)
        let silverPath = warehouse.root.layout.silverDatabase.path
        let before = try TableDump.rows(silverPath, "coin_prices", orderBy: "coin_id, ts")
        XCTAssertGreaterThan(before.count, 100_000)

        // Rebuild silver.coin_prices and kill -9 the process as soon as it says it is building.
        let log = warehouse.root.url.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = try warehouse.cli.start(["materialize", "silver.coin_prices", "--refresh", "--root", warehouse.root.path], stderr: handle)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("silver.coin_prices: building") {
            Thread.sleep(forTimeInterval: 0.01)
        }
        Thread.sleep(forTimeInterval: 0.15)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "the run finished before it could be killed; the test proves nothing")

        // A reader sees the previous table, whole.
        XCTAssertEqual(try TableDump.rows(silverPath, "coin_prices", orderBy: "coin_id, ts"), before)
        let runs = try RunLog(layout: warehouse.root.layout).recentRuns()
        XCTAssertEqual(runs.first?["status"]?.string, "running")

        // The next run marks the dead one abandoned, rebuilds, and gets the same content.
        let rerun = try warehouse.run(["materialize", "silver.coin_prices", "--refresh"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try TableDump.rows(silverPath, "coin_prices", orderBy: "coin_id, ts"), before)
        let statuses = try RunLog(layout: warehouse.root.layout).recentRuns().compactMap { $0["status"]?.string }
        XCTAssertEqual(statuses.filter { $0 == "abandoned" }.count, 1)
        XCTAssertFalse(try Database(path: silverPath).tableExists("coin_prices__build"))
    }

    func testASecondRunOnTheSameRootExitsTwoOrWaits() throws {
        let warehouse = try EmulatedWarehouse("lock")
        var lock: RootLock? = try RootLock(layout: warehouse.root.layout, wait: false)
        let refused = try warehouse.run(["materialize", "--all"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("another warehouse run (pid \(ProcessInfo.processInfo.processIdentifier)) is using this root"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--wait"), refused.stderr)
        XCTAssertEqual(warehouse.emulator.requestCount, 0)

        let waiting = try warehouse.cli.start(["materialize", "bronze.coingecko_coins_list", "--wait", "--root", warehouse.root.path])
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertTrue(waiting.isRunning, "a --wait run must wait for the lock")
        withExtendedLifetime(lock) {}
        lock = nil
        waiting.waitUntilExit()
        XCTAssertEqual(waiting.terminationStatus, 0)
        XCTAssertEqual(warehouse.emulator.requestCount, 2)
    }
}
