import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// Alerts reach a loopback webhook receiver with the documented body; one that is down is
/// retried and recorded, and the run's exit status never changes.
final class AlertTests: XCTestCase {
    /// `Tests/Oracle/webhook_receiver.py`, running until the test ends.
    final class Receiver {
        let process = Process()
        let log: URL
        let port: Int

        init(in folder: URL, failFirst: Int) throws {
            log = folder.appendingPathComponent("webhook-\(UUID().uuidString.prefix(6)).jsonl")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", Fixtures.directory.deletingLastPathComponent().appendingPathComponent("Oracle/webhook_receiver.py").path, log.path, "\(failFirst)"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let port = Int(line) else { throw ReceiverError(output: line) }
            self.port = port
        }

        deinit { process.terminate() }

        var received: [[String: Any]] {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
    }

    struct ReceiverError: Error { let output: String }

    func alerts(_ warehouse: EmulatedWarehouse) throws -> [[String: SQLValue]] {
        try Database(path: warehouse.root.layout.runLogDatabase.path, readOnly: true).namedRows("SELECT alert, status, attempts, error, events FROM alerts ORDER BY id")
    }

    func testAFailingCheckSendsOneWebhookAndADownReceiverIsRetriedAndRecorded() throws {
        let warehouse = try EmulatedWarehouse("alerts", coins: 12)
        let first = try Receiver(in: warehouse.root.url, failFirst: 0)
        let flaky = try Receiver(in: warehouse.root.url, failFirst: 2)
        let dead = try Receiver(in: warehouse.root.url, failFirst: 0)
        let deadPort = dead.port
        dead.process.terminate()
        dead.process.waitUntilExit()
        let marker = warehouse.root.url.appendingPathComponent("exec-alert.json")
        try """
            [fetch]
            retry_base_seconds = 0.01

            [[alerts]]
            name = "team"
            on = ["check_failed", "run_failed"]
            url = "http://127.0.0.1:\(first.port)/hook"
            dashboard = "http://127.0.0.1:8080"

            [[alerts]]
            name = "flaky"
            on = ["check_failed"]
            url = "http://127.0.0.1:\(flaky.port)/hook"
            retries = 3

            [[alerts]]
            name = "down"
            on = ["check_failed"]
            url = "http://127.0.0.1:\(deadPort)/hook"
            retries = 2

            [[alerts]]
            name = "script"
            on = ["check_failed"]
            exec = "cat > '\(marker.path)'"

            [[alerts]]
            name = "only_drift"
            on = ["drift"]
            url = "http://127.0.0.1:\(first.port)/drift"
            """.write(to: warehouse.root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: warehouse.root.url.appendingPathComponent("checks"), withIntermediateDirectories: true)
        try """
            [[checks]]
            asset = "silver.coin_markets"
            name = "no_coin_over_a_dollar"
            check = "range(current_price, max=1)"
            """.write(to: warehouse.root.url.appendingPathComponent("checks/team.toml"), atomically: true, encoding: .utf8)

        let run = try warehouse.run(["materialize", "+silver.coin_markets", "--json"])
        XCTAssertEqual(run.status, 1, "the failing check fails the run, as it would without alerts")
        let runID = try XCTUnwrap((try run.json() as? [String: Any])?["run_id"] as? String)

        // One message, the documented body.
        let received = first.received
        XCTAssertEqual(received.count, 1, "\(received)")
        let body = try XCTUnwrap(received.first?["body"] as? [String: Any])
        XCTAssertEqual(received.first?["content_type"] as? String, "application/json")
        XCTAssertEqual(body["alert"] as? String, "team")
        XCTAssertEqual(body["events"] as? [String], ["run_failed", "check_failed"])
        XCTAssertEqual(body["run_id"] as? String, runID)
        XCTAssertEqual(body["status"] as? String, "failed")
        XCTAssertEqual(body["trigger"] as? String, "manual")
        XCTAssertEqual(body["link"] as? String, "http://127.0.0.1:8080/runs/\(runID)")
        XCTAssertEqual((body["assets"] as? [[String: Any]])?.map { $0["asset"] as? String }, ["silver.coin_markets"])
        let check = try XCTUnwrap((body["checks"] as? [[String: Any]])?.first)
        XCTAssertEqual(check["check"] as? String, "no_coin_over_a_dollar")
        XCTAssertEqual(check["status"] as? String, "error")
        XCTAssertGreaterThan(check["failing_rows"] as? Int ?? 0, 0)
        XCTAssertFalse((check["sample"] as? [String] ?? []).isEmpty, "a sample of the failing rows")

        // Retried until it took; a receiver that is down is given up on after its retries, and recorded.
        XCTAssertEqual(flaky.received.count, 3)
        let recorded = try alerts(warehouse)
        XCTAssertEqual(recorded.map { $0["alert"]?.string }, ["team", "flaky", "down", "script"], "drift did not happen: no message")
        XCTAssertEqual(recorded.map { $0["status"]?.string }, ["sent", "sent", "failed", "sent"])
        XCTAssertEqual(recorded.map { $0["attempts"]?.int }, [1, 3, 3, 1])
        XCTAssertNotNil(recorded[2]["error"]?.string)
        // The command got the same body on its standard input.
        let piped = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: marker)) as? [String: Any])
        XCTAssertEqual(piped["run_id"] as? String, runID)
        XCTAssertEqual(piped["alert"] as? String, "script")

        // A run with nothing to report sends nothing.
        try FileManager.default.removeItem(at: warehouse.root.url.appendingPathComponent("checks/team.toml"))
        XCTAssertEqual(try warehouse.run(["materialize", "+silver.coin_markets", "--quiet"]).status, 0)
        XCTAssertEqual(first.received.count, 1)
        XCTAssertEqual(try alerts(warehouse).count, 4)
    }

    func testAlertDeclarationsAreChecked() throws {
        let root = TemporaryRoot("alerts-settings")
        let file = root.url.appendingPathComponent("warehouse.toml")
        for (text, message) in [
            ("[[alerts]]\non = [\"explosion\"]\nurl = \"http://x\"\n", "line 2: [[alerts]] on: string(\"explosion\") is not an event"),
            ("[[alerts]]\non = [\"drift\"]\n", "an alert needs either url = (a webhook) or exec = (a command)"),
            ("[[alerts]]\non = [\"drift\"]\nurl = \"ftp://x\"\n", "'ftp://x' is not an http(s) URL"),
            ("[[alerts]]\non = [\"drift\"]\nexec = \"true\"\nretries = 50\n", "retries: must be a whole number from 0 to 10"),
        ] {
            try text.write(to: file, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try WarehouseSettings.load(root: root.url, environment: [:]), text) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
    }
}
