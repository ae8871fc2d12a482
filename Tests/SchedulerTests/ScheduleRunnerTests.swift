import Foundation
import Pipeline
import Scheduler
import Warehouse
import WarehouseTestSupport
import XCTest

/// Three simulated days of `schedule run` on a real root: each job a real run against the
/// built-in emulator at the job's time, the requests counted at the emulator.
final class ScheduleRunnerTests: XCTestCase {
    func at(_ text: String) -> Date { ISO8601.parse(text)! }

    func testThreeDaysFireOnTimeCatchUpOnceNeverOverlapAndFetchOnlyWhatExpired() throws {
        let root = TemporaryRoot("schedule")
        let environment = ["EMULATOR_COINS": "12", "WAREHOUSE_UNIVERSE_SIZE": "12", "WAREHOUSE_HISTORY_DAYS": "30",
                           "WAREHOUSE_TICKERS": "AAPL", "WAREHOUSE_STOCK_HISTORY_DAYS": "60"]
        let schedules = [
            Schedule(name: "six_hourly", cron: try CronExpression(parsing: "0 */6 * * *"), select: ["+gold.crypto_analytics_mart"]),
            Schedule(name: "daily", cron: try CronExpression(parsing: "0 2 * * *"), select: ["+silver.stock_prices"]),
        ]
        var lines: [String] = []
        func runner(_ clock: SimulatedScheduleClock, slowDaily: Bool) -> ScheduleRunner {
            ScheduleRunner(layout: root.layout, schedules: schedules, clock: clock, pipeline: { time in
                // The first daily job takes seven hours: the 06:00 job waits for it.
                if slowDaily, time == self.at("2026-11-24T02:00:00Z") { clock.advance(by: 7 * 3600) }
                return try Pipeline(root: root.path, processEnvironment: environment, clock: WarehouseClock(fixed: time))
            }, log: { lines.append($0) })
        }
        // A day and a half, then the machine is down until 13:30 on the 25th, then a day more.
        let first = runner(SimulatedScheduleClock(start: at("2026-11-23T12:00:00Z"), end: at("2026-11-24T23:00:00Z")), slowDaily: true)
        try first.run()
        let second = runner(SimulatedScheduleClock(start: at("2026-11-25T13:30:00Z"), end: at("2026-11-26T12:00:00Z")), slowDaily: false)
        try second.run()
        let fires = first.fires + second.fires

        let expected: [(String, String, String, Bool)] = [  // schedule, scheduled, started, catch-up
            ("six_hourly", "2026-11-23T18:00:00Z", "2026-11-23T18:00:00Z", false),
            ("six_hourly", "2026-11-24T00:00:00Z", "2026-11-24T00:00:00Z", false),
            ("daily", "2026-11-24T02:00:00Z", "2026-11-24T09:00:00Z", false),      // recorded when it ended
            ("six_hourly", "2026-11-24T06:00:00Z", "2026-11-24T09:00:00Z", false), // after the long job, once
            ("six_hourly", "2026-11-24T12:00:00Z", "2026-11-24T12:00:00Z", false),
            ("six_hourly", "2026-11-24T18:00:00Z", "2026-11-24T18:00:00Z", false),
            ("daily", "2026-11-25T13:30:00Z", "2026-11-25T13:30:00Z", true),       // one catch-up for 02:00
            ("six_hourly", "2026-11-25T13:30:00Z", "2026-11-25T13:30:00Z", true),  // one for 00:00, 06:00 and 12:00
            ("six_hourly", "2026-11-25T18:00:00Z", "2026-11-25T18:00:00Z", false),
            ("six_hourly", "2026-11-26T00:00:00Z", "2026-11-26T00:00:00Z", false),
            ("daily", "2026-11-26T02:00:00Z", "2026-11-26T02:00:00Z", false),
            ("six_hourly", "2026-11-26T06:00:00Z", "2026-11-26T06:00:00Z", false),
        ]
        XCTAssertEqual(fires.map { "\($0.schedule) \(ISO8601.format($0.scheduled)) \(ISO8601.format($0.started)) \($0.catchUp)" },
                       expected.map { "\($0.0) \($0.1) \($0.2) \($0.3)" }, lines.joined(separator: "\n"))
        XCTAssertTrue(fires.allSatisfy { $0.succeeded && $0.runID != nil }, fires.filter { !$0.succeeded }.map(\.note).joined(separator: "\n"))

        // Each six-hourly job fetched exactly what had expired: the markets page after 6 h
        // (or on a new day), the coin list (fresh a day) only on a new day.
        let sixHourly = fires.filter { $0.schedule == "six_hourly" }
        XCTAssertEqual(sixHourly.map { $0.emulatorRequests["coingecko/markets"] ?? 0 }, [1, 1, 1, 0, 1, 1, 0, 1, 1], "\(sixHourly.map(\.emulatorRequests))")
        XCTAssertEqual(sixHourly.map { $0.emulatorRequests["coingecko/list"] ?? 0 }, [2, 2, 0, 0, 0, 2, 0, 2, 0])
        XCTAssertTrue(fires.filter { $0.schedule == "daily" }.allSatisfy { ($0.emulatorRequests["yahoo/chart"] ?? 0) > 0 && $0.emulatorRequests["coingecko/markets"] == nil })

        // Bronze kept every fetch: the 24th's markets page three times, none overwritten.
        let pages = try RawStore(layout: root.layout).snapshots(of: RawDataset(source: "coingecko", dataset: "markets"), on: Day(parsing: "2026-11-24")!)
        XCTAssertEqual(pages.map(\.key), ["page-1", "page-1@090000", "page-1@180000"])
        // The run log tells the scheduled runs apart, and no two overlapped.
        let runs = try RunLog.runs(in: try RunLog(layout: root.layout).database, limit: 50).reversed()
        XCTAssertEqual(runs.map { $0["trigger"]?.string }, fires.map { "schedule:\($0.schedule)" })
        XCTAssertEqual(Array(runs.map { $0["run_id"]?.string }), fires.map(\.runID))
        XCTAssertTrue(lines.contains { $0.contains("six_hourly: missed its run at 2026-11-25T00:00:00Z while down; running it once now") }, lines.joined(separator: "\n"))
    }

    func testASkipScheduleLetsGoOfFiresALongJobRanPast() throws {
        let root = TemporaryRoot("schedule-skip")
        let clock = SimulatedScheduleClock(start: at("2026-11-23T12:00:00Z"), end: at("2026-11-23T14:10:00Z"))
        let schedules = [Schedule(name: "often", cron: try CronExpression(parsing: "*/30 * * * *"), select: ["silver.coin_markets"], overlap: .skip)]
        let runner = ScheduleRunner(layout: root.layout, schedules: schedules, clock: clock, pipeline: { time in
            if time == self.at("2026-11-23T12:30:00Z") { clock.advance(by: 70 * 60) }  // runs to 13:40
            return try Pipeline(root: root.path, processEnvironment: [:], clock: WarehouseClock(fixed: time))
        }, log: { _ in })
        try runner.run()
        // 13:00 and 13:30 passed while the 12:30 job ran: let go; then 14:00.
        XCTAssertEqual(runner.fires.map { ISO8601.format($0.scheduled) }, ["2026-11-23T12:30:00Z", "2026-11-23T14:00:00Z"])
    }

    func testASkipScheduleLetsGoOfAFireAnotherJobRanPast() throws {
        let root = TemporaryRoot("schedule-skip-other")
        let clock = SimulatedScheduleClock(start: at("2026-11-23T12:00:00Z"), end: at("2026-11-23T13:10:00Z"))
        let schedules = [
            Schedule(name: "long", cron: try CronExpression(parsing: "15 * * * *"), select: ["silver.coin_markets"]),
            Schedule(name: "often", cron: try CronExpression(parsing: "*/30 * * * *"), select: ["silver.coin_markets"], overlap: .skip),
        ]
        let runner = ScheduleRunner(layout: root.layout, schedules: schedules, clock: clock, pipeline: { time in
            if time == self.at("2026-11-23T12:15:00Z") { clock.advance(by: 40 * 60) }  // runs to 12:55
            return try Pipeline(root: root.path, processEnvironment: [:], clock: WarehouseClock(fixed: time))
        }, log: { _ in })
        try runner.run()
        XCTAssertEqual(runner.fires.map { "\($0.schedule) \(ISO8601.format($0.scheduled)) \($0.runID == nil ? "let go" : "ran")" },
                       ["long 2026-11-23T12:15:00Z ran", "often 2026-11-23T12:30:00Z let go", "often 2026-11-23T13:00:00Z ran"])
    }
}
