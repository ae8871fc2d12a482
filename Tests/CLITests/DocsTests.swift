import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// BI tools as they are: friendly views in gold, column descriptions beside the assets, and
/// Datasette's metadata that shows them and hides the bookkeeping tables.
final class DocsTests: XCTestCase {
    func testViewsDescriptionsAndDatasetteMetadata() throws {
        let warehouse = try EmulatedWarehouse("docs")
        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)
        let gold = try Database(path: warehouse.root.layout.goldDatabase.path, readOnly: true)
        XCTAssertEqual(try gold.rows("SELECT price FROM top_coins LIMIT 1"), try gold.rows("SELECT price FROM crypto_analytics_mart WHERE rank = 1"))
        XCTAssertEqual(try gold.scalar("SELECT count(*) FROM coin_history"), try gold.scalar("SELECT count(*) FROM coin_daily_features"))
        XCTAssertGreaterThan(try gold.scalar("SELECT count(*) FROM coin_history WHERE universe_rank IS NOT NULL")?.int ?? 0, 0)
        for view in ["market_segments", "stock_history", "latest_drift"] { XCTAssertNoThrow(try gold.rows("SELECT * FROM \(view) LIMIT 1"), view) }

        let markdown = try warehouse.run(["docs", "--format", "markdown"])
        XCTAssertEqual(markdown.status, 0)
        XCTAssertTrue(markdown.stdout.contains("## gold.research_dataset"), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains("| `forward_return_7d` | return to 7 days later |"), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains("| `top_coins` |"), markdown.stdout)

        let metadata = try warehouse.run(["docs", "--datasette"])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(metadata.stdout.utf8)) as? [String: Any])
        let databases = try XCTUnwrap(json["databases"] as? [String: [String: Any]])
        let goldTables = try XCTUnwrap(databases["gold"]?["tables"] as? [String: [String: Any]])
        XCTAssertEqual((goldTables["crypto_analytics_mart"]?["columns"] as? [String: String])?["volatility_30d"],
                       "sample standard deviation of the last 30 daily returns")
        XCTAssertEqual(goldTables["_feature_state"]?["hidden"] as? Bool, true)
        XCTAssertEqual((databases["silver"]?["tables"] as? [String: [String: Any]])?["_rejects"]?["hidden"] as? Bool, true)

        // Datasette itself reads it: descriptions on the table page, bookkeeping hidden.
        let file = warehouse.root.url.appendingPathComponent("metadata.json")
        try Data(metadata.stdout.utf8).write(to: file)
        let layout = warehouse.root.layout
        func datasette(_ path: String) throws -> String {
            let run = try Shell.run("python3", ["-m", "datasette", layout.silverDatabase.path, layout.goldDatabase.path, "-m", file.path, "--get", path])
            XCTAssertEqual(run.status, 0, run.text)
            return run.stdout
        }
        let listing = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try datasette("/gold.json").utf8)) as? [String: Any])
        let tables = try XCTUnwrap(listing["tables"] as? [[String: Any]])
        XCTAssertEqual(tables.first { $0["name"] as? String == "_feature_state" }?["hidden"] as? Bool, true)
        XCTAssertEqual(tables.first { $0["name"] as? String == "crypto_analytics_mart" }?["hidden"] as? Bool, false)
        XCTAssertTrue((listing["views"] as? [[String: Any]] ?? []).contains { $0["name"] as? String == "top_coins" } || (listing["views"] as? [String] ?? []).contains("top_coins"), "\(listing.keys)")
        let page = try datasette("/gold/crypto_analytics_mart")
        XCTAssertTrue(page.contains("sample standard deviation of the last 30 daily returns"), "the column description is on Datasette's page")
    }

    func testTheDocsSiteOpensInABrowserWithEveryAssetPageAndTheLineage() throws {
        let warehouse = try EmulatedWarehouse("docs-site")
        let model = warehouse.root.url.appendingPathComponent("models/weekly_rollup.sql")
        try FileManager.default.createDirectory(at: model.deletingLastPathComponent(), withIntermediateDirectories: true)
        try ModelsTests.rollup.write(to: model, atomically: true, encoding: .utf8)
        XCTAssertEqual(try warehouse.run(["materialize", "--all", "--quiet"]).status, 0)

        // Column descriptions reach the Parquet exports' footer, where pyarrow reads them.
        let metadata = try Shell.run("python3", ["-c", """
            import json, sys, pyarrow.parquet as pq
            meta = pq.read_metadata(sys.argv[1]).metadata
            print(json.dumps({k.decode(): v.decode() for k, v in meta.items()}))
            """, warehouse.root.url.appendingPathComponent("exports/crypto_market_data.parquet").path])
        XCTAssertEqual(metadata.status, 0, metadata.stderr)
        let footer = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(metadata.stdout.utf8)) as? [String: String])
        XCTAssertEqual(footer["warehouse.asset"], "gold.research_dataset")
        let described = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data((footer["warehouse.columns"] ?? "").utf8)) as? [String: String])
        XCTAssertEqual(described["forward_return_7d"], "return to 7 days later")

        let written = try warehouse.run(["docs"])
        XCTAssertEqual(written.status, 0, written.stderr)
        let site = warehouse.root.url.appendingPathComponent("docs")
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: site.appendingPathComponent("manifest.json"))) as? [String: Any])
        XCTAssertEqual((manifest["metadata"] as? [String: Any])?["schema"] as? String, "warehouse-manifest/v1")
        let assets = try XCTUnwrap(manifest["assets"] as? [String: [String: Any]])
        let order = try XCTUnwrap(manifest["order"] as? [String])
        XCTAssertEqual(Set(assets.keys), Set(order))
        XCTAssertEqual(try warehouse.run(["ls"]).stdout, order.joined(separator: "\n") + "\n", "the manifest holds every asset ls lists")
        let mart = try XCTUnwrap(assets["gold.crypto_analytics_mart"])
        let columns = try XCTUnwrap(mart["columns"] as? [[String: Any]])
        XCTAssertEqual(columns.first?["name"] as? String, "rank", "columns in table order")
        XCTAssertEqual(columns.first?["type"] as? String, "INTEGER")
        XCTAssertEqual((mart["checks"] as? [[String: Any]])?.first?["declaration"] as? String, "row_count(min=1, max=50)")
        XCTAssertEqual(((mart["checks"] as? [[String: Any]])?.first?["latest"] as? [String: Any])?["status"] as? String, "pass")
        XCTAssertEqual(assets["gold.weekly_rollup"]?["source"] as? String, "models/weekly_rollup.sql")
        XCTAssertEqual(assets["gold.weekly_rollup"]?["sql"] as? String, ModelsTests.rollup)
        // The same manifest on stdout.
        let printed = try XCTUnwrap(try warehouse.run(["docs", "--format", "json"]).json() as? [String: Any])
        XCTAssertEqual((printed["assets"] as? [String: Any])?.count, assets.count)

        XCTAssertNotNil(Chromium.path, "chromium is not installed; scripts/test.sh installs it")
        guard Chromium.path != nil else { return }
        let profile = warehouse.root.url.appendingPathComponent("chromium")
        let index = try Chromium.dom(site.appendingPathComponent("index.html").absoluteString, profile: profile)
        XCTAssertEqual(index.status, 0, index.stderr)
        XCTAssertEqual(index.stdout.components(separatedBy: "class=\"node\"").count - 1, order.count, "every asset in the lineage graph")
        for name in order {
            let page = try Chromium.dom(site.appendingPathComponent("assets/\(name).html").absoluteString, profile: profile)
            XCTAssertEqual(page.status, 0, name)
            XCTAssertTrue(page.stdout.contains("<h1>\(name)</h1>"), name)
            XCTAssertTrue(page.stdout.contains("id=\"lineage\"") && page.stdout.contains("data-asset=\"\(name)\""), "\(name) is in its own lineage")
            for upstream in assets[name]?["upstreams"] as? [String] ?? [] {
                XCTAssertTrue(page.stdout.contains("href=\"\(upstream).html\""), "\(name) links its upstream \(upstream)")
            }
            if name.hasPrefix("gold.") { XCTAssertTrue(page.stdout.contains("<table id=\"columns\""), name) }
        }
        let rollup = try Chromium.dom(site.appendingPathComponent("assets/gold.weekly_rollup.html").absoluteString, profile: profile).stdout
        XCTAssertTrue(rollup.contains("id=\"sql\"") && rollup.contains("date(date, '-6 days', 'weekday 1')"), "the model's SQL is on its page")
        XCTAssertTrue(rollup.contains("ISO week start (YYYY-MM-DD)"))
        let shots = warehouse.root.url.appendingPathComponent("screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        XCTAssertNoThrow(try Chromium.screenshot(site.appendingPathComponent("index.html").absoluteString, to: shots.appendingPathComponent("docs.png"),
                                                 size: "1280,900", profile: profile))

        // Written again, the site replaces only its own files; a folder of the user's is refused.
        let mine = site.appendingPathComponent("notes.txt")
        try "mine".write(to: mine, atomically: true, encoding: .utf8)
        // The page of an asset that left the graph goes; files the marker merely names, and a
        // page the user wrote, stay.
        let gone = site.appendingPathComponent("assets/gold.gone.html"), theirs = site.appendingPathComponent("assets/theirs.html")
        try FileManager.default.copyItem(at: site.appendingPathComponent("assets/gold.weekly_rollup.html"), to: gone)
        try "<html>my own page</html>".write(to: theirs, atomically: true, encoding: .utf8)
        let marker = site.appendingPathComponent(".warehouse-docs")
        try (try String(contentsOf: marker, encoding: .utf8) + "\nassets/gold.gone.html\nassets/theirs.html\nnotes.txt").write(to: marker, atomically: true, encoding: .utf8)
        XCTAssertEqual(try warehouse.run(["docs"]).status, 0)
        XCTAssertEqual(try String(contentsOf: mine, encoding: .utf8), "mine")
        XCTAssertFalse(FileManager.default.fileExists(atPath: gone.path))
        XCTAssertEqual(try String(contentsOf: theirs, encoding: .utf8), "<html>my own page</html>")
        let other = warehouse.root.url.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try "keep".write(to: other.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        let refused = try warehouse.run(["docs", "--out", other.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("holds files that are not a docs site"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: other.appendingPathComponent("index.html"), encoding: .utf8), "keep")
    }
}
