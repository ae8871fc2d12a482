import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// `warehouse serve` as users run it: a real process on loopback, read by a real browser
/// (headless Chromium), by a load generator during a full build, and fuzzed by schemathesis
/// against its OpenAPI document.
final class ServeTests: XCTestCase {
    /// A running `warehouse serve` and where it listens.
    final class Served {
        let process: Process
        let port: Int
        let log: URL
        var base: String { "http://127.0.0.1:\(port)" }

        init(_ warehouse: EmulatedWarehouse, token: String? = nil) throws {
            log = warehouse.root.url.appendingPathComponent("serve-\(UUID().uuidString.prefix(6)).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            var cli = warehouse.cli
            if let token { cli.environment["WAREHOUSE_API_TOKEN"] = token }
            let handle = try FileHandle(forWritingTo: log)
            process = try cli.start(["serve", "--port", "0", "--root", warehouse.root.path], stdout: handle, stderr: handle)
            let deadline = Date().addingTimeInterval(30)
            var found: Int?
            while found == nil, Date() < deadline, process.isRunning {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: #"on http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                    found = Int(text[range].split(separator: ":").last!.dropLast())
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            guard let found else { throw NSError(domain: "serve", code: 1, userInfo: [NSLocalizedDescriptionKey: (try? String(contentsOf: log, encoding: .utf8)) ?? ""]) }
            port = found
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// A root built once for the class, from the emulator.
    nonisolated(unsafe) static var warehouse: EmulatedWarehouse!

    override class func setUp() {
        super.setUp()
        warehouse = try! EmulatedWarehouse("serve", coins: 40, extra: ["WAREHOUSE_UNIVERSE_SIZE": "30", "WAREHOUSE_HISTORY_DAYS": "200"])
        let run = try! warehouse.run(["materialize", "--all"])
        precondition(run.status == 0, run.stdout + run.stderr)
    }

    override class func tearDown() {
        warehouse = nil
        super.tearDown()
    }

    var profile: URL { Self.warehouse.root.url.appendingPathComponent("chromium") }

    func testEveryPageRendersInARealBrowserWithTheMartsNumbers() throws {
        XCTAssertNotNil(Chromium.path, "chromium is not installed; scripts/test.sh installs it")
        guard Chromium.path != nil else { return }
        let served = try Served(Self.warehouse)
        let gold = try Database(path: Self.warehouse.root.layout.goldDatabase.path, readOnly: true)
        let top = try XCTUnwrap(try gold.rows("SELECT coin_id, price FROM crypto_analytics_mart WHERE rank = 1").first)
        let runID = try XCTUnwrap(try RunLog(layout: Self.warehouse.root.layout).recentRuns().first?["run_id"]?.string)
        let pages: [(String, String, [String])] = [
            ("overview", "/", ["id=\"last-run\"", ">success<", "Fresh sources"]),
            ("assets", "/assets", ["data-asset=\"gold.crypto_analytics_mart\"", "data-state=\"ok\"", "<table id=\"assets\""]),
            ("asset", "/assets/gold.crypto_analytics_mart", ["<table id=\"columns\"", "<table id=\"sample\"", "market_cap_category"]),
            ("runs", "/runs", [runID]),
            ("run", "/runs/\(runID)", ["aria-label=\"run timeline\"", "<table id=\"run-assets\""]),
            ("markets", "/markets", ["id=\"coin-price\"", "<table id=\"analytics\"", "data-coin=\"\(top[0].string!)\"", "RSI 14"]),
            ("exchanges", "/exchanges", ["id=\"exchanges-empty\"", "warehouse collect"]),
            ("quality", "/quality", ["<table id=\"checks\"", "baseline_exists"]),
        ]
        let shots = (ProcessInfo.processInfo.environment["WAREHOUSE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
            ?? Self.warehouse.root.url.appendingPathComponent("screenshots"))
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        for (name, path, expected) in pages {
            let dom = try Chromium.dom(served.base + path, profile: profile)
            XCTAssertEqual(dom.status, 0, "\(path): \(dom.stderr.suffix(500))")
            for text in expected { XCTAssertTrue(dom.stdout.contains(text), "\(path) lacks \(text)") }
            XCTAssertFalse(dom.stdout.contains("not built yet") || dom.stdout.contains("internal error"), path)
            for (suffix, size) in [("", "1280,900"), ("-phone", "390,844")] where suffix.isEmpty || ["overview", "markets"].contains(name) {
                XCTAssertNoThrow(try Chromium.screenshot(served.base + path, to: shots.appendingPathComponent("\(name)\(suffix).png"), size: size, profile: profile))
            }
        }
        // The number in the page is the mart's: the top coin's price, as the table shows it.
        let markets = try Chromium.dom(served.base + "/markets", profile: profile).stdout
        let price = try XCTUnwrap(top[1].double)
        XCTAssertTrue(markets.contains("data-coin=\"\(top[0].string!)\"") && markets.contains("data-price=\"\(price)\""), "top coin \(top[0]) at \(price)")
        XCTAssertTrue(markets.contains("id=\"coin-price\" data-value=\""), "the coin header shows a price")
    }

    func testAThousandConcurrentReadsDuringAFullBuildAllSucceedWithWholeTables() throws {
        let served = try Served(Self.warehouse)
        let layout = Self.warehouse.root.layout
        let martRows = try XCTUnwrap(try Database(path: layout.goldDatabase.path, readOnly: true).scalar("SELECT count(*) FROM crypto_analytics_mart")?.int)
        let segments = try XCTUnwrap(try Database(path: layout.goldDatabase.path, readOnly: true).scalar("SELECT count(*) FROM market_segment_analysis")?.int)
        let build = try Self.warehouse.cli.start(["materialize", "--all", "--refresh", "--root", Self.warehouse.root.path])
        let paths = ["/api/v1/tables/gold.crypto_analytics_mart?limit=1000", "/api/v1/segments", "/api/v1/coins/bitcoin/history?window=7d",
                     "/api/v1/tables/silver.coin_prices?coin_id=bitcoin&limit=50", "/api/v1/assets"]
        let load = try PythonOracle("api_load.py").run([served.base, "1000", "32", "--pid", "\(build.processIdentifier)"] + paths)
        build.waitUntilExit()
        XCTAssertEqual(build.terminationStatus, 0)
        XCTAssertEqual(load.status, 0, load.text)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: load.stdoutData) as? [String: Any], load.text)
        XCTAssertEqual(report["requests"] as? Int, 1000)
        XCTAssertEqual(report["errors"] as? [String], [], "\(report)")
        XCTAssertGreaterThan(report["during_build"] as? Int ?? 0, 0, "the reads must overlap the build: \(report)")
        // Whole tables only: every page of the mart had every row, every segment list every segment.
        XCTAssertEqual(Set(report["mart_rows"] as? [Int] ?? []), [martRows])
        XCTAssertEqual(Set(report["segment_rows"] as? [Int] ?? []), [segments])
    }

    func testSchemathesisFindsNoServerErrorAndNoResponseOutsideTheSchema() throws {
        // Through python3, so a pip install outside PATH still runs.
        let schemathesis = ["-c", "from schemathesis.cli import schemathesis; schemathesis()"]
        XCTAssertEqual((try? Shell.run("python3", schemathesis + ["--version"]))?.status, 0, "schemathesis is not installed; scripts/test.sh installs it")
        let served = try Served(Self.warehouse, token: "fuzz-token")
        let examples = ProcessInfo.processInfo.environment["CI"] == nil ? "60" : "25"
        // One worker: CPython 3.11's ast.parse is not thread-safe, and hypothesis calls it while
        // describing strategies ("SystemError: AST constructor recursion depth mismatch" with two).
        let run = try Shell.run("python3", schemathesis + ["run", served.base + "/api/v1/openapi.json", "--checks",
                                                 "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection,unsupported_method",
                                                 "--max-examples", examples, "--workers", "1", "--seed", "20261202", "--header", "Authorization: Bearer fuzz-token"],
                             in: Self.warehouse.root.url) // its .schemathesis cache stays out of the clone
        XCTAssertEqual(run.status, 0, String(run.stdout.suffix(4000)))
        let summary = run.stdout.split(separator: "\n").first { $0.contains(" generated, ") } ?? ""
        print("schemathesis: \(summary.trimmingCharacters(in: .whitespaces))")
        XCTAssertTrue(summary.contains("passed"), run.stdout)
        XCTAssertFalse(try String(contentsOf: served.log, encoding: .utf8).contains("fuzz-token"), "the token is never logged")
    }
}
