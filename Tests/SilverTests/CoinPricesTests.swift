import Foundation
import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

/// silver.coin_prices from raw files written by another tool, real fixtures and ugly cases.
final class CoinPricesTests: XCTestCase {
    func build(_ root: TemporaryRoot, _ asset: AssetKey = SilverAssets.coinPrices) throws -> BuildOutcome {
        let spec = SilverAssets.specs().first { $0.key == asset }!
        return try spec.build(BuildContext(key: asset, version: spec.version, layout: root.layout, runID: "test", clock: TestClock.clock))
    }

    func silver(_ root: TemporaryRoot) throws -> Database { try Database(path: root.layout.silverDatabase.path) }

    func testRealFixturesLoadPointForPoint() throws {
        let root = TemporaryRoot()
        let fixtures = ["bitcoin": "coins_bitcoin_market_chart_range_OFFICIAL_DOC_EXAMPLE_assembled.json",
                        "alephium": "coins_alephium_market_chart_vs-btc_daily_sci-notation.json",
                        "matic-network": "coins_matic-network_market_chart_days-1_vs-usd.json"]
        var expected: [String: [[Double]]] = [:]
        for (coin, file) in fixtures {
            let data = try Fixtures.data("real/coingecko/\(file)")
            try ForeignRawWriter.write(data, root: root, day: "2026-11-20", dataset: "coingecko/market_chart", key: coin)
            let object = try JSONDecoder().decode([String: [[Double]]].self, from: data)
            expected[coin] = object["prices"]!.indices.map { i in [object["prices"]![i][0], object["prices"]![i][1], object["market_caps"]![i][1], object["total_volumes"]![i][1]] }
        }
        let outcome = try build(root)
        XCTAssertEqual(outcome.rows, expected.values.map(\.count).reduce(0, +))
        XCTAssertEqual(outcome.rejects, 0)
        let database = try silver(root)
        for (coin, points) in expected {
            let rows = try database.rows("SELECT ts, price, market_cap, volume FROM coin_prices WHERE coin_id = ? ORDER BY ts", [.text(coin)])
            XCTAssertEqual(rows.count, points.count, coin)
            for (row, point) in zip(rows, points) {
                XCTAssertEqual(row.map { $0.double! }, point, coin)
            }
        }
        // Every row traces back to its raw file.
        let traced = try database.scalar("""
            SELECT count(*) FROM coin_prices p JOIN _raw_files f USING (raw_file_id)
            WHERE f.path = 'raw/2026-11-20/coingecko/market_chart/' || p.coin_id || '.json'
            """)
        XCTAssertEqual(traced?.int, outcome.rows)
    }

    func testNewestSnapshotWinsWhereWindowsOverlap() throws {
        let root = TemporaryRoot()
        let hour: Int64 = 3_600_000
        let base: Int64 = 1_790_000_000_000
        try ForeignRawWriter.write(ForeignRawWriter.marketChart((0..<4).map { .init(base + Int64($0) * hour, 10 + Double($0), 1000, 5) }),
                                   root: root, day: "2026-11-20", dataset: "coingecko/market_chart", key: "bitcoin@20261101-20261120")
        try ForeignRawWriter.write(ForeignRawWriter.marketChart((2..<6).map { .init(base + Int64($0) * hour, 20 + Double($0), 2000, 6) }),
                                   root: root, day: "2026-11-21", dataset: "coingecko/market_chart", key: "bitcoin", gzip: true)
        XCTAssertEqual(try build(root).rows, 6)
        let prices = try silver(root).rows("SELECT price FROM coin_prices WHERE coin_id = 'bitcoin' ORDER BY ts").map { $0[0].double! }
        XCTAssertEqual(prices, [10, 11, 22, 23, 24, 25])
        let newest = try silver(root).scalar("SELECT f.path FROM coin_prices JOIN _raw_files f USING (raw_file_id) WHERE price = 22")
        XCTAssertEqual(newest?.string, "raw/2026-11-21/coingecko/market_chart/bitcoin.json.gz")
    }

    func testBadRowsAndFilesGoToRejectsAndTheRestLoads() throws {
        let root = TemporaryRoot()
        let good = Data(#"{"prices":[[1790000000000,"101.5"],[1790003600000,null],[1790007200000,-3],[1790010800000,99]],"market_caps":[[1790000000000,5],[1790003600000,5],[1790007200000,5],[1790010800000,null]],"total_volumes":[[1790000000000,"lots"],[1790003600000,1],[1790007200000,1],[1790010800000,1]]}"#.utf8)
        try ForeignRawWriter.write(good, root: root, day: "2026-11-20", dataset: "coingecko/market_chart", key: "ethereum")
        let truncated = Data(#"{"prices":[[1790000000000,1.5],[17900"#.utf8)
        try ForeignRawWriter.write(truncated, root: root, day: "2026-11-20", dataset: "coingecko/market_chart", key: "solana")
        try ForeignRawWriter.write(Data(#"{"error":"coin not found"}"#.utf8), root: root, day: "2026-11-20", dataset: "coingecko/market_chart", key: "ghost")
        let outcome = try build(root)
        XCTAssertEqual(outcome.rows, 2)
        let rows = try silver(root).rows("SELECT price, market_cap, volume FROM coin_prices ORDER BY ts")
        XCTAssertEqual(rows, [[.real(101.5), .real(5), .null], [.real(99), .null, .real(1)]])
        let rejects = try silver(root).rows("SELECT asset, raw_file, locator, reason FROM _rejects ORDER BY raw_file, locator").map { $0.map(\.rendered) }
        XCTAssertEqual(rejects.count, 4)
        XCTAssertEqual(rejects[0][0...2], ["silver.coin_prices", "raw/2026-11-20/coingecko/market_chart/ethereum.json", "prices[1]"])
        XCTAssertEqual(rejects[0][3], "price is null")
        XCTAssertEqual(rejects[1][2...3], ["prices[2]", "price -3.0 is not a positive number"])
        XCTAssertEqual(rejects[2][1...2], ["raw/2026-11-20/coingecko/market_chart/ghost.json", "file"])
        XCTAssertTrue(rejects[2][3].contains("no \"prices\" array"), rejects[2][3])
        XCTAssertEqual(rejects[3][1...2], ["raw/2026-11-20/coingecko/market_chart/solana.json", "file"])
        XCTAssertTrue(rejects[3][3].contains("invalid JSON at byte"), rejects[3][3])
        XCTAssertEqual(outcome.rejects, 4)
    }

    func testRebuildReplacesTheTableAndItsRejectsWhole() throws {
        let root = TemporaryRoot()
        try ForeignRawWriter.write(Data("{".utf8), root: root, day: "2026-11-20", dataset: "coingecko/market_chart", key: "bad")
        try ForeignRawWriter.write(ForeignRawWriter.marketChart([.init(1_790_000_000_000, 1, nil, nil)]), root: root, day: "2026-11-20",
                                   dataset: "coingecko/market_chart", key: "bitcoin")
        _ = try build(root)
        try FileManager.default.removeItem(at: root.url.appendingPathComponent("raw/2026-11-20/coingecko/market_chart/bad.json"))
        _ = try build(root)
        let database = try silver(root)
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM _rejects")?.int, 0)
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM coin_prices")?.int, 1)
        XCTAssertFalse(try database.tableExists("coin_prices__build"))
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM _materializations WHERE asset = 'silver.coin_prices'")?.int, 1,
                       "both builds ran as run 'test'; the record is replaced, not duplicated")
    }

    func testRejectsWrittenAsTheBuildGoesAreKeptByAnIncrementalBuildAndReplacedByARebuild() throws {
        let root = TemporaryRoot()
        let hour: Int64 = 3_600_000, base: Int64 = 1_790_000_000_000
        func write(_ coin: String, day: String, hours: Range<Int64>, badAt: Int64) throws -> String {
            try ForeignRawWriter.write(ForeignRawWriter.marketChart(hours.map { .init(base + $0 * hour, $0 == badAt ? nil : 10, nil, nil) }),
                                       root: root, day: day, dataset: "coingecko/market_chart", key: coin)
        }
        func rejects() throws -> [String] {
            try silver(root).rows("SELECT raw_file || ' ' || locator FROM _rejects WHERE asset = 'silver.coin_prices' ORDER BY 1").map { $0[0].string! }
        }
        let coins = (0..<30).map { "coin-\($0)" }
        var first: [String] = []
        for coin in coins { first.append(try write(coin, day: "2026-11-20", hours: 0..<5, badAt: 2)) }
        XCTAssertEqual(try build(root).rejects, 30)
        XCTAssertEqual(try rejects(), first.sorted().map { "\($0) prices[2]" })

        // A day later, newer snapshots of two coins: the build extends in place and adds their rejects.
        let later = [try write("coin-3", day: "2026-11-21", hours: 5..<9, badAt: 6), try write("coin-7", day: "2026-11-21", hours: 5..<9, badAt: 8)]
        let extended = try build(root)
        XCTAssertEqual(extended.rowsWritten, 6, "an incremental build")
        XCTAssertEqual(try rejects(), (first.map { "\($0) prices[2]" } + ["\(later[0]) prices[1]", "\(later[1]) prices[3]"]).sorted())

        // One file goes: a rebuild, whose rejects replace the earlier ones, each once.
        try FileManager.default.removeItem(at: root.url.appendingPathComponent(first[0]))
        let rebuilt = try build(root)
        XCTAssertEqual(rebuilt.rejects, 31)
        XCTAssertEqual(try rejects(), (first.dropFirst().map { "\($0) prices[2]" } + ["\(later[0]) prices[1]", "\(later[1]) prices[3]"]).sorted())
    }
}
