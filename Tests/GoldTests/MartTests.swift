import Foundation
import Gold
import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

/// The marts on a hand-built silver database (gold knows silver only by its tables).
final class MartTests: XCTestCase {
    let day0: Int64 = 1_780_000_000_000 - 1_780_000_000_000 % 86_400_000

    /// Four coins, 40 days of two points a day, and one markets snapshot.
    func makeSilver(_ root: TemporaryRoot) throws {
        let silver = try Database(path: root.layout.silverDatabase.path)
        try silver.execute("""
            CREATE TABLE coin_prices (coin_id TEXT, ts INTEGER, price REAL, market_cap REAL, volume REAL, raw_file_id INTEGER, PRIMARY KEY (coin_id, ts));
            CREATE TABLE coin_markets (snapshot_date TEXT, coin_id TEXT, symbol TEXT, name TEXT, market_cap_rank INTEGER, current_price REAL,
                market_cap REAL, total_volume REAL, price_change_percentage_24h REAL, price_change_percentage_7d REAL,
                PRIMARY KEY (snapshot_date, coin_id));
            """)
        let caps: [(String, Double, Double?)] = [("large", 2e10, 3.5), ("mid", 5e9, nil), ("small", 2e8, nil), ("micro", 5e7, -1)]
        for (index, (coin, cap, change7d)) in caps.enumerated() {
            for day in 0..<40 {
                for (offset, bump) in [(3_600_000, 0.0), (80_000_000, 0.5)] {
                    let price = 10 + Double(index) + Double(day) * 0.1 * Double(index + 1) + bump + sin(Double(day))
                    try silver.execute("INSERT INTO coin_prices VALUES (?, ?, ?, ?, ?, 1)",
                                       [.text(coin), .integer(day0 + Int64(day) * 86_400_000 + Int64(offset)), .real(price), .real(cap), .real(1000)])
                }
            }
            try silver.execute("INSERT INTO coin_markets VALUES ('2026-06-01', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               [.text(coin), .text(coin), .text(coin.capitalized), .integer(Int64(index + 1)), .real(1), .real(cap), .real(7),
                                .real(Double(index)), change7d.sqlValue])
        }
    }

    func build(_ root: TemporaryRoot, _ keys: [AssetKey]) throws {
        let graph = try AssetGraph(try GoldAssets.specs(settings: WarehouseSettings(), upstreams: SilverAssets.specs(settings: WarehouseSettings()), environment: [:]).map { spec in
            // The silver upstreams live outside this graph: keep only gold edges.
            AssetSpec(key: spec.key, upstreams: spec.upstreams.filter { $0.layer == .gold }, tags: spec.tags, summary: spec.summary,
                      version: spec.version, inputs: spec.inputs, build: spec.build)
        })
        for key in keys {
            let spec = graph[key]!
            let outcome = try spec.build(BuildContext(key: key, version: spec.version, layout: root.layout, runID: "t", clock: TestClock.clock))
            XCTAssertTrue(outcome.recorded)
        }
    }

    func testAnalyticsMartRanksCategorizesAndMeasures() throws {
        let root = TemporaryRoot("marts")
        try makeSilver(root)
        try build(root, [GoldAssets.coinDailyFeatures, GoldAssets.cryptoAnalyticsMart, GoldAssets.marketSegmentAnalysis])
        let gold = try Database(path: root.layout.goldDatabase.path)
        let mart = try gold.rows("SELECT rank, coin_id, market_cap_category, change_7d_pct, volatility_30d FROM crypto_analytics_mart ORDER BY rank")
        XCTAssertEqual(mart.map { $0[1].string }, ["large", "mid", "small", "micro"])
        XCTAssertEqual(mart.map { $0[2].string }, ["Large Cap", "Mid Cap", "Small Cap", "Micro Cap"])
        XCTAssertEqual(mart[0][3], .real(3.5), "the snapshot's 7d change wins when present")

        // Without one, the 7d change and the volatility come from the daily closes.
        let closes = try gold.rows("SELECT close, return_1d FROM coin_daily_features WHERE coin_id = 'mid' ORDER BY date")
        XCTAssertEqual(closes.count, 40)
        XCTAssertEqual(mart[1][3].double!, 100 * (closes[39][0].double! / closes[32][0].double! - 1), accuracy: 1e-9)
        let returns = closes.suffix(30).map { $0[1].double! }
        let mean = returns.reduce(0, +) / 30
        let std = (returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 29).squareRoot()
        XCTAssertEqual(mart[1][4].double!, std, accuracy: 1e-12)

        let segments = try gold.rows("SELECT market_cap_category, coin_count, market_share_pct FROM market_segment_analysis ORDER BY market_cap_category")
        XCTAssertEqual(segments.map { $0[1].int }, [1, 1, 1, 1])
        XCTAssertEqual(segments.map { $0[2].double! }.reduce(0, +), 100, accuracy: 1e-9)
        XCTAssertEqual(segments.first { $0[0].string == "Large Cap" }?[2].double ?? 0, 100 * 2e10 / (2e10 + 5e9 + 2e8 + 5e7), accuracy: 1e-9)
    }

    func testDailyBarsTakeFirstLastAndExtremesOfTheDay() throws {
        let root = TemporaryRoot("bars")
        try makeSilver(root)
        try build(root, [GoldAssets.coinDailyFeatures])
        let gold = try Database(path: root.layout.goldDatabase.path)
        let bar = try gold.rows("SELECT date, open, high, low, close FROM coin_daily_features WHERE coin_id = 'large' ORDER BY date LIMIT 1")[0]
        XCTAssertEqual(bar[0].string, Day(unixSeconds: day0 / 1000).description)
        let first = 10 + sin(0.0)
        XCTAssertEqual(bar[1...4].map { $0.double! }, [first, first + 0.5, first, first + 0.5])
    }

    func testMissingSilverIsAClearError() throws {
        let root = TemporaryRoot("nosilver")
        XCTAssertThrowsError(try build(root, [GoldAssets.coinDailyFeatures])) { error in
            XCTAssertTrue("\(error)".contains("silver database \(root.layout.silverDatabase.path) does not exist"), "\(error)")
            XCTAssertTrue("\(error)".contains("To fix this"), "\(error)")
        }
    }
}
