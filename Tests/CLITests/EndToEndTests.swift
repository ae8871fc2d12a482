import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// The whole pipeline through the `warehouse` binary against the emulator over loopback HTTP.
final class EndToEndTests: XCTestCase {
    func testFullRunThenASecondRunMakesNoRequestAndRebuildsNothing() throws {
        let warehouse = try EmulatedWarehouse()
        let first = try warehouse.run(["materialize", "--all"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("40 assets: 40 built"), first.stdout)
        XCTAssertTrue(first.stdout.contains("Marts: \(warehouse.root.layout.goldDatabase.path)"), first.stdout)
        let served = warehouse.emulator.requestCount
        XCTAssertGreaterThan(served, 20)
        XCTAssertTrue(first.stdout.contains("\(served) HTTP requests"), first.stdout)

        let second = try warehouse.run(["materialize", "--all"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(warehouse.emulator.requestCount, served, "a second run the same day must not call the API")
        XCTAssertTrue(second.stdout.contains("0 built, 40 up to date"), second.stdout)
        XCTAssertTrue(second.stdout.contains("0 HTTP requests"), second.stdout)
        XCTAssertTrue(second.stdout.contains("Nothing to do"), second.stdout)

        // Every silver table of the slice is filled, every gold mart has a key and an index.
        let silver = try Database(path: warehouse.root.layout.silverDatabase.path, readOnly: true)
        XCTAssertGreaterThan(try silver.scalar("SELECT count(*) FROM coin_prices")?.int ?? 0, 10_000)
        let fetched = Set(try RawStore(layout: warehouse.root.layout).snapshots(of: RawDataset(source: "coingecko", dataset: "market_chart"))
            .map { RawKey.entity(of: $0.key) })
        XCTAssertTrue(fetched.isSuperset(of: warehouse.emulator.simulation.deadCoinIDs), "inactive (dead) coins are fetched too")
        XCTAssertGreaterThan(fetched.count, 12)
        XCTAssertEqual(try silver.scalar("SELECT count(*) FROM coin_markets")?.int.map { $0 >= 11 }, true)
        let gold = try Database(path: warehouse.root.layout.goldDatabase.path, readOnly: true)
        for mart in ["coin_daily_features", "crypto_analytics_mart", "market_segment_analysis"] {
            XCTAssertGreaterThan(try gold.scalar("SELECT count(*) FROM \(mart)")?.int ?? 0, 0, mart)
            XCTAssertNotNil(try gold.scalar("SELECT 1 FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [.text(mart)]), "\(mart) has no index")
            XCTAssertNotNil(try gold.scalar("SELECT 1 FROM pragma_table_info(?) WHERE pk > 0", [.text(mart)]), "\(mart) has no primary key")
        }
        let categories = try gold.rows("SELECT DISTINCT market_cap_category FROM crypto_analytics_mart").compactMap { $0[0].string }
        XCTAssertFalse(categories.isEmpty)
        XCTAssertTrue(Set(categories).isSubset(of: ["Large Cap", "Mid Cap", "Small Cap", "Micro Cap"]), "\(categories)")
        XCTAssertEqual(try gold.scalar("SELECT min(rank) || '-' || max(rank) || '-' || count(*) FROM crypto_analytics_mart")?.string, "1-12-12")

        // The feature formulas, checked by an independent Python implementation.
        let oracle = try PythonOracle("features_oracle.py").run([warehouse.root.path])
        XCTAssertEqual(oracle.status, 0, oracle.text)
        XCTAssertTrue(oracle.text.contains(" 0 mismatches"), oracle.text)

        // The stock features: USD->INR with the same-day (or last known) rate, features on the INR close.
        let stocks = try PythonOracle("features_oracle.py").run([warehouse.root.path, "--stocks"])
        XCTAssertEqual(stocks.status, 0, stocks.text)
        XCTAssertTrue(stocks.text.contains(" 0 mismatches"), stocks.text)
    }

    func testTheNextDayFetchesOnlyWhatThatDayNeeds() throws {
        let today = try EmulatedWarehouse("nextday")
        XCTAssertEqual(try today.run(["materialize", "--all"]).status, 0)
        let pricesToday = try Database(path: today.root.layout.silverDatabase.path, readOnly: true).scalar("SELECT count(*) FROM coin_prices")?.int ?? 0

        let tomorrow = try EmulatedWarehouse(today, daysLater: 1)
        let result = try tomorrow.run(["materialize", "--all", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let assets = Dictionary(uniqueKeysWithValues: (summary["assets"] as! [[String: Any]]).map { ($0["asset"] as! String, $0) })
        XCTAssertEqual(assets["bronze.coingecko_markets"]?["requests"] as? Int, 1)
        XCTAssertEqual(assets["bronze.coingecko_coins_list"]?["requests"] as? Int, 2)

        // One short window per coin still in the universe, full history for newcomers, nothing for the dead.
        let store = RawStore(layout: today.root.layout)
        func universe(_ day: String) throws -> Set<String> {
            let snapshot = try XCTUnwrap(store.snapshot(of: RawDataset(source: "coingecko", dataset: "markets"), key: "page-1", on: Day(parsing: day)!))
            return Set((try JSONValue.parse(try store.body(of: snapshot)).array ?? []).compactMap { $0["id"]?.text })
        }
        let before = try universe("2026-11-23"), after = try universe("2026-11-24")
        let expected = after.intersection(before).count + 2 * after.subtracting(before).count
        XCTAssertEqual(assets["bronze.coingecko_market_chart"]?["requests"] as? Int, expected)
        XCTAssertEqual(tomorrow.emulator.requestCounts["coingecko/market_chart"], expected)
        // Yahoo is incremental too: one short window per ticker, not the whole history again.
        XCTAssertEqual(assets["bronze.yahoo_chart"]?["requests"] as? Int, WarehouseSettings().tickers.count + WarehouseSettings().fxTickers.count)
        let yahooTomorrow = try store.snapshots(of: RawDataset(source: "yahoo", dataset: "chart"), on: Day(parsing: "2026-11-24")!)
        XCTAssertTrue(try yahooTomorrow.allSatisfy { snapshot in
            let meta = try XCTUnwrap(try store.meta(of: snapshot))
            return Int64(meta.params["period2"]!)! - Int64(meta.params["period1"]!)! <= 6 * 86_400
        })
        let fetchedTomorrow = try store.snapshots(of: RawDataset(source: "coingecko", dataset: "market_chart"), on: Day(parsing: "2026-11-24")!)
        XCTAssertEqual(Set(fetchedTomorrow.map { RawKey.entity(of: $0.key) }), after)

        let silver = try Database(path: today.root.layout.silverDatabase.path, readOnly: true)
        XCTAssertGreaterThan(try silver.scalar("SELECT count(*) FROM coin_prices")?.int ?? 0, pricesToday)
        // Silver took only the new snapshots' points, and holds what a full rebuild holds.
        let prices = try XCTUnwrap(assets["silver.coin_prices"])
        let written = try XCTUnwrap(prices["rows_written"] as? Int, "silver.coin_prices was extended, not rebuilt")
        XCTAssertGreaterThan(written, 0)
        XCTAssertLessThan(written, pricesToday / 20)
        // Gold recomputed only each coin's last day and the new ones, and holds what a full rebuild holds.
        let features = try XCTUnwrap(assets["gold.coin_daily_features"])
        let featuresWritten = try XCTUnwrap(features["rows_written"] as? Int, "gold.coin_daily_features was extended, not rebuilt")
        XCTAssertLessThanOrEqual(featuresWritten, 9 * after.union(before).count)
        XCTAssertLessThan(featuresWritten, (features["rows"] as? Int ?? 0) / 10)
        let goldPath = today.root.layout.goldDatabase.path
        let resumed = try TableDump.rows(goldPath, "coin_daily_features", orderBy: "coin_id, date")
        let refreshed = try tomorrow.run(["materialize", "gold.coin_daily_features", "--refresh"])
        XCTAssertEqual(refreshed.status, 0, refreshed.stderr)
        let recomputed = try TableDump.rows(goldPath, "coin_daily_features", orderBy: "coin_id, date")
        XCTAssertEqual(recomputed.count, resumed.count)
        let resumedRows = Set(resumed)
        XCTAssertNil(recomputed.first { !resumedRows.contains($0) }, "a resumed row differs from the full rebuild")

        let silverPath = today.root.layout.silverDatabase.path
        let extended = try TableDump.rows(silverPath, "coin_prices", orderBy: "coin_id, ts")
        let extendedRejects = try TableDump.rows(silverPath, "_rejects", orderBy: "asset, raw_file, locator")
        let full = try tomorrow.run(["materialize", "silver.coin_prices", "--refresh", "--json"])
        XCTAssertEqual(full.status, 0, full.stderr)
        XCTAssertEqual(try TableDump.rows(silverPath, "coin_prices", orderBy: "coin_id, ts"), extended)
        XCTAssertEqual(try TableDump.rows(silverPath, "_rejects", orderBy: "asset, raw_file, locator"), extendedRejects)

        // A snapshot another tool rewrote in place (same path, other content; the warehouse itself never
        // overwrites, it stores a refetch beside) is not patched over: silver is rebuilt.
        let refetched = try XCTUnwrap(fetchedTomorrow.first)
        let body = try JSONValue.parse(try store.body(of: refetched))
        let points = try XCTUnwrap(body["prices"]?.array)
        var meta = try XCTUnwrap(try store.meta(of: refetched))
        let shorter = Data("{\"prices\":\(JSONValue.array(Array(points.dropLast())).compactText),\"market_caps\":[],\"total_volumes\":[]}".utf8)
        meta.sha256 = Fingerprint.sha256(shorter)
        meta.bytes = shorter.count
        try meta.encoded().write(to: refetched.metaURL)
        try shorter.write(to: refetched.bodyURL)
        let rebuilt = try tomorrow.run(["materialize", "silver.coin_prices", "--json"])
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        let entry = try XCTUnwrap(try rebuilt.asset("silver.coin_prices"))
        XCTAssertEqual(entry["status"] as? String, "success")
        XCTAssertNil(entry["rows_written"], "rebuilt whole")
        XCTAssertEqual(try silver.scalar("SELECT max(ts) FROM coin_prices")?.int.map { $0 > 1_795_478_400_000 }, true, "hours of 2026-11-24 arrived")
        XCTAssertEqual(try Database(path: today.root.layout.goldDatabase.path, readOnly: true)
            .scalar("SELECT max(date) FROM coin_daily_features")?.string, "2026-11-24")
    }

    func testSameRawInputGivesIdenticalSilverAndGold() throws {
        let warehouse = try EmulatedWarehouse()
        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)
        let copy = TemporaryRoot("copy")
        try warehouse.root.copyRaw(to: copy)
        var offline = warehouse.cli
        offline.environment["COINGECKO_BASE_URL"] = "http://127.0.0.1:9"   // nothing listens: no fetch may happen
        let rebuilt = try offline.run(["materialize", "layer:silver+", "--root", copy.path])
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stdout + rebuilt.stderr)
        for (database, keys) in [("silver.sqlite", ["coin_markets": "snapshot_date, coin_id", "coin_prices": "coin_id, ts", "_rejects": "raw_file, locator"]),
                                 ("gold.sqlite", ["coin_daily_features": "coin_id, date", "crypto_analytics_mart": "rank",
                                                  "market_segment_analysis": "market_cap_category"])] {
            for (table, order) in keys {
                let a = try TableDump.rows(warehouse.root.url.appendingPathComponent(database).path, table, orderBy: order)
                let b = try TableDump.rows(copy.url.appendingPathComponent(database).path, table, orderBy: order)
                XCTAssertFalse(a.isEmpty && table != "_rejects", table)
                XCTAssertEqual(a, b, "\(database) \(table) differs between two builds of the same raw input")
            }
        }
    }

    func testForeignRawFilesBuildFeaturesThroughSilverCoinPricesPlus() throws {
        let root = TemporaryRoot("foreign")
        let start: Int64 = 1_780_000_000_000
        for (coin, drift) in [("bitcoin", 0.0004), ("ethereum", -0.0002), ("dogecoin", 0.001)] {
            var points: [ForeignRawWriter.Point] = []
            var price = 100.0
            for hour in 0..<(24 * 75) {
                price *= 1 + drift + 0.01 * sin(Double(hour) * 0.37 + drift * 1000)
                points.append(.init(start + Int64(hour) * 3_600_000 + 41_000, price, price * 1e6, price * 1e4))
            }
            try ForeignRawWriter.write(ForeignRawWriter.marketChart(points), root: root, day: "2026-06-01",
                                       dataset: "coingecko/market_chart", key: coin)
        }
        let result = try CLIRunner(extra: ["COINGECKO_BASE_URL": "http://127.0.0.1:9"]).run(["materialize", "silver.coin_prices+", "--root", root.path])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("gold.coin_daily_features"), result.stdout)
        XCTAssertTrue(result.stdout.contains("upstream silver.coin_markets was never built"), result.stdout)
        let gold = try Database(path: root.layout.goldDatabase.path, readOnly: true)
        XCTAssertEqual(try gold.scalar("SELECT count(DISTINCT coin_id) FROM coin_daily_features")?.int, 3)
        let oracle = try PythonOracle("features_oracle.py").run([root.path])
        XCTAssertEqual(oracle.status, 0, oracle.text)
    }
}
