import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// `raw prune` frees what it reports and never what silver stands on; `raw compress` leaves
/// silver reading the same rows.
final class RetentionTests: XCTestCase {
    func testPruneKeepsWhatSilverNeedsAndCompressChangesNoRow() throws {
        let day1 = try EmulatedWarehouse("retention", coins: 12)
        XCTAssertEqual(try day1.run(["materialize", "+silver.coin_markets", "--quiet"]).status, 0)
        // Refetched that evening: the morning's page no longer gives silver any row.
        XCTAssertEqual(try EmulatedWarehouse(day1, hoursLater: 7).run(["materialize", "+silver.coin_markets", "--quiet"]).status, 0)
        XCTAssertEqual(try EmulatedWarehouse(day1, daysLater: 1).run(["materialize", "+silver.coin_markets", "--quiet"]).status, 0)
        let day3 = try EmulatedWarehouse(day1, daysLater: 2)
        XCTAssertEqual(try day3.run(["materialize", "+silver.coin_markets", "--quiet"]).status, 0)
        let root = day1.root.url
        let superseded = "raw/2026-11-23/coingecko/markets/page-1.json", evening = "raw/2026-11-23/coingecko/markets/page-1@190000.json"
        let silverPath = day1.root.layout.silverDatabase.path
        let before = try TableDump.rows(silverPath, "coin_markets", orderBy: "snapshot_date, coin_id")

        let dry = try XCTUnwrap(try day3.run(["raw", "prune", "--keep-days", "2", "--dry-run", "--json"]).json() as? [String: Any])
        XCTAssertEqual(dry["deleted"] as? [String], [superseded], "only the snapshot no silver row came from")
        XCTAssertEqual(dry["kept"] as? [String], [evening])
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(superseded).path), "a dry run deletes nothing")

        let size = [superseded, superseded.replacingOccurrences(of: ".json", with: ".meta.json")].reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path))?[.size] as? Int ?? 0)
        }
        let pruned = try XCTUnwrap(try day3.run(["raw", "prune", "--keep-days", "2", "--json"]).json() as? [String: Any])
        XCTAssertEqual(pruned["bytes_freed"] as? Int, size, "it frees what it reports")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent(superseded).path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(evening).path))
        // Silver rebuilt from what is left holds every row it held.
        XCTAssertEqual(try day3.run(["materialize", "silver.coin_markets", "--refresh", "--quiet"]).status, 0)
        XCTAssertEqual(try TableDump.rows(silverPath, "coin_markets", orderBy: "snapshot_date, coin_id"), before)

        // Compressed, the old day still reads the same rows (only its files' names change).
        let compressed = try XCTUnwrap(try day3.run(["raw", "compress", "--older-than", "1d", "--json"]).json() as? [String: Any])
        XCTAssertEqual(compressed["snapshots"] as? Int, 1)
        XCTAssertLessThan(compressed["bytes_after"] as? Int ?? .max, compressed["bytes_before"] as? Int ?? 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(evening + ".gz").path))
        let rebuilt = try day3.run(["materialize", "silver.coin_markets", "--json"])
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        XCTAssertEqual(try rebuilt.asset("silver.coin_markets")?["rejects"] as? Int, 0, "the compressed body still matches its sha256")
        let columns = "snapshot_date, coin_id, symbol, name, market_cap_rank, current_price, market_cap, total_volume"
        let silver = try Database(path: silverPath, readOnly: true)
        XCTAssertEqual(try silver.rows("SELECT \(columns) FROM coin_markets ORDER BY snapshot_date, coin_id").count, before.count)
        XCTAssertEqual(try silver.scalar("SELECT count(*) FROM coin_markets AS m JOIN _raw_files USING (raw_file_id) WHERE path = ?", [.text(evening + ".gz")])?.int,
                       try silver.scalar("SELECT count(*) FROM coin_markets WHERE snapshot_date = '2026-11-23'")?.int)

        // Forced, what silver stands on goes too.
        let forced = try XCTUnwrap(try day3.run(["raw", "prune", "--keep-days", "2", "--force", "--json"]).json() as? [String: Any])
        XCTAssertEqual(forced["deleted"] as? [String], [evening + ".gz"])
        XCTAssertEqual(try day3.run(["raw", "prune", "--keep-days", "0"]).status, 2)
        // A root without silver cannot say what silver stands on: nothing is deleted.
        let bare = try EmulatedWarehouse("retention-bare", coins: 12)
        XCTAssertEqual(try bare.run(["materialize", "bronze.coingecko_markets", "--quiet"]).status, 0)
        let refused = try bare.run(["raw", "prune", "--keep-days", "1"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("nothing was deleted"), refused.stderr)
    }
}
