import Foundation
import Warehouse
import XCTest

/// The 5-field standard: ranges, steps, lists, names, the two day fields, macros, and time zones
/// with and without daylight saving time.
final class CronTests: XCTestCase {
    func at(_ text: String) -> Date { ISO8601.parse(text)! }
    let utc = TimeZone(identifier: "UTC")!

    func next(_ cron: String, after: String, zone: String = "UTC", count: Int = 1) throws -> [String] {
        let expression = try CronExpression(parsing: cron)
        var times: [String] = [], cursor = at(after)
        for _ in 0..<count {
            guard let fire = expression.next(after: cursor, in: TimeZone(identifier: zone)!) else { break }
            times.append(ISO8601.format(fire))
            cursor = fire
        }
        return times
    }

    func testFieldsStepsRangesListsAndNames() throws {
        // Strictly after: a fire time itself is not returned again.
        XCTAssertEqual(try next("0 */6 * * *", after: "2026-11-23T12:00:00Z", count: 3), ["2026-11-23T18:00:00Z", "2026-11-24T00:00:00Z", "2026-11-24T06:00:00Z"])
        XCTAssertEqual(try next("0 */6 * * *", after: "2026-11-23T11:59:30Z"), ["2026-11-23T12:00:00Z"])
        // Weekdays by name, a range with a step: 2026-11-27 is a Friday.
        XCTAssertEqual(try next("*/20 9-17/4 * * mon-fri", after: "2026-11-27T17:40:00Z", count: 4),
                       ["2026-11-30T09:00:00Z", "2026-11-30T09:20:00Z", "2026-11-30T09:40:00Z", "2026-11-30T13:00:00Z"])
        XCTAssertEqual(try next("15 3 1,15 jan,jul *", after: "2026-11-23T00:00:00Z", count: 3),
                       ["2027-01-01T03:15:00Z", "2027-01-15T03:15:00Z", "2027-07-01T03:15:00Z"])
        // 7 and 0 are Sunday; 2026-11-29 is one.
        XCTAssertEqual(try next("0 0 * * 7", after: "2026-11-23T00:00:00Z"), ["2026-11-29T00:00:00Z"])
        XCTAssertEqual(try next("0 0 * * sun", after: "2026-11-23T00:00:00Z"), ["2026-11-29T00:00:00Z"])
        // Both day fields restricted: either matches (the 13th, or a Friday).
        XCTAssertEqual(try next("0 0 13 * fri", after: "2026-11-23T00:00:00Z", count: 3), ["2026-11-27T00:00:00Z", "2026-12-04T00:00:00Z", "2026-12-11T00:00:00Z"])
        XCTAssertEqual(try next("0 0 13 * fri", after: "2026-12-11T00:00:00Z"), ["2026-12-13T00:00:00Z"])
        XCTAssertEqual(try next("@daily", after: "2026-11-23T12:00:00Z"), ["2026-11-24T00:00:00Z"])
        XCTAssertEqual(try next("@hourly", after: "2026-11-23T12:00:00Z"), ["2026-11-23T13:00:00Z"])
        XCTAssertEqual(try next("0 0 29 feb *", after: "2026-11-23T00:00:00Z"), ["2028-02-29T00:00:00Z"])
        XCTAssertEqual(try next("0 0 30 feb *", after: "2026-11-23T00:00:00Z"), [], "a day that never comes")
    }

    func testANamedTimeZoneWithDaylightSavingTime() throws {
        // 09:00 in New York is 14:00 UTC in winter, 13:00 once the clocks went forward (2026-03-08).
        XCTAssertEqual(try next("0 9 * * *", after: "2026-03-06T15:00:00Z", zone: "America/New_York", count: 3),
                       ["2026-03-07T14:00:00Z", "2026-03-08T13:00:00Z", "2026-03-09T13:00:00Z"])
        // 02:30 does not exist on 2026-03-08 in New York: that day does not fire.
        XCTAssertEqual(try next("30 2 * * *", after: "2026-03-07T08:00:00Z", zone: "America/New_York", count: 2),
                       ["2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"])
        // 01:30 happens twice on 2026-11-01: it fires once, at the first.
        XCTAssertEqual(try next("30 1 * * *", after: "2026-10-31T12:00:00Z", zone: "America/New_York", count: 2),
                       ["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"])
        // A zone without daylight saving time, east of UTC.
        XCTAssertEqual(try next("0 2 * * *", after: "2026-11-23T12:00:00Z", zone: "Asia/Kolkata"), ["2026-11-23T20:30:00Z"])
    }

    func testMistakesNameTheField() {
        let cases = [
            ("60 * * * *", "minute '60': 60 is outside 0-59"), ("* * *", "has 3 fields"), ("*/0 * * * *", "minute '*/0': step '0' is not a positive number"),
            ("0 5-1 * * *", "hour '5-1': range 5-1 runs backwards"), ("mon * * * *", "minute 'mon': 'mon' is not a number"),
            ("0 0 * foo *", "month 'foo': 'foo' is not a number or a name"), ("0 0 0 * *", "day of month '0': 0 is outside 1-31"), ("0,,5 * * * *", "an empty list item"),
        ]
        for (text, problem) in cases {
            XCTAssertThrowsError(try CronExpression(parsing: text), text) { XCTAssertTrue("\($0)".contains(problem), "\($0)") }
        }
    }

    func testSchedulesFromTheSettingsFile() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("schedules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("warehouse.toml")
        XCTAssertEqual(try WarehouseSettings.load(root: root, environment: [:]).schedules.map(\.name), ["six_hourly", "daily"], "the defaults")
        try """
            [[schedules]]
            name = "hourly_markets"
            cron = "5 * * * *"
            select = ["+gold.crypto_analytics_mart"]
            timezone = "Europe/Berlin"
            jitter = "30s"
            overlap = "skip"
            """.write(to: file, atomically: true, encoding: .utf8)
        let schedules = try WarehouseSettings.load(root: root, environment: [:]).schedules
        XCTAssertEqual(schedules.map(\.name), ["hourly_markets"])
        XCTAssertEqual(schedules[0].timeZone.identifier, "Europe/Berlin")
        XCTAssertEqual(schedules[0].jitterSeconds, 30)
        XCTAssertEqual(schedules[0].overlap, .skip)
        for (text, message) in [
            ("[[schedules]]\nname = \"x\"\ncron = \"61 * * * *\"\nselect = [\"a\"]\n", "line 3: [[schedules]] cron: cron '61 * * * *' minute '61'"),
            ("[[schedules]]\nname = \"x\"\ncron = \"0 * * * *\"\n", "[[schedules]] select: schedule x needs select"),
            ("[[schedules]]\nname = \"x\"\ncron = \"0 * * * *\"\nselect = [\"a\"]\ntimezone = \"Mars/Olympus\"\n", "'Mars/Olympus' is not a time zone"),
            ("[[schedules]]\nname = \"x\"\ncron = \"0 * * * *\"\nselect = [\"a\"]\novelap = \"skip\"\n", "line 5: [[schedules]] ovelap: is not a key of a schedule"),
        ] {
            try text.write(to: file, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try WarehouseSettings.load(root: root, environment: [:]), text) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
    }
}
