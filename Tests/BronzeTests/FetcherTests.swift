import Bronze
import Foundation
import HTTPClient
import MarketEmulator
import Warehouse
import WarehouseTestSupport
import XCTest

/// The fetcher over real loopback HTTP to the emulator: faults, truncation, pacing, secrets.
final class FetcherTests: XCTestCase {
    let dataset = RawDataset(source: "coingecko", dataset: "market_chart")

    func requests(_ coins: [String]) -> [RawRequest] {
        coins.map { coin in
            RawRequest(dataset: dataset, key: coin, path: "/api/v3/coins/\(coin)/market_chart/range",
                       params: [QueryParam("vs_currency", "usd"), QueryParam("from", "1790000000"), QueryParam("to", "1792000000")],
                       freshness: .today(maxAge: 86_400))
        }
    }

    func context(_ root: TemporaryRoot, refresh: Bool = false) -> BuildContext {
        BuildContext(key: AssetKey(.bronze, "coingecko_market_chart"), version: "test", layout: root.layout, runID: "test",
                     clock: TestClock.clock, refresh: refresh)
    }

    func bodies(_ root: TemporaryRoot) throws -> [String: Data] {
        let store = RawStore(layout: root.layout)
        return Dictionary(uniqueKeysWithValues: try store.snapshots(of: dataset).map { ($0.key, try store.body(of: $0)) })
    }

    func testFaultyAPIGivesTheSameSnapshotsAsACleanOne() throws {
        let coins = ["bitcoin", "ethereum", "tether", "solana", "cardano", "dogecoin", "ripple", "litecoin"]
        let clean = try MarketEmulator(seed: 3, coinCount: 30, clock: TestClock.clock)
        let faulty = try MarketEmulator(seed: 3, coinCount: 30, clock: TestClock.clock,
                                        faults: FaultPlan(rateLimited: 0.3, retryAfter: "0", serverErrors: 0.1, truncated: 0.15))
        defer { clean.stop(); faulty.stop() }
        let fast = RetryPolicy(maxAttempts: 30, baseDelay: 0.005, maxDelay: 0.05)
        let cleanRoot = TemporaryRoot("clean"), faultyRoot = TemporaryRoot("faulty")
        let cleanStats = try Fetcher(endpoint: SourceEndpoint(source: "coingecko", baseURL: clean.baseURL), retry: fast)
            .fetch(requests(coins), context: context(cleanRoot))
        let faultyStats = try Fetcher(endpoint: SourceEndpoint(source: "coingecko", baseURL: faulty.baseURL), retry: fast)
            .fetch(requests(coins), context: context(faultyRoot))
        XCTAssertEqual(cleanStats.requests, coins.count)
        XCTAssertGreaterThan(faultyStats.requests, coins.count, "faults must have caused retries")
        XCTAssertEqual(faultyStats.requests, faulty.requestCount)
        XCTAssertEqual(try bodies(cleanRoot), try bodies(faultyRoot))
        XCTAssertEqual(try bodies(faultyRoot).count, coins.count)
    }

    func testTruncatedBodiesAreNeverStored() throws {
        let emulator = try MarketEmulator(seed: 3, coinCount: 30, clock: TestClock.clock, faults: FaultPlan(truncated: 1))
        defer { emulator.stop() }
        let root = TemporaryRoot()
        let fetcher = Fetcher(endpoint: SourceEndpoint(source: "coingecko", baseURL: emulator.baseURL),
                              retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.01))
        XCTAssertThrowsError(try fetcher.fetch(requests(["bitcoin"]), context: context(root))) { error in
            let failures = error as? FetchFailures
            XCTAssertEqual(failures?.failures.count, 1)
            XCTAssertEqual(failures?.stored, 0)
            XCTAssertTrue("\(error)".contains("failed 3 times"), "\(error)")
        }
        XCTAssertEqual(emulator.requestCount, 3)
        XCTAssertEqual(try RawStore(layout: root.layout).snapshots(of: dataset).count, 0)
    }

    func testCachedSnapshotsAreNotFetchedAgainUnlessRefreshed() throws {
        let emulator = try MarketEmulator(seed: 3, coinCount: 30, clock: TestClock.clock)
        defer { emulator.stop() }
        let root = TemporaryRoot()
        let fetcher = Fetcher(endpoint: SourceEndpoint(source: "coingecko", baseURL: emulator.baseURL))
        _ = try fetcher.fetch(requests(["bitcoin", "ethereum"]), context: context(root))
        let second = try fetcher.fetch(requests(["bitcoin", "ethereum", "tether"]), context: context(root))
        XCTAssertEqual(second.cacheHits, 2)
        XCTAssertEqual(second.requests, 1)
        XCTAssertEqual(emulator.requestCount, 3)
        let refreshed = try fetcher.fetch(requests(["bitcoin"]), context: context(root, refresh: true))
        XCTAssertEqual(refreshed.requests, 1)
        XCTAssertEqual(emulator.requestCount, 4)
    }

    func testRateLimitSpacesRequestsAcrossWorkers() throws {
        let emulator = try MarketEmulator(seed: 3, coinCount: 30, clock: TestClock.clock)
        defer { emulator.stop() }
        let root = TemporaryRoot()
        let fetcher = Fetcher(endpoint: SourceEndpoint(source: "coingecko", baseURL: emulator.baseURL, requestsPerSecond: 10), concurrency: 4)
        let started = Date()
        _ = try fetcher.fetch(requests(["bitcoin", "ethereum", "tether", "solana", "cardano", "dogecoin"]), context: context(root))
        // Six requests at 10/s need at least five intervals of 0.1 s, whatever the concurrency.
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.5)
    }

    func testApiKeyTravelsInAHeaderAndNeverReachesDiskOrErrors() throws {
        let secret = "CG-secret-key-123"
        let endpoint = try SourceEndpoint.coingecko(environment: ["COINGECKO_PRO_API_KEY": secret])
        XCTAssertEqual(endpoint.baseURL, "https://pro-api.coingecko.com")
        XCTAssertEqual(endpoint.secretHeaders, ["x-cg-pro-api-key": secret])
        XCTAssertEqual(endpoint.redact("failed with key \(secret)"), "failed with key REDACTED")

        let emulator = try MarketEmulator(seed: 3, coinCount: 30, clock: TestClock.clock)
        defer { emulator.stop() }
        let root = TemporaryRoot()
        let local = try SourceEndpoint.coingecko(environment: ["COINGECKO_PRO_API_KEY": secret, "COINGECKO_BASE_URL": emulator.baseURL])
        _ = try Fetcher(endpoint: local).fetch(requests(["bitcoin"]), context: context(root))
        XCTAssertThrowsError(try Fetcher(endpoint: local).fetch(requests(["no-such-coin"]), context: context(root))) { error in
            XCTAssertTrue("\(error)".contains("HTTP 404"))
            XCTAssertFalse("\(error)".contains(secret))
        }
        let everything = FileManager.default.enumerator(at: root.url, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
        for file in everything where file.pathExtension == "json" {
            XCTAssertFalse(try String(contentsOf: file, encoding: .utf8).contains(secret), file.path)
        }
    }
}
