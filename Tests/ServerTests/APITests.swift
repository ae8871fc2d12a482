import Foundation
import Hummingbird
import HummingbirdTesting
import Pipeline
import Server
import Warehouse
import WarehouseTestSupport
import XCTest

/// The API end to end, each test body run twice: in memory against the router, and over
/// loopback against a live server, on a root the CLI built from the emulator.
final class APITests: XCTestCase {
    /// One built root for the whole class (building takes seconds).
    nonisolated(unsafe) static var warehouse: EmulatedWarehouse!

    override class func setUp() {
        super.setUp()
        warehouse = try! EmulatedWarehouse("api")
        let run = try! warehouse.run(["materialize", "--all"])
        precondition(run.status == 0, run.stdout + run.stderr)
    }

    override class func tearDown() {
        warehouse = nil
        super.tearDown()
    }

    func server(token: String? = "test-token", root: TemporaryRoot? = nil) throws -> WarehouseServer {
        let pipeline = try Pipeline(root: (root ?? Self.warehouse.root).path, processEnvironment: Self.warehouse.cli.environment)
        return try WarehouseServer(pipeline: pipeline, token: token)
    }

    /// Runs `body` against the router and over loopback.
    func bothWays(_ server: WarehouseServer, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        for setup in [TestingSetup.router, .live] {
            let application = Application(router: server.router())
            try await application.test(setup, body)
        }
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any], "\(response.status)")
    }

    static var gold: Database { try! Database(path: warehouse.root.layout.goldDatabase.path, readOnly: true) }

    func testCatalogueRunsAndChecks() async throws {
        let topPrice = try XCTUnwrap(Self.gold.scalar("SELECT price FROM crypto_analytics_mart WHERE rank = 1")?.double)
        try await bothWays(try server()) { client in
            try await client.execute(uri: "/api/v1/assets", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "application/json")
                let assets = try XCTUnwrap(try Self.json(response)["assets"] as? [[String: Any]])
                XCTAssertEqual(assets.count, 40)
                let mart = try XCTUnwrap(assets.first { $0["asset"] as? String == "gold.crypto_analytics_mart" })
                XCTAssertEqual(mart["stale"] as? Bool, false)
                XCTAssertEqual((mart["last_materialization"] as? [String: Any])?["status"] as? String, "complete")
            }
            try await client.execute(uri: "/api/v1/graph", method: .get) { response in
                let graph = try Self.json(response)
                XCTAssertEqual((graph["nodes"] as? [Any])?.count, 40)
                XCTAssertTrue((graph["edges"] as? [[String: String]])?.contains { $0["from"] == "silver.coin_prices" && $0["to"] == "gold.coin_daily_features" } ?? false)
            }
            try await client.execute(uri: "/api/v1/graph?format=mermaid", method: .get) { response in
                XCTAssertTrue(String(buffer: response.body).hasPrefix("graph LR"))
            }
            let runID = try await client.execute(uri: "/api/v1/runs", method: .get) { response -> String in
                let runs = try XCTUnwrap(try Self.json(response)["runs"] as? [[String: Any]])
                XCTAssertEqual(runs.first?["status"] as? String, "success")
                return try XCTUnwrap(runs.first?["run_id"] as? String)
            }
            try await client.execute(uri: "/api/v1/runs/\(runID)", method: .get) { response in
                let run = try Self.json(response)
                XCTAssertEqual((run["assets"] as? [Any])?.count, 40)
                XCTAssertGreaterThan((run["checks"] as? [Any])?.count ?? 0, 30)
            }
            try await client.execute(uri: "/api/v1/checks", method: .get) { response in
                let checks = try XCTUnwrap(try Self.json(response)["checks"] as? [[String: Any]])
                XCTAssertTrue(checks.contains { $0["check"] as? String == "baseline_exists" && $0["status"] as? String == "warn" })
            }
            try await client.execute(uri: "/api/v1/analytics", method: .get) { response in
                let rows = try XCTUnwrap(try Self.json(response)["crypto_analytics_mart"] as? [[String: Any]])
                XCTAssertEqual(rows.first?["price"] as? Double, topPrice)
            }
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                let health = try Self.json(response)
                XCTAssertEqual((health["sources"] as? [Any])?.count, 13, "ten API datasets and three venues' streams")
                // Each source is judged by the freshness its runs refetch by.
                let markets = (health["sources"] as? [[String: Any]])?.first { $0["dataset"] as? String == "coingecko/markets" }
                XCTAssertEqual(markets?["policy_seconds"] as? Int, WarehouseSettings().freshness(of: "coingecko_markets"), "\(markets ?? [:])")
                XCTAssertEqual((health["failed_checks"] as? [Any])?.count, 0)
                XCTAssertGreaterThan(((health["disk"] as? [String: Int])?["raw_bytes"]) ?? 0, 1000)
            }
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                XCTAssertEqual(try Self.json(response)["openapi"] as? String, "3.0.3")
            }
            try await client.execute(uri: "/api/v1/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                func value(_ series: String) -> Double? {
                    text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
                }
                // The same server answers both ways, so its counts grow by one round each time.
                XCTAssertGreaterThanOrEqual(value("warehouse_api_requests_total{route=\"/api/v1/assets\",status=\"200\"}") ?? 0, 1, text)
                XCTAssertEqual(value("warehouse_runs_total{status=\"success\"}"), 1, text)
                let graphs = value("warehouse_api_request_duration_seconds_count{route=\"/api/v1/graph\"}") ?? 0
                XCTAssertEqual(value("warehouse_api_request_duration_seconds_bucket{route=\"/api/v1/graph\",le=\"+Inf\"}"), graphs)
                XCTAssertGreaterThanOrEqual(graphs, 2, "two graph requests each round")
            }
        }
    }

    func testTablesFilterOrderAndPageByKeyset() async throws {
        let bitcoin = try Self.gold.rows("SELECT date, close FROM coin_daily_features WHERE coin_id = 'bitcoin' ORDER BY date DESC")
        XCTAssertGreaterThan(bitcoin.count, 50)
        try await bothWays(try server()) { client in
            // Every page of 7, newest first, joined, is the whole series in order: no overlap, no gap.
            var dates: [String] = []
            var after: String?
            var pages = 0
            repeat {
                let uri = "/api/v1/tables/gold.coin_daily_features?coin_id=bitcoin&order=-date&limit=7" + (after.map { "&after=\($0)" } ?? "")
                after = try await client.execute(uri: uri, method: .get) { response -> String? in
                    XCTAssertEqual(response.status, .ok, String(buffer: response.body))
                    let page = try Self.json(response)
                    dates += (page["rows"] as? [[String: Any]] ?? []).compactMap { $0["date"] as? String }
                    return page["next"] as? String
                }
                pages += 1
            } while after != nil && pages < 100
            XCTAssertEqual(dates, bitcoin.compactMap { $0[0].string })
            try await client.execute(uri: "/api/v1/tables/gold.coin_daily_features?coin_id=bitcoin&date__gte=\(bitcoin[9][0].string!)&date__lt=\(bitcoin[2][0].string!)", method: .get) { response in
                XCTAssertEqual((try Self.json(response)["rows"] as? [Any])?.count, 7)
            }
            try await client.execute(uri: "/api/v1/tables/gold.crypto_analytics_mart/schema", method: .get) { response in
                let schema = try Self.json(response)
                XCTAssertEqual(schema["primary_key"] as? [String], ["coin_id"])
                let columns = try XCTUnwrap(schema["columns"] as? [[String: Any]])
                XCTAssertEqual(columns.first { $0["name"] as? String == "rank" }?["type"] as? String, "INTEGER")
                XCTAssertTrue(((schema["indexes"] as? [[String: Any]]) ?? []).contains { ($0["columns"] as? [String]) == ["rank"] }, "\(schema)")
            }
            try await client.execute(uri: "/api/v1/latest/silver.coin_prices?coin_id=bitcoin", method: .get) { response in
                let rows = try XCTUnwrap(try Self.json(response)["rows"] as? [[String: Any]])
                XCTAssertEqual(rows.count, 1)
            }
            try await client.execute(uri: "/api/v1/coins/bitcoin/history?window=24h", method: .get) { response in
                let history = try Self.json(response)
                let points = try XCTUnwrap(history["points"] as? [[String: Any]])
                XCTAssertGreaterThanOrEqual(points.count, 24)
                let times = points.compactMap { $0["ts"] as? Int }
                XCTAssertEqual(times, times.sorted())
                XCTAssertLessThanOrEqual((times.last ?? 0) - (times.first ?? 0), 86_400_000)
            }
            try await client.execute(uri: "/api/v1/coins/bitcoin/history?window=all", method: .get) { response in
                XCTAssertLessThanOrEqual((try Self.json(response)["points"] as? [Any])?.count ?? 0, 1_000, "long windows are thinned")
            }
        }
    }

    func testBadRequestsAreJSONErrorsThatNameTheParameterAndTheFix() async throws {
        try await bothWays(try server()) { client in
            let cases: [(String, HTTPResponse.Status, String)] = [
                ("/api/v1/tables/gold.crypto_analytics_mart?limit=10001", .badRequest, "bad parameter: limit"),
                ("/api/v1/tables/gold.crypto_analytics_mart?limit=0", .badRequest, "bad parameter: limit"),
                ("/api/v1/tables/gold.crypto_analytics_mart?order=price", .badRequest, "bad parameter: order"),
                ("/api/v1/tables/gold.crypto_analytics_mart?prise=1", .badRequest, "bad parameter: prise"),
                ("/api/v1/tables/gold.crypto_analytics_mart?price__gte=1", .badRequest, "bad parameter: price__gte"),
                ("/api/v1/tables/gold.crypto_analytics_mart?after=bm9wZQ", .badRequest, "bad parameter: after"),
                ("/api/v1/tables/gold.crypto_analytcs_mart", .notFound, "unknown asset: gold.crypto_analytcs_mart"),
                ("/api/v1/tables/bronze.coingecko_markets", .notFound, "unknown asset"),
                ("/api/v1/coins/bitcoin/history?window=2w", .badRequest, "bad parameter: window"),
                ("/api/v1/coins/no-such-coin/history", .notFound, "not found"),
                ("/api/v1/runs/nope", .notFound, "not found"),
                ("/api/v1/graph?format=png", .badRequest, "bad parameter: format"),
                ("/api/v1/nothing-here", .notFound, "not found"),
            ]
            for (uri, status, error) in cases {
                try await client.execute(uri: uri, method: .get) { response in
                    XCTAssertEqual(response.status, status, uri)
                    let body = try Self.json(response)
                    XCTAssertTrue((body["error"] as? String)?.hasPrefix(error) ?? false, "\(uri): \(body)")
                    XCTAssertNotNil(body["detail"] as? String, uri)
                    XCTAssertTrue(body.keys.contains("fix"), uri)
                }
            }
            try await client.execute(uri: "/api/v1/tables/gold.crypto_analytcs_mart", method: .get) { response in
                XCTAssertTrue((try Self.json(response)["detail"] as? String)?.contains("gold.crypto_analytics_mart") ?? false, "close matches are named")
            }
            try await client.execute(uri: "/api/v1/assets", method: .delete) { response in
                XCTAssertEqual(response.status, .methodNotAllowed)
                XCTAssertEqual(response.headers[.allow], "GET")
            }
        }
    }

    func testInjectionAttemptsAreRefusedOrHarmless() async throws {
        let before = try Self.gold.rows("SELECT name FROM sqlite_master ORDER BY name")
        let rows = try Self.gold.scalar("SELECT count(*) FROM crypto_analytics_mart")
        let payloads = ["' OR '1'='1", "1; DROP TABLE crypto_analytics_mart; --", "\" OR 1=1 --", "x') UNION SELECT sql FROM sqlite_master --", "%27%20OR%201%3D1"]
        try await bothWays(try server()) { client in
            for payload in payloads {
                let encoded = payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                for uri in ["/api/v1/tables/gold.crypto_analytics_mart?coin_id=\(encoded)", "/api/v1/tables/gold.crypto_analytics_mart?\(encoded)=1",
                            "/api/v1/tables/gold.crypto_analytics_mart?order=\(encoded)", "/api/v1/tables/\(encoded)",
                            "/api/v1/tables/gold.crypto_analytics_mart?after=\(Data("[\"\(payload)\"]".utf8).base64EncodedString())",
                            "/api/v1/latest/silver.coin_prices?coin_id=\(encoded)", "/api/v1/coins?search=\(encoded)",
                            "/api/v1/coins/\(encoded)/history", "/api/v1/dashboard/\(encoded)", "/api/v1/stocks/\(encoded)", "/api/v1/rejects?asset=\(encoded)"] {
                    try await client.execute(uri: uri, method: .get) { response in
                        XCTAssertNotEqual(response.status.code / 100, 5, "\(uri): \(String(buffer: response.body))")
                        guard response.status == .ok, let body = try? Self.json(response), let rows = body["rows"] as? [[String: Any]] else { return }
                        if uri.contains("after=") {
                            // A cursor is only a position: the payload is compared, never run.
                            XCTAssertTrue(rows.allSatisfy { ($0["coin_id"] as? String ?? "") > payload }, uri)
                        } else {
                            XCTAssertEqual(rows.count, 0, "a payload selected rows: \(uri)")
                        }
                    }
                }
            }
        }
        XCTAssertEqual(try Self.gold.rows("SELECT name FROM sqlite_master ORDER BY name"), before)
        XCTAssertEqual(try Self.gold.scalar("SELECT count(*) FROM crypto_analytics_mart"), rows)
    }

    func testStartingARunNeedsTheTokenAndOneRunsAtATime() async throws {
        let readOnly = try server(token: nil)
        let request = ByteBuffer(string: #"{"select": ["silver.coin_markets"], "refresh": false}"#)
        try await Application(router: readOnly.router()).test(.router) { client in
            try await client.execute(uri: "/api/v1/runs", method: .post, headers: [.authorization: "Bearer anything"], body: request) { response in
                XCTAssertEqual(response.status, .unauthorized, "with no token configured the server is read-only")
            }
        }
        let root = TemporaryRoot("api-run")
        try Self.warehouse.root.copyRaw(to: root)
        let writable = try server(root: root)
        try await Application(router: writable.router()).test(.router) { client in
            for headers: HTTPFields in [[:], [.authorization: "Bearer wrong-token"], [.authorization: "test-token"]] {
                try await client.execute(uri: "/api/v1/runs", method: .post, headers: headers, body: request) { response in
                    XCTAssertEqual(response.status, .unauthorized)
                }
            }
            let auth: HTTPFields = [.authorization: "Bearer test-token"]
            try await client.execute(uri: "/api/v1/runs", method: .post, headers: auth, body: ByteBuffer(string: #"{"select": ["silver.nope"]}"#)) { response in
                XCTAssertEqual(response.status, .badRequest)
            }
            let runID = try await client.execute(uri: "/api/v1/runs", method: .post, headers: auth,
                                                 body: ByteBuffer(string: #"{"select": ["+gold.crypto_analytics_mart"]}"#)) { response -> String in
                XCTAssertEqual(response.status, .accepted, String(buffer: response.body))
                return try XCTUnwrap(try Self.json(response)["run_id"] as? String)
            }
            try await client.execute(uri: "/api/v1/runs", method: .post, headers: auth, body: request) { response in
                XCTAssertEqual(response.status, .conflict)
                XCTAssertTrue((try Self.json(response)["detail"] as? String)?.contains(runID) ?? false)
            }
            var status = ""
            for _ in 0..<600 where status != "success" && status != "failed" {
                try await Task.sleep(nanoseconds: 100_000_000)
                status = try await client.execute(uri: "/api/v1/runs/\(runID)", method: .get) { try Self.json($0)["status"] as? String ?? "" }
            }
            XCTAssertEqual(status, "success")
            try await client.execute(uri: "/api/v1/tables/gold.crypto_analytics_mart?limit=1", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
            }
        }
        let log = try RunLog(layout: root.layout).recentRuns().compactMap { $0["command"]?.string }.joined()
        XCTAssertFalse(log.contains("test-token"), "the token is never written")
    }

    func testAnEmptyRootAnswersNotBuiltYet() async throws {
        let empty = TemporaryRoot("api-empty")
        try await Application(router: try server(root: empty).router()).test(.router) { client in
            try await client.execute(uri: "/api/v1/tables/gold.crypto_analytics_mart", method: .get) { response in
                XCTAssertEqual(response.status, .serviceUnavailable)
                XCTAssertEqual(try Self.json(response)["error"] as? String, "not built yet")
            }
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                XCTAssertEqual(try Self.json(response)["status"] as? String, "empty")
            }
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertEqual(response.status, .ok, "the overview says there is no run yet")
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: empty.path), [], "serving an empty root writes nothing")
    }
}
