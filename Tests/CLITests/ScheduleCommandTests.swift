import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// The scheduler as an operator meets it: the daemon starts and stops on SIGTERM, `list`
/// shows the next fires, `install` writes units systemd reads as the same times.
final class ScheduleCommandTests: XCTestCase {
    func write(_ toml: String, in root: TemporaryRoot) throws {
        try toml.write(to: root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
    }

    static let toml = """
        [[schedules]]
        name = "six_hourly"
        cron = "0 */6 * * *"
        select = ["tag:crypto+"]

        [[schedules]]
        name = "berlin_fridays"
        cron = "30 7 13 * fri"
        select = ["+gold.stock_features"]
        timezone = "Europe/Berlin"
        jitter = "2m"
        overlap = "skip"
        """

    func testTheDaemonStartsLogsAndStopsOnSIGTERM() throws {
        let root = TemporaryRoot("schedule-daemon")
        let cli = CLIRunner()
        let log = root.url.appendingPathComponent("daemon.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = try cli.start(["schedule", "run", "--root", root.path], stdout: handle, stderr: handle)
        var text = ""
        for _ in 0..<100 where !text.contains("scheduler started") {
            Thread.sleep(forTimeInterval: 0.1)
            text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        }
        XCTAssertTrue(text.contains("scheduler started") && text.contains("six_hourly (0 */6 * * *, next ") && text.contains("daily (0 2 * * *"), text)
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(try String(contentsOf: log, encoding: .utf8).contains("scheduler stopped"))
        // A schedule that cannot be read stops it before it starts, with exit 2.
        try write("[[schedules]]\nname = \"x\"\ncron = \"0 25 * * *\"\nselect = [\"a\"]\n", in: root)
        let refused = try cli.run(["schedule", "run", "--root", root.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("hour '25': 25 is outside 0-23"), refused.stderr)
    }

    func testListAndInstallAgreeWithSystemd() throws {
        let root = TemporaryRoot("schedule-install")
        try write(Self.toml, in: root)
        var cli = CLIRunner()
        cli.environment["WAREHOUSE_NOW"] = TestClock.nowText
        let listed = try XCTUnwrap(try cli.run(["schedule", "list", "--json", "--root", root.path]).json() as? [[String: Any]])
        XCTAssertEqual(listed.map { $0["name"] as? String }, ["six_hourly", "berlin_fridays"])
        XCTAssertEqual(listed[0]["next"] as? [String], ["2026-11-23T18:00:00Z", "2026-11-24T00:00:00Z", "2026-11-24T06:00:00Z"])
        // Friday or the 13th, 07:30 in Berlin (UTC+1 in winter): Fri 27th, Fri 4th, Fri 11th.
        XCTAssertEqual(listed[1]["next"] as? [String], ["2026-11-27T06:30:00Z", "2026-12-04T06:30:00Z", "2026-12-11T06:30:00Z"])

        let printed = try cli.run(["schedule", "install", "--systemd", "--root", root.path])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertTrue(printed.stdout.contains("OnCalendar=*-*-* 00,06,12,18:00:00 UTC"), printed.stdout)
        XCTAssertTrue(printed.stdout.contains("OnCalendar=Fri *-*-* 07:30:00 Europe/Berlin\nOnCalendar=*-*-13 07:30:00 Europe/Berlin\nRandomizedDelaySec=120"), printed.stdout)
        XCTAssertTrue(printed.stdout.contains("materialize +gold.stock_features --root \(root.url.standardizedFileURL.path) --quiet\n"), "skip: no --wait")
        XCTAssertTrue(printed.stdout.contains("materialize tag:crypto+ --root \(root.url.standardizedFileURL.path) --quiet --wait"), "queue: --wait")
        // systemd itself reads the timers as the times `schedule list` gives, where it is installed.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") {
            for (calendar, cronNext) in [("*-*-* 00,06,12,18:00:00 UTC", listed[0]["next"] as! [String])] {
                let analyzed = try Shell.run("systemd-analyze", ["calendar", "--iterations=3", "--base-time=2026-11-23 12:00:00 UTC", calendar])
                let times = analyzed.stdout.split(separator: "\n").compactMap { line -> String? in
                    guard line.contains("Next elapse:") || line.contains("Iter. #") else { return nil }
                    let words = line.split(separator: " ")
                    return "\(words[words.count - 3])T\(words[words.count - 2])Z"
                }
                XCTAssertEqual(times, cronNext, analyzed.stdout)
            }
        }
        let crontab = try cli.run(["schedule", "install", "--cron", "--root", root.path]).stdout
        XCTAssertTrue(crontab.contains("CRON_TZ=Europe/Berlin\n30 7 13 * fri mkdir -p"), crontab)

        // --write writes the units, and never over a file it did not write.
        let units = root.url.appendingPathComponent("units")
        XCTAssertEqual(try cli.run(["schedule", "install", "--systemd", "--write", units.path, "--root", root.path]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: units.appendingPathComponent("warehouse-six_hourly.timer").path))
        XCTAssertEqual(try cli.run(["schedule", "install", "--systemd", "--write", units.path, "--root", root.path]).status, 0, "its own files are rewritten")
        try "mine".write(to: units.appendingPathComponent("warehouse-berlin_fridays.service"), atomically: true, encoding: .utf8)
        let refused = try cli.run(["schedule", "install", "--systemd", "--write", units.path, "--root", root.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertEqual(try String(contentsOf: units.appendingPathComponent("warehouse-berlin_fridays.service"), encoding: .utf8), "mine")
    }
}
