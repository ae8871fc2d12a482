import Bronze
import Foundation
import HTTPClient
import MarketEmulator
import Warehouse
import WarehouseTestSupport
import XCTest

/// The emulator answers the real paths in the real shapes (Tests/Fixtures/real/coingecko).
final class CoinGeckoShapeTests: XCTestCase {
    static var emulator: MarketEmulator!

    override class func setUp() {
        emulator = try! MarketEmulator(seed: 7, coinCount: 40, clock: TestClock.clock)
    }

    func get(_ path: String) throws -> (Int, Any?) {
        let response = try CurlHTTPClient().get(Self.emulator.baseURL + path)
        return (response.status, try? JSONSerialization.jsonObject(with: response.body))
    }

    func testMarketsRowsHaveTheRealFieldsAndArePagedByMarketCap() throws {
        let fixture = try Fixtures.json("real/coingecko/coins_markets_vs-usd_per_page-250_page-1_TRUNCATED.json") as! [[String: Any]]
        let (status, body) = try get("/api/v3/coins/markets?vs_currency=usd&order=market_cap_desc&per_page=10&page=1")
        XCTAssertEqual(status, 200)
        let rows = try XCTUnwrap(body as? [[String: Any]])
        XCTAssertEqual(rows.count, 10)
        XCTAssertEqual(Set(rows[0].keys), Set(fixture[0].keys))
        let caps = rows.compactMap { $0["market_cap"] as? Double }
        XCTAssertEqual(caps, caps.sorted(by: >))
        XCTAssertEqual(rows.map { $0["market_cap_rank"] as? Int }, (1...10).map { $0 })
        let (_, page2) = try get("/api/v3/coins/markets?vs_currency=usd&per_page=10&page=2")
        XCTAssertEqual((page2 as? [[String: Any]])?.first?["market_cap_rank"] as? Int, 11)
        let (_, with7d) = try get("/api/v3/coins/markets?vs_currency=usd&per_page=1&page=1&price_change_percentage=24h,7d")
        XCTAssertNotNil((with7d as? [[String: Any]])?.first?["price_change_percentage_7d_in_currency"])
        XCTAssertEqual(try get("/api/v3/coins/markets?vs_currency=xyz").0, 400)
    }

    func testCoinsListHasPlatformsAndSeparatesInactiveCoins() throws {
        let fixture = try Fixtures.json("real/coingecko/coins_list_include_platform-true_TRUNCATED.json") as! [[String: Any]]
        let (_, active) = try get("/api/v3/coins/list?include_platform=true")
        let (_, inactive) = try get("/api/v3/coins/list?include_platform=true&status=inactive")
        let activeRows = try XCTUnwrap(active as? [[String: Any]])
        let inactiveRows = try XCTUnwrap(inactive as? [[String: Any]])
        XCTAssertEqual(Set(activeRows[0].keys), Set(fixture[0].keys))
        XCTAssertFalse(inactiveRows.isEmpty, "some simulated coins must have died")
        let activeIDs = Set(activeRows.compactMap { $0["id"] as? String })
        XCTAssertTrue(activeIDs.isDisjoint(with: inactiveRows.compactMap { $0["id"] as? String }))
        let wrapped = try XCTUnwrap(activeRows.first { $0["id"] as? String == "wrapped-bitcoin" })
        XCTAssertNotNil((wrapped["platforms"] as? [String: String])?["ethereum"])
        let (_, plain) = try get("/api/v3/coins/list")
        XCTAssertNil((plain as? [[String: Any]])?.first?["platforms"])
    }

    func testMarketChartGranularityFollowsTheSpanLikeTheRealAPI() throws {
        let now = TestClock.clock.nowUnixSeconds
        func points(_ span: Int64) throws -> [[Double]] {
            let (status, body) = try get("/api/v3/coins/bitcoin/market_chart/range?vs_currency=usd&from=\(now - span)&to=\(now)")
            XCTAssertEqual(status, 200)
            let object = try XCTUnwrap(body as? [String: Any])
            XCTAssertEqual(Set(object.keys), ["prices", "market_caps", "total_volumes"])
            return (object["prices"] as? [[Any]] ?? []).map { $0.map { ($0 as? Double) ?? .nan } }
        }
        func medianStep(_ series: [[Double]]) -> Double {
            let steps = zip(series.dropFirst(), series).map { ($0[0] - $1[0]) / 1000 }.sorted()
            return steps[steps.count / 2]
        }
        XCTAssertEqual(medianStep(try points(86_400 / 2)), 300, accuracy: 120)
        XCTAssertEqual(medianStep(try points(30 * 86_400)), 3600, accuracy: 120)
        XCTAssertEqual(medianStep(try points(200 * 86_400)), 86_400, accuracy: 120)
        XCTAssertEqual(try get("/api/v3/coins/no-such-coin/market_chart/range?vs_currency=usd&from=0&to=1").0, 404)
    }

    func testTheSameSeedServesTheSameMarket() throws {
        let other = try MarketEmulator(seed: 7, coinCount: 40, clock: TestClock.clock)
        defer { other.stop() }
        let path = "/api/v3/coins/ethereum/market_chart/range?vs_currency=usd&from=1760000000&to=1762000000"
        let a = try CurlHTTPClient().get(Self.emulator.baseURL + path).body
        let b = try CurlHTTPClient().get(other.baseURL + path).body
        XCTAssertEqual(a, b)
        XCTAssertGreaterThan(a.count, 10_000)
    }

    func testFaultsAreInjectedAndCounted() throws {
        let faulty = try MarketEmulator(seed: 7, coinCount: 20, clock: TestClock.clock, faults: FaultPlan(rateLimited: 1, retryAfter: "7"))
        defer { faulty.stop() }
        let response = try CurlHTTPClient().get(faulty.baseURL + "/api/v3/coins/list")
        XCTAssertEqual(response.status, 429)
        XCTAssertEqual(response.headers["retry-after"], "7")
        XCTAssertEqual(response.body, try Fixtures.data("real/coingecko/ERROR_http429_rate_limit_body.json"))
        XCTAssertEqual(faulty.requestCount, 1)
        XCTAssertEqual(faulty.requestCounts["coingecko/list"], 1)
    }

    func testEverySmallMarketCanBeSimulated() throws {
        // Small universes once indexed the famous deaths with a negative slot and crashed.
        for coins in 1...40 {
            let simulation = MarketSimulation(seed: 7, coinCount: coins, until: TestClock.now)
            XCTAssertGreaterThanOrEqual(simulation.coinIDs.count, coins)
            XCTAssertEqual(Set(simulation.coinIDs).count, simulation.coinIDs.count, "ids are unique at \(coins) coins")
        }
        XCTAssertThrowsError(try MarketEmulator(coinCount: 0))
    }
}
