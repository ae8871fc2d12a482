import Foundation
import Logging
import Gold
import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

/// The research and dashboard datasets on a hand-built silver database.
final class DatasetMartTests: XCTestCase {
    let day0: Int64 = 1_780_012_800_000   // 2026-05-29T00:00Z

    func makeSilver(_ root: TemporaryRoot) throws {
        let silver = try Database(path: root.layout.silverDatabase.path)
        try silver.execute("""
            CREATE TABLE coin_prices (coin_id TEXT, ts INTEGER, price REAL, market_cap REAL, volume REAL, raw_file_id INTEGER, PRIMARY KEY (coin_id, ts));
            CREATE TABLE coin_markets (snapshot_date TEXT, coin_id TEXT, market_cap REAL, PRIMARY KEY (snapshot_date, coin_id));
            CREATE TABLE asset_map (coin_id TEXT PRIMARY KEY, canonical_id TEXT, is_native INTEGER, source TEXT);
            CREATE TABLE chain_tvl (chain TEXT, date TEXT, tvl REAL, coin_id TEXT);
            CREATE TABLE protocol_tvl (protocol TEXT, date TEXT, tvl REAL, coin_id TEXT);
            CREATE TABLE dex_volume (protocol TEXT, date TEXT, volume REAL, coin_id TEXT);
            CREATE TABLE social_metrics (coin_id TEXT, date TEXT, galaxy_score REAL, sentiment REAL);
            INSERT INTO asset_map VALUES ('bitcoin','bitcoin',1,'t'), ('wrapped-bitcoin','bitcoin',0,'t'), ('ethereum','ethereum',1,'t'), ('dead-coin','dead-coin',1,'t'), ('aave','aave',1,'t');
            INSERT INTO coin_markets VALUES ('2026-06-01','bitcoin',1e12), ('2026-06-01','wrapped-bitcoin',2e13), ('2026-06-01','ethereum',4e11), ('2026-06-01','aave',1e9);
            INSERT INTO chain_tvl VALUES ('Ethereum','2026-05-30',5e10,'ethereum');
            INSERT INTO protocol_tvl VALUES ('aave-v3','2026-05-30',7e9,'aave'), ('aave-v2','2026-05-30',1e9,'aave');
            INSERT INTO social_metrics VALUES ('bitcoin','2026-05-31',70,80);
            """)
        // Three days; dead-coin is the largest on day 0 and gone after day 1; ties broken by id.
        let coins: [(String, [Double?], Double)] = [("bitcoin", [100, 110, 121], 1e12), ("wrapped-bitcoin", [101, 109, 122], 2e10),
                                                    ("ethereum", [10, 9, 9.9], 4e11), ("dead-coin", [50, 5, nil], 5e12), ("aave", [1, 1, 1], 1e9)]
        for (coin, closes, cap) in coins {
            for (day, close) in closes.enumerated() {
                guard let close else { continue }
                try silver.execute("INSERT INTO coin_prices VALUES (?, ?, ?, ?, ?, 1)",
                                   [.text(coin), .integer(day0 + Int64(day) * 86_400_000 + 3_600_000), .real(close), .real(cap), .real(cap / 100)])
            }
        }
    }

    func build(_ root: TemporaryRoot, settings: WarehouseSettings, _ keys: [AssetKey]) throws {
        let graph = try AssetGraph(try GoldAssets.specs(settings: settings, upstreams: SilverAssets.specs(settings: settings), environment: [:]).map { spec in
            AssetSpec(key: spec.key, upstreams: spec.upstreams.filter { $0.layer == .gold }, tags: spec.tags, summary: spec.summary,
                      version: spec.version, inputs: spec.inputs, exports: spec.exports, build: spec.build)
        })
        // Through the orchestrator, which writes the standard exports after the build.
        let summary = try Orchestrator(graph: graph, layout: root.layout, clock: TestClock.clock, logger: Logger(label: "test"))
            .materialize(keys, command: "test", observer: SilentObserver())
        XCTAssertEqual(summary.results.map(\.status), keys.map { _ in .success }, "\(summary.results.map { "\($0.key): \($0.error ?? "")" })")
    }

    func testUniverseIsPointInTimeAndResearchHasForwardReturns() throws {
        let root = TemporaryRoot("research")
        try makeSilver(root)
        var settings = WarehouseSettings()
        settings.researchTopN = 2
        try build(root, settings: settings, [GoldAssets.coinDailyFeatures, GoldAssets.universeMembership, GoldAssets.researchDataset])
        let gold = try Database(path: root.layout.goldDatabase.path)
        let members = try gold.rows("SELECT date, coin_id, rank FROM universe_membership ORDER BY date, rank").map { $0.map(\.rendered) }
        XCTAssertEqual(members, [["2026-05-29", "dead-coin", "1"], ["2026-05-29", "bitcoin", "2"],
                                 ["2026-05-30", "dead-coin", "1"], ["2026-05-30", "bitcoin", "2"],
                                 ["2026-05-31", "bitcoin", "1"], ["2026-05-31", "ethereum", "2"]])
        let dead = try gold.rows("SELECT date, forward_return_1d FROM research_dataset WHERE coin_id = 'dead-coin' ORDER BY date")
        XCTAssertEqual(dead, [["2026-05-29", .real(5.0 / 50 - 1)], ["2026-05-30", .null]], "a dead coin's last day is included, with no forward return")
        XCTAssertEqual(try gold.scalar("SELECT forward_return_1d FROM research_dataset WHERE coin_id = 'bitcoin' AND date = '2026-05-29'")?.double ?? 0, 0.1, accuracy: 1e-12)
        XCTAssertEqual(try gold.scalar("SELECT count(*) FROM research_dataset WHERE forward_return_7d IS NOT NULL")?.int, 0)
    }

    func testDashboardMergesWrappedTokensIntoTheNativeAsset() throws {
        let root = TemporaryRoot("dashboard")
        try makeSilver(root)
        var settings = WarehouseSettings()
        settings.dashboardTopN = 3
        try build(root, settings: settings, [GoldAssets.coinDailyFeatures, GoldAssets.dashboardDataset])
        let gold = try Database(path: root.layout.goldDatabase.path)
        XCTAssertEqual(try gold.rows("SELECT DISTINCT canonical_id FROM dashboard_dataset ORDER BY 1").map { $0[0].rendered }, ["aave", "bitcoin", "ethereum"],
                       "wrapped-bitcoin is never a row of its own, even with the larger market cap; dead-coin is not in today's snapshot")
        let bitcoin = try gold.rows("SELECT date, close, volume, market_cap, lc_galaxy_score, lc_sentiment FROM dashboard_dataset WHERE canonical_id = 'bitcoin' ORDER BY date")
        XCTAssertEqual(bitcoin.map { $0[1] }, [.real(100), .real(110), .real(121)], "the native asset's close wins")
        XCTAssertEqual(bitcoin.map { $0[2] }, [.real(1e10 + 2e8), .real(1e10 + 2e8), .real(1e10 + 2e8)], "volume is summed over the versions")
        XCTAssertEqual(bitcoin.map { $0[3] }, [.real(1e12), .real(1e12), .real(1e12)])
        XCTAssertEqual(bitcoin[2][4...5].map { $0 }, [.real(70), .real(80)])
        XCTAssertEqual(bitcoin[0][4], .null)
        let ethereum = try gold.rows("SELECT chain_tvl, protocol_tvl, dex_volume FROM dashboard_dataset WHERE canonical_id = 'ethereum' AND date = '2026-05-30'")
        XCTAssertEqual(ethereum, [[.real(5e10), .null, .null]])
        XCTAssertEqual(try gold.scalar("SELECT protocol_tvl FROM dashboard_dataset WHERE canonical_id = 'aave' AND date = '2026-05-30'"), .real(8e9))
        let columns = try gold.rows("SELECT name FROM pragma_table_info('dashboard_dataset') ORDER BY cid").map { $0[0].rendered }
        XCTAssertEqual(columns, ["date", "canonical_id", "close", "volume", "market_cap", "chain_tvl", "protocol_tvl", "dex_volume", "lc_galaxy_score", "lc_sentiment"])
        // The standard exports are written with the mart.
        for file in ["dashboard_data.parquet", "user_facing_data.parquet"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.layout.exportsDirectory.appendingPathComponent(file).path), file)
        }
    }
}
