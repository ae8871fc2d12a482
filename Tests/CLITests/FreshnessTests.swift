import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// Bronze is verbatim and immutable, and fresh per dataset rather than per day: a run hours
/// later refetches what expired beside what it already holds, silver uses the newer snapshot,
/// and staleness follows content, so a copied root is not stale.
final class FreshnessTests: XCTestCase {
    func testARefetchHoursLaterKeepsBothSnapshotsAndSilverUsesTheNewer() throws {
        let morning = try EmulatedWarehouse("freshness", coins: 12)
        XCTAssertEqual(try morning.run(["materialize", "+silver.coin_markets", "--quiet"]).status, 0)
        let store = RawStore(layout: morning.root.layout)
        let markets = RawDataset(source: "coingecko", dataset: "markets")
        let first = try XCTUnwrap(try store.snapshots(of: markets).first)
        XCTAssertEqual(first.key, "page-1")

        // An hour later the snapshot is still fresh (6 h by default): nothing is fetched.
        let hourLater = try EmulatedWarehouse(morning, hoursLater: 1)
        XCTAssertEqual(try hourLater.run(["materialize", "+silver.coin_markets", "--quiet"]).status, 0)
        XCTAssertEqual(hourLater.emulator.requestCount, 0)

        // Seven hours later it has expired: the page is fetched again and stored beside the first.
        let evening = try EmulatedWarehouse(morning, hoursLater: 7)
        let run = try evening.run(["materialize", "+silver.coin_markets", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(evening.emulator.requestCounts["coingecko/markets"], 1, "\(evening.emulator.requestCounts)")
        XCTAssertEqual(evening.emulator.requestCount, 1, "the coin list (fresh for a day) is not fetched again")
        let both = try store.snapshots(of: markets)
        XCTAssertEqual(both.map(\.key), ["page-1", "page-1@190000"])
        // Each is byte for byte what the emulator served at its time (asked again here, it serves the same).
        for (snapshot, emulator) in zip(both, [morning.emulator, evening.emulator]) {
            let meta = try XCTUnwrap(try store.meta(of: snapshot))
            let url = meta.url.replacingOccurrences(of: URL(string: meta.url)!.host! + ":" + String(URL(string: meta.url)!.port!), with: "127.0.0.1:\(emulator.port)")
            let served = try Shell.run("curl", ["-sf", url])
            XCTAssertEqual(served.status, 0)
            XCTAssertEqual(try Data(contentsOf: snapshot.bodyURL), served.stdoutData, snapshot.relativePath)
            XCTAssertEqual(meta.sha256, Fingerprint.sha256(served.stdoutData))
        }
        XCTAssertNotEqual(try Data(contentsOf: both[0].bodyURL), try Data(contentsOf: both[1].bodyURL), "the market moved")

        // Silver holds the evening's prices, and says which file each row came from.
        let silver = try Database(path: morning.root.layout.silverDatabase.path, readOnly: true)
        let rows = try silver.rows("""
            SELECT m.coin_id, m.current_price, f.path FROM coin_markets AS m JOIN _raw_files AS f USING (raw_file_id)
            WHERE m.snapshot_date = '2026-11-23' ORDER BY m.coin_id
            """)
        XCTAssertFalse(rows.isEmpty)
        XCTAssertEqual(Set(rows.map { $0[2].string }), ["raw/2026-11-23/coingecko/markets/page-1@190000.json"])
        let evening1 = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: both[1].bodyURL)) as? [[String: Any]])
        let bitcoin = try XCTUnwrap(evening1.first { $0["id"] as? String == rows[0][0].string })
        XCTAssertEqual(rows[0][1].double, bitcoin["current_price"] as? Double)
    }

    func testACopyOfARootWithNewModificationTimesIsNotStale() throws {
        let warehouse = try EmulatedWarehouse("copied", coins: 12)
        XCTAssertEqual(try warehouse.run(["materialize", "+gold.crypto_analytics_mart", "--quiet"]).status, 0)
        let copy = TemporaryRoot("copied-to")
        // cp without -p: every file gets a new modification time, as rsync without -t or a cloud sync gives.
        try FileManager.default.removeItem(at: copy.url)
        XCTAssertEqual(try Shell.run("cp", ["-r", warehouse.root.path, copy.path]).status, 0)
        Thread.sleep(forTimeInterval: 1.1)
        XCTAssertEqual(try Shell.run("find", [copy.path, "-type", "f", "-exec", "touch", "{}", "+"]).status, 0)
        let plan = try warehouse.cli.run(["materialize", "+gold.crypto_analytics_mart", "--plan", "--json", "--root", copy.path])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let steps = try XCTUnwrap(try plan.json() as? [[String: String]])
        XCTAssertFalse(steps.isEmpty)
        XCTAssertEqual(steps.filter { $0["action"] == "run" }.map { "\($0["asset"]!): \($0["reason"]!)" }, [], "nothing is stale in the copy")
        // Content that changes is still seen: a silver input edited in the copy makes its table stale.
        let raw = RawStore(layout: WarehouseLayout(root: copy.url))
        let page = try XCTUnwrap(try raw.snapshots(of: RawDataset(source: "coingecko", dataset: "markets")).first)
        let edited = Data("[]".utf8)
        try edited.write(to: page.bodyURL)
        var meta = try XCTUnwrap(try raw.meta(of: page))
        meta.sha256 = Fingerprint.sha256(edited)
        try meta.encoded().write(to: page.metaURL)
        let replanned = try XCTUnwrap(try warehouse.cli.run(["materialize", "+gold.crypto_analytics_mart", "--plan", "--json", "--root", copy.path]).json() as? [[String: String]])
        XCTAssertEqual(replanned.first { $0["asset"] == "silver.coin_markets" }?["action"], "run")
    }
}
