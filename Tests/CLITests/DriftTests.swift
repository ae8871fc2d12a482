import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// Stocks for ML: baselines, drift against them (checked by scipy), and the incremental
/// feature build of a new trading day.
final class DriftTests: XCTestCase {
    func testBaselineThenDriftMatchesScipyAndWarns() throws {
        let warehouse = try EmulatedWarehouse("drift")
        let early = try warehouse.run(["baseline", "create", "gold.stock_features"])
        XCTAssertEqual(early.status, 2)
        XCTAssertTrue(early.stderr.contains("run `warehouse materialize +gold.stock_features` first"), early.stderr)
        let first = try warehouse.run(["materialize", "+gold.feature_drift"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("WARN gold.feature_drift baseline_exists: 1 failing row (fix=warehouse baseline create gold.stock_features)"), first.stdout)

        // Wrong uses name what to do and store nothing.
        let unmonitored = try warehouse.run(["baseline", "create", "gold.coin_daily_features"])
        XCTAssertEqual(unmonitored.status, 2)
        XCTAssertTrue(unmonitored.stderr.contains("name one of: gold.stock_features"), unmonitored.stderr)
        let tooEarly = try warehouse.run(["baseline", "create", "gold.stock_features", "--as-of", "1999-01-01"])
        XCTAssertEqual(tooEarly.status, 2)
        XCTAssertTrue(tooEarly.stderr.contains("no rows on or before 1999-01-01"), tooEarly.stderr)
        let badDay = try warehouse.run(["baseline", "create", "gold.stock_features", "--as-of", "2025-13-01"])
        XCTAssertEqual(badDay.status, 2)
        XCTAssertTrue(badDay.stderr.contains("--as-of"), badDay.stderr)
        XCTAssertTrue(try warehouse.run(["baseline", "show"]).stdout.contains("No baselines yet"))

        // A baseline of the newest window: the next drift run compares the window with itself.
        let now = try warehouse.run(["baseline", "create", "gold.stock_features"])
        XCTAssertEqual(now.status, 0, now.stderr)
        let same = try warehouse.run(["materialize", "gold.feature_drift", "--json"])
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertEqual(try same.asset("gold.feature_drift")?["reason"] as? String, "input changed: baseline")
        let gold = { try Database(path: warehouse.root.layout.goldDatabase.path, readOnly: true) }
        XCTAssertEqual(try gold().scalar("SELECT count(*) || '/' || sum(drifted) || '/' || min(p_value) || '/' || max(ks_stat) FROM feature_drift")?.string,
                       "7/0/1.0/0.0")
        let sameChecks = try XCTUnwrap((try same.json() as? [String: Any])?["checks"] as? [[String: Any]])
        XCTAssertFalse(sameChecks.isEmpty)
        XCTAssertTrue(sameChecks.allSatisfy { $0["passed"] as? Bool == true }, "\(sameChecks)")

        // A baseline from mid-2025: prices have moved since, so level features drift; the history keeps both runs.
        let old = try warehouse.run(["baseline", "create", "gold.stock_features", "--as-of", "2025-06-30", "--window-days", "40", "--json"])
        XCTAssertEqual(old.status, 0, old.stderr)
        let baseline = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(old.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(baseline["window_end"] as? String, "2025-06-30")
        XCTAssertEqual(baseline["window_days"] as? Int, 40)
        let listed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try warehouse.run(["baseline", "show", "--json"]).stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(listed.count, 1, "a new baseline replaces the previous one")
        XCTAssertEqual(listed.first?["baseline_id"] as? String, baseline["baseline_id"] as? String)
        let drifted = try warehouse.run(["materialize", "gold.feature_drift"])
        XCTAssertEqual(drifted.status, 0, "drift is a warning, not a failure: \(drifted.stderr)")
        XCTAssertTrue(drifted.stdout.contains("WARN gold.feature_drift no_drift"), drifted.stdout)
        XCTAssertTrue(drifted.stdout.contains("feature=sma_50"), drifted.stdout)
        XCTAssertEqual(try gold().scalar("SELECT count(*) FROM feature_drift")?.int, 14)
        XCTAssertEqual(try gold().scalar("SELECT count(DISTINCT run_id) FROM feature_drift")?.int, 2)

        // Drift follows its input: selecting the features alone measures it too.
        let plan = try warehouse.run(["materialize", "gold.stock_features", "--plan"])
        XCTAssertTrue(plan.stdout.contains("gold.feature_drift"), plan.stdout)

        let oracle = try PythonOracle("drift_oracle.py").run([warehouse.root.path])
        XCTAssertEqual(oracle.status, 0, oracle.text)
        XCTAssertTrue(oracle.text.contains("7 features, 0 mismatches"), oracle.text)

        let check = try warehouse.run(["check", "gold.feature_drift"])
        XCTAssertEqual(check.status, 0, "warnings do not fail `warehouse check`: \(check.stdout)")
        XCTAssertTrue(check.stdout.contains("1 warned, 0 failed"), check.stdout)

        // Alpha is a setting: a looser one flags more features, and the rows say which alpha applied.
        var loose = warehouse.cli
        loose.environment["WAREHOUSE_DRIFT_ALPHA"] = "0.5"
        XCTAssertEqual(try loose.run(["materialize", "gold.feature_drift", "--root", warehouse.root.path]).status, 0)
        let flagged = { (sequence: Int) in try gold().scalar("SELECT sum(drifted) FROM feature_drift WHERE sequence = ?", [.integer(Int64(sequence))])?.int ?? 0 }
        XCTAssertEqual(try gold().scalar("SELECT min(alpha) FROM feature_drift WHERE sequence = 3")?.double, 0.5)
        XCTAssertGreaterThan(try flagged(3), try flagged(2), "return_1d has p between 0.05 and 0.5")
        XCTAssertEqual(try PythonOracle("drift_oracle.py").run([warehouse.root.path]).status, 0)
    }

    func testANewTradingDayIsComputedIncrementallyAndEqualsAFullRebuild() throws {
        let today = try EmulatedWarehouse("incremental")
        XCTAssertEqual(try today.run(["materialize", "+gold.stock_features"]).status, 0)
        let path = today.root.layout.goldDatabase.path
        let before = try TableDump.rows(path, "stock_features", orderBy: "ticker, date")

        let tomorrow = try EmulatedWarehouse(today, daysLater: 1)
        let next = try tomorrow.run(["materialize", "+gold.stock_features", "--json"])
        XCTAssertEqual(next.status, 0, next.stderr)
        let features = try XCTUnwrap(try next.asset("gold.stock_features"))
        let incremental = try TableDump.rows(path, "stock_features", orderBy: "ticker, date")
        let added = Set(incremental).subtracting(before)
        XCTAssertEqual(added.count, incremental.count - before.count, "every earlier row is still there, unchanged")
        XCTAssertTrue(added.contains { $0.contains("|2026-11-24|") }, "the new trading day arrived")
        XCTAssertTrue(added.allSatisfy { $0.contains("|2026-11-24|") || $0.contains("|2026-11-23|") },
                      "only the days that closed since the last run are new: \(added.map { $0.prefix(20) })")
        XCTAssertEqual(features["rows_written"] as? Int, added.count, "only the new bars were computed")
        XCTAssertEqual(features["rows"] as? Int, incremental.count)

        // The same table rebuilt from scratch: every value identical, bit for bit.
        let full = try tomorrow.run(["materialize", "gold.stock_features", "--refresh", "--json"])
        XCTAssertEqual(full.status, 0, full.stderr)
        XCTAssertEqual(try XCTUnwrap(try full.asset("gold.stock_features"))["rows_written"] as? Int, incremental.count)
        let rebuilt = try TableDump.rows(path, "stock_features", orderBy: "ticker, date")
        XCTAssertEqual(rebuilt.count, incremental.count)
        let incrementalRows = Set(incremental)
        XCTAssertNil(rebuilt.first { !incrementalRows.contains($0) }, "a rebuilt row differs from the incremental one")

        // A revised past bar (history changed) is not patched over: the table is rebuilt.
        let silver = try Database(path: today.root.layout.silverDatabase.path)
        try silver.execute("UPDATE stock_prices SET close = close * 1.01 WHERE ticker = 'AAPL' AND date = (SELECT max(date) FROM stock_prices WHERE ticker = 'AAPL' AND date < '2026-11-20')")
        // As if silver had been rebuilt from a corrected snapshot: a new fingerprint for gold to notice.
        try silver.execute("UPDATE _materializations SET fingerprint = 'corrected' WHERE asset = 'silver.stock_prices'")
        let revised = try tomorrow.run(["materialize", "gold.stock_features", "--json"])
        XCTAssertEqual(revised.status, 0, revised.stderr)
        XCTAssertEqual(try XCTUnwrap(try revised.asset("gold.stock_features"))["rows_written"] as? Int, incremental.count)
    }
}
