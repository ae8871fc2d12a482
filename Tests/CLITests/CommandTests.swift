import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// The CLI's verbs, flags, outputs and exit codes.
final class CommandTests: XCTestCase {
    func testPlanListsEveryAssetWithItsReasonAndWritesNothing() throws {
        let warehouse = try EmulatedWarehouse("plan")
        let plan = try warehouse.run(["materialize", "--all", "--plan"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("  1. run   bronze.binance_ws_ticker"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains(". run   bronze.coingecko_coins_list"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("40 to run, 0 up to date."), plan.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: warehouse.root.path), [])
        XCTAssertEqual(warehouse.emulator.requestCount, 0)

        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)
        // Another tool drops a new snapshot in: silver.coin_prices and everything after it would rebuild.
        try ForeignRawWriter.write(ForeignRawWriter.marketChart([.init(1_795_000_000_000, 5, 5, 5)]), root: warehouse.root,
                                   day: "2026-11-23", dataset: "coingecko/market_chart", key: "newcoin")
        let json = try warehouse.run(["materialize", "silver.coin_prices+", "--plan", "--json"])
        let steps = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: String]]
        XCTAssertEqual(steps.map { $0["asset"]! }, ["silver.coin_prices", "gold.coin_daily_features", "gold.crypto_analytics_mart", "gold.dashboard_dataset",
                                                     "gold.market_segment_analysis", "gold.universe_membership", "gold.research_dataset"])
        XCTAssertEqual(steps[0]["reason"], "input changed: raw:coingecko/market_chart")
        XCTAssertEqual(steps[1]["reason"], "upstream will be rebuilt: silver.coin_prices")
        XCTAssertEqual(Set(steps.map { $0["action"]! }), ["run"])
        let plain = try warehouse.run(["materialize", "silver.coin_markets", "--plan"])
        XCTAssertTrue(plain.stdout.contains("skip  silver.coin_markets"), plain.stdout)
    }

    func testUserErrorsExitTwoWithAMessageThatSaysWhatToDo() throws {
        let warehouse = try EmulatedWarehouse("usage")
        let typo = try warehouse.run(["materialize", "silver.coin_prics"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("Did you mean silver.coin_prices?"), typo.stderr)
        let badDay = try warehouse.run(["materialize", "--all", "--partition", "2026-13-01"])
        XCTAssertEqual(badDay.status, 2)
        XCTAssertTrue(badDay.stderr.contains("--partition: '2026-13-01' is not a YYYY-MM-DD date"), badDay.stderr)
        let nothing = try warehouse.run(["materialize"])
        XCTAssertEqual(nothing.status, 2)
        XCTAssertTrue(nothing.stderr.contains("--all"), nothing.stderr)
        var broken = warehouse.cli
        broken.environment["WAREHOUSE_HISTORY_DAYS"] = "lots"
        let setting = try broken.run(["assets", "--root", warehouse.root.path])
        XCTAssertEqual(setting.status, 2)
        XCTAssertTrue(setting.stderr.contains("WAREHOUSE_HISTORY_DAYS: 'lots' is not a whole number"), setting.stderr)
        XCTAssertFalse(setting.stderr.contains("Fatal error"), setting.stderr)
        let unknown = try warehouse.run(["frobnicate"])
        XCTAssertEqual(unknown.status, 2)

        // Something broken on disk is not a usage error: exit 1, naming the file.
        try Data("not a database".utf8).write(to: warehouse.root.layout.silverDatabase)
        let damaged = try warehouse.run(["assets"])
        XCTAssertEqual(damaged.status, 1, damaged.stderr)
        XCTAssertTrue(damaged.stderr.hasPrefix("warehouse: error: ") && damaged.stderr.contains(warehouse.root.layout.silverDatabase.path), damaged.stderr)
    }

    func testAFailingMartKeepsItsPreviousVersionAndTheRestOfTheRunCompletes() throws {
        let warehouse = try EmulatedWarehouse("failing")
        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)
        let goldPath = warehouse.root.layout.goldDatabase.path
        let segmentsBefore = try TableDump.rows(goldPath, "market_segment_analysis", orderBy: "market_cap_category")

        // Edited SQL, tried through WAREHOUSE_SQL_DIR. A mistake SQLite's parser sees is named
        // before anything runs (exit 2, the file and line).
        let sqlDir = warehouse.root.url.appendingPathComponent("sql-edit")
        try FileManager.default.copyItem(at: Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sql").resolvingSymlinksInPath(), to: sqlDir)
        let broken = sqlDir.appendingPathComponent("market_segment_analysis.sql")
        let original = try String(contentsOf: broken, encoding: .utf8)
        try original.replacingOccurrences(of: "avg(change_7d_pct)", with: "avg(no_such_column)").write(to: broken, atomically: true, encoding: .utf8)
        var cli = warehouse.cli
        cli.environment["WAREHOUSE_SQL_DIR"] = sqlDir.path
        let refused = try cli.run(["materialize", "gold.*", "--root", warehouse.root.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("market_segment_analysis.sql line "), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("no such column: no_such_column"), refused.stderr)
        XCTAssertEqual(refused.stdout, "", "nothing ran")

        // One only the data breaks (a category twice, against the primary key) fails that mart
        // at build time; the rest of the run completes and the mart keeps its previous version.
        try original.replacingOccurrences(of: "GROUP BY market_cap_category", with: "GROUP BY market_cap_category, rank").write(to: broken, atomically: true, encoding: .utf8)
        let result = try cli.run(["materialize", "gold.*", "--root", warehouse.root.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertNotNil(result.stdout.range(of: "gold.market_segment_analysis +failed", options: .regularExpression), result.stdout)
        XCTAssertTrue(result.stdout.contains("UNIQUE constraint failed"), result.stdout)
        XCTAssertNotNil(result.stdout.range(of: "gold.coin_daily_features +skipped", options: .regularExpression), result.stdout)
        XCTAssertEqual(try TableDump.rows(goldPath, "market_segment_analysis", orderBy: "market_cap_category"), segmentsBefore)
    }

    /// Scripts rely on these: a version, a quiet mode that prints the `Done.` line alone, and
    /// JSON from every command that reports something.
    func testVersionQuietAndJSONForScripts() throws {
        let warehouse = try EmulatedWarehouse("scripts", coins: 12)
        let version = try warehouse.cli.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("warehouse "), version.stdout)
        let quiet = try warehouse.run(["materialize", "+silver.coin_markets", "--quiet"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        // Two assets built and their checks passed, nothing else printed.
        let counts = quiet.stdout.dropFirst("Done. ".count).dropLast().split(separator: " ").map { $0.split(separator: "=") }
        XCTAssertTrue(quiet.stdout.hasPrefix("Done. ") && quiet.stdout.filter { $0 == "\n" }.count == 1, quiet.stdout)
        XCTAssertEqual(counts.map { String($0[0]) }, ["PASS", "WARN", "ERROR", "SKIP", "TOTAL"])
        XCTAssertGreaterThanOrEqual(Int(counts[0][1]) ?? 0, 2)
        XCTAssertEqual(counts[0][1], counts[4][1], "everything passed")
        XCTAssertEqual(quiet.stderr, "", "no progress in quiet mode")
        let listed = try XCTUnwrap(try warehouse.run(["ls", "+silver.coin_markets", "--json"]).json() as? [[String: Any]])
        XCTAssertEqual(listed.map { $0["asset"] as? String }, ["bronze.coingecko_markets", "silver.coin_markets"])
        let graph = try XCTUnwrap(try warehouse.run(["graph", "--json"]).json() as? [String: [[String: String]]])
        XCTAssertTrue(graph["edges"]?.contains(["from": "bronze.coingecko_markets", "to": "silver.coin_markets"]) ?? false)
        let exported = try XCTUnwrap(try warehouse.run(["export", "silver.coin_markets", "--format", "csv", "--json"]).json() as? [String: Any])
        XCTAssertEqual(exported["rows"] as? Int, try Database(path: warehouse.root.layout.silverDatabase.path, readOnly: true).scalar("SELECT count(*) FROM coin_markets")?.int)
        let raw = try XCTUnwrap(try warehouse.run(["raw", "ls", "--json"]).json() as? [[String: Any]])
        let path = try XCTUnwrap(raw.first?["path"] as? String)
        let shown = try XCTUnwrap(try warehouse.run(["raw", "show", path, "--json", "--bytes", "0"]).json() as? [String: Any])
        XCTAssertEqual(shown["bytes"] as? Int, (shown["body"] as? String)?.utf8.count)
        XCTAssertNotNil((shown["meta"] as? [String: Any])?["sha256"], "\(shown.keys)")
    }

    func testAssetsRunsRawAndGraphOutputs() throws {
        let warehouse = try EmulatedWarehouse("outputs")
        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)

        let assets = try JSONSerialization.jsonObject(with: Data(try warehouse.run(["assets", "--json"]).stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(assets.count, 40)
        for asset in assets {
            XCTAssertEqual(asset["stale"] as? Bool, false, "\(asset)")
            XCTAssertNotNil((asset["last_materialization"] as? [String: Any])?["rows"])
        }
        let prices = assets.first { $0["asset"] as? String == "silver.coin_prices" }!
        XCTAssertEqual(prices["upstreams"] as? [String], ["bronze.coingecko_market_chart"])
        XCTAssertEqual(prices["layer"] as? String, "silver")

        let runs = try JSONSerialization.jsonObject(with: Data(try warehouse.run(["runs", "--json"]).stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0]["status"] as? String, "success")
        XCTAssertEqual(runs[0]["assets_run"] as? Int, 40)
        XCTAssertEqual(runs[0]["requests"] as? Int, warehouse.emulator.requestCount)

        let listing = try JSONSerialization.jsonObject(with: Data(try warehouse.run(["raw", "ls", "bronze.coingecko_markets", "--json"]).stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(listing.map { $0["path"] as? String }, ["raw/2026-11-23/coingecko/markets/page-1.json"])
        let show = try warehouse.run(["raw", "show", "raw/2026-11-23/coingecko/markets/page-1.json", "--bytes", "100"])
        XCTAssertEqual(show.status, 0)
        XCTAssertTrue(show.stdout.contains("\"sha256\""), show.stdout)
        XCTAssertTrue(show.stdout.contains("\"per_page\" : \"12\""), show.stdout)
        XCTAssertTrue(show.stdout.contains("[{\"id\":"), show.stdout)
        let missing = try warehouse.run(["raw", "show", "raw/2026-11-23/coingecko/markets/page-9.json"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("warehouse raw ls"), missing.stderr)

        let dot = try warehouse.run(["graph", "--format", "dot"])
        XCTAssertTrue(dot.stdout.contains("\"silver.coin_prices\" -> \"gold.coin_daily_features\";"), dot.stdout)
    }

    func testRawDiffComparesASnapshotWithItsPredecessorByIdentity() throws {
        let today = try EmulatedWarehouse("rawdiff")
        XCTAssertEqual(try today.run(["materialize", "bronze.coingecko_markets"]).status, 0)
        let first = try today.run(["raw", "diff", "raw/2026-11-23/coingecko/markets/page-1.json"])
        XCTAssertEqual(first.status, 2)
        XCTAssertTrue(first.stderr.contains("has no earlier snapshot"), first.stderr)

        let tomorrow = try EmulatedWarehouse(today, daysLater: 1)
        XCTAssertEqual(try tomorrow.run(["materialize", "bronze.coingecko_markets"]).status, 0)
        let result = try tomorrow.run(["raw", "diff", "raw/2026-11-24/coingecko/markets/page-1.json", "--json", "--limit", "0"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let diff = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(diff["old"] as? String, "raw/2026-11-23/coingecko/markets/page-1.json")
        let entries = try XCTUnwrap(diff["entries"] as? [[String: Any]])
        XCTAssertEqual(entries.count, diff["differences"] as? Int)
        // Prices moved for every coin, matched by id whatever its rank became.
        let store = RawStore(layout: today.root.layout)
        let page = { (day: String) -> [String: Double] in
            let snapshot = store.snapshot(of: RawDataset(source: "coingecko", dataset: "markets"), key: "page-1", on: Day(parsing: day)!)!
            return Dictionary(uniqueKeysWithValues: (try JSONValue.parse(try store.body(of: snapshot)).array ?? [])
                .compactMap { coin in coin["id"]?.text.flatMap { id in coin["current_price"]?.number.map { (id, $0) } } })
        }
        let before = try page("2026-11-23"), after = try page("2026-11-24")
        let moved = after.filter { id, price in before[id].map { $0 != price } ?? false }.keys
        XCTAssertFalse(moved.isEmpty)
        for id in moved {
            XCTAssertTrue(entries.contains { $0["path"] as? String == "$[id=\(id)].current_price" && $0["change"] as? String == "changed" }, id)
        }
        let explicit = try tomorrow.run(["raw", "diff", "raw/2026-11-23/coingecko/markets/page-1.json", "raw/2026-11-24/coingecko/markets/page-1.json", "--limit", "3"])
        XCTAssertTrue(explicit.stdout.contains(": \(entries.count) differences"), explicit.stdout)
        XCTAssertTrue(explicit.stdout.contains("more (--limit 0 shows all)"), explicit.stdout)
    }

    /// docs/architecture.md shows the graph the CLI prints; RECORD_GOLDEN=1 rewrites it.
    func testArchitecturePageShowsTheCurrentGraph() throws {
        let mermaid = try CLIRunner().run(["graph", "--format", "mermaid"]).stdout
        let page = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/architecture.md")
        let text = try String(contentsOf: page, encoding: .utf8)
        let start = try XCTUnwrap(text.range(of: "```mermaid\n")), end = try XCTUnwrap(text.range(of: "```", range: start.upperBound..<text.endIndex))
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try text.replacingCharacters(in: start.upperBound..<end.lowerBound, with: mermaid).write(to: page, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(String(text[start.upperBound..<end.lowerBound]), mermaid, "run the tests with RECORD_GOLDEN=1 to update docs/architecture.md")
    }
}
