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

        let markdown = try warehouse.run(["docs"])
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
}
