import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// A toolkit, not a fixed pipeline: a data engineer adds a mart and a check as files to a root
/// and the same binary plans, builds and checks them; mistakes are named before anything runs.
final class ModelsTests: XCTestCase {
    static let rollup = ModelFixtures.weeklyRollup

    static let leaders = """
        -- asset: gold.weekly_leaders
        -- description: The coin with the most volume each week.
        -- upstreams: gold.weekly_rollup
        -- tags: weekly
        -- primary_key: week
        SELECT week, coin_id, volume FROM (
            SELECT week, coin_id, volume, ROW_NUMBER() OVER (PARTITION BY week ORDER BY volume DESC, coin_id) AS n FROM weekly_rollup
        ) WHERE n = 1

        """

    func write(_ text: String, to path: String, in warehouse: EmulatedWarehouse) throws {
        let url = warehouse.root.url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func testAMartAndACheckAddedAsFilesArePlannedBuiltAndChecked() throws {
        let warehouse = try EmulatedWarehouse("models")
        XCTAssertEqual(try warehouse.run(["materialize", "--all", "--quiet"]).status, 0)
        try write(Self.rollup, to: "models/crypto/weekly_rollup.sql", in: warehouse)
        try write(Self.leaders, to: "models/crypto/weekly_leaders.sql", in: warehouse)
        try write("""
            [[checks]]
            asset = "gold.weekly_rollup"
            name = "close_positive"
            check = "range(close, min=0)"
            """, to: "checks/team.toml", in: warehouse)

        let plan = try warehouse.run(["materialize", "tag:weekly", "--plan"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("1. run   gold.weekly_rollup   never built  (models/crypto/weekly_rollup.sql)"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("2. run   gold.weekly_leaders  never built  (models/crypto/weekly_leaders.sql)"), plan.stdout)

        let run = try warehouse.run(["materialize", "tag:weekly"])
        XCTAssertEqual(run.status, 0, run.stderr)
        // Two assets built; checks: three from the header and one from checks/team.toml.
        XCTAssertTrue(run.stdout.hasSuffix("Done. PASS=6 WARN=0 ERROR=0 SKIP=0 TOTAL=6\n"), run.stdout)
        let gold = try Database(path: warehouse.root.layout.goldDatabase.path, readOnly: true)
        XCTAssertEqual(try gold.scalar("SELECT count(*) FROM weekly_rollup"),
                       try gold.scalar("SELECT count(*) FROM (SELECT DISTINCT coin_id, date(date, '-6 days', 'weekday 1') FROM coin_daily_features)"))
        XCTAssertEqual(try gold.rows("SELECT coin_id, volume FROM weekly_leaders ORDER BY week DESC LIMIT 1"), try gold.rows("""
            SELECT coin_id, sum(volume) AS v FROM coin_daily_features WHERE date(date, '-6 days', 'weekday 1') = (SELECT max(week) FROM weekly_rollup)
            GROUP BY coin_id ORDER BY v DESC, coin_id LIMIT 1
            """))
        XCTAssertEqual(try gold.scalar("SELECT count(*) FROM pragma_index_list('weekly_rollup') WHERE name = 'weekly_rollup_week'"), .integer(1))
        let checks = try warehouse.run(["check", "tag:weekly", "--quiet"])
        XCTAssertEqual(checks.stdout, "Done. PASS=4 WARN=0 ERROR=0 SKIP=0 TOTAL=4\n")

        // Up to date now; an edit of the SQL is state:modified, and only that.
        XCTAssertTrue(try warehouse.run(["materialize", "tag:weekly"]).stdout.contains("Nothing to do"))
        XCTAssertEqual(try warehouse.run(["ls", "state:modified"]).stdout, "")
        try write(Self.rollup.replacingOccurrences(of: "max(close)", with: "avg(close)"), to: "models/crypto/weekly_rollup.sql", in: warehouse)
        XCTAssertEqual(try warehouse.run(["ls", "state:modified"]).stdout, "gold.weekly_rollup\n")
        XCTAssertEqual(try warehouse.run(["ls", "state:modified+"]).stdout, "gold.weekly_rollup\ngold.weekly_leaders\n")
        try write(Self.rollup, to: "models/crypto/weekly_rollup.sql", in: warehouse)

        // A check that fails the mart: the run exits 1, the next model is blocked, and result: finds both.
        try write("""
            [[checks]]
            asset = "gold.weekly_rollup"
            name = "close_never_positive"
            check = "range(close, max=0)"
            """, to: "checks/team.toml", in: warehouse)
        let failed = try warehouse.run(["materialize", "tag:weekly", "--refresh"])
        XCTAssertEqual(failed.status, 1, failed.stdout)
        XCTAssertTrue(failed.stdout.hasSuffix("ERROR=2 SKIP=1 TOTAL=6\n"), failed.stdout)
        XCTAssertEqual(try warehouse.run(["ls", "result:error"]).stdout, "gold.weekly_rollup\n")
        XCTAssertEqual(try warehouse.run(["ls", "result:blocked"]).stdout, "gold.weekly_leaders\n")
        // The failed run, whole, and a retry of exactly what it did not build.
        let failedRuns = try XCTUnwrap(try warehouse.run(["runs", "--failed", "--json"]).json() as? [[String: Any]])
        XCTAssertEqual(failedRuns.count, 1)
        let failedID = try XCTUnwrap(failedRuns.first?["run_id"] as? String)
        XCTAssertEqual(failedRuns.first?["trigger"] as? String, "manual")
        let detail = try XCTUnwrap(try warehouse.run(["runs", failedID, "--json"]).json() as? [String: Any])
        let detailAssets = try XCTUnwrap(detail["assets"] as? [[String: Any]])
        XCTAssertEqual(detailAssets.map { "\($0["asset"]!) \($0["status"]!)" }, ["gold.weekly_rollup failed", "gold.weekly_leaders blocked"])
        XCTAssertTrue((detailAssets[0]["error"] as? String ?? "").contains("close_never_positive"), "\(detailAssets[0])")
        XCTAssertTrue((detail["checks"] as? [[String: Any]] ?? []).contains { $0["check_name"] as? String == "close_never_positive" && $0["status"] as? String == "error" })
        let shown = try warehouse.run(["runs", failedID])
        XCTAssertTrue(shown.stdout.contains("gold.weekly_leaders  blocked"), shown.stdout)
        XCTAssertEqual(try warehouse.run(["runs", "no-such-run"]).status, 2)
        let retriedAgain = try warehouse.run(["retry", failedID, "--json"])
        XCTAssertEqual(retriedAgain.status, 1, "the check still fails")
        let retrySummary = try XCTUnwrap(try retriedAgain.json() as? [String: Any])
        XCTAssertEqual((retrySummary["assets"] as? [[String: Any]])?.map { $0["asset"] as? String }, ["gold.weekly_rollup", "gold.weekly_leaders"], "exactly the failed and blocked assets")
        let newest = try XCTUnwrap(try warehouse.run(["runs", "--json", "--limit", "1"]).json() as? [[String: Any]]).first
        XCTAssertEqual(newest?["trigger"] as? String, "retry:\(failedID)")
        // Loosened in the file (warn only), the failed mart is rebuilt; what it feeds is up to date,
        // since the mart's inputs are what they were when it was last built.
        try write("""
            [[checks]]
            asset = "gold.weekly_rollup"
            name = "close_never_positive"
            check = "range(close, max=0)"
            severity = "warn"
            """, to: "checks/team.toml", in: warehouse)
        let retried = try warehouse.run(["materialize", "result:error+"])
        // (result:error reads the newest run: the retry above, which failed the same way.)
        XCTAssertEqual(retried.status, 0, retried.stdout + retried.stderr)
        XCTAssertTrue(retried.stdout.contains("gold.weekly_rollup     success"), retried.stdout)
        XCTAssertTrue(retried.stdout.hasSuffix("Done. PASS=4 WARN=1 ERROR=0 SKIP=1 TOTAL=6\n"), retried.stdout)
    }

    func testACopyOfABuiltInMartAsAFileBuildsTheSameTable() throws {
        let warehouse = try EmulatedWarehouse("models-copy")
        XCTAssertEqual(try warehouse.run(["materialize", "+gold.market_segment_analysis", "--quiet"]).status, 0)
        let builtIn = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../sql/market_segment_analysis.sql"), encoding: .utf8)
        try write(builtIn.replacingOccurrences(of: "market_segment_analysis", with: "segments_copy"), to: "models/segments_copy.sql", in: warehouse)
        XCTAssertEqual(try warehouse.run(["materialize", "gold.segments_copy", "--quiet"]).status, 0)
        let gold = try Database(path: warehouse.root.layout.goldDatabase.path, readOnly: true)
        let original = try gold.rows("SELECT * FROM market_segment_analysis ORDER BY market_cap_category")
        XCTAssertFalse(original.isEmpty)
        XCTAssertEqual(try gold.rows("SELECT * FROM segments_copy ORDER BY market_cap_category"), original, "same values, same storage classes")
        XCTAssertEqual(try gold.rows("SELECT name, type, \"notnull\", pk FROM pragma_table_info('segments_copy')"),
                       try gold.rows("SELECT name, type, \"notnull\", pk FROM pragma_table_info('market_segment_analysis')"))
    }

    func testABrokenModelStopsEveryCommandWithTheFileAndLine() throws {
        let warehouse = try EmulatedWarehouse("models-broken")
        let cases: [(String, String)] = [
            (Self.rollup.replacingOccurrences(of: "-- upstreams:", with: "-- upstream:"), "models/w.sql line 3: 'upstream:' is not a header key"),
            (Self.rollup.replacingOccurrences(of: "max(close)", with: "max(closing)"), "models/w.sql line 9: the SQL does not prepare: no such column: closing"),
            (Self.rollup.replacingOccurrences(of: "FROM coin_daily_features", with: "FROM coin_daily_features JOIN silver.coin_markets USING (coin_id)"),
             "models/w.sql line 10: the SQL reads silver.coin_markets, which the header does not declare"),
        ]
        for (text, message) in cases {
            try write(text, to: "models/w.sql", in: warehouse)
            for command in [["ls"], ["materialize", "--all", "--plan"], ["assets"]] {
                let result = try warehouse.run(command)
                XCTAssertEqual(result.status, 2, "\(command): \(result.stdout)")
                XCTAssertTrue(result.stderr.contains("warehouse: error: \(message)"), "\(command): \(result.stderr)")
                XCTAssertEqual(result.stdout, "")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: warehouse.root.layout.goldDatabase.path), "nothing ran")
        XCTAssertEqual(warehouse.emulator.requestCount, 0, "nothing was fetched")
    }
}
