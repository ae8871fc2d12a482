import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

final class SettingsTests: XCTestCase {
    func testTomlFileThenEnvironmentOverDefaults() throws {
        let root = TemporaryRoot("settings")
        try """
            # a comment
            [coingecko]
            universe_size = 40      # trailing comment
            include_inactive = false
            [stocks]
            tickers = ["AAPL", "TCS.NS"]
            [rate_limits]
            coingecko = 2.5
            yahoo = 1
            [fetch]
            retry_base_seconds = 0.01
            """.write(to: root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
        let settings = try WarehouseSettings.load(root: root.url, environment: ["WAREHOUSE_UNIVERSE_SIZE": "25", "KRAKEN_RATE_LIMIT": "0.5"])
        XCTAssertEqual(settings.universeSize, 25, "the environment wins over the file")
        XCTAssertFalse(settings.includeInactive)
        XCTAssertEqual(settings.tickers, ["AAPL", "TCS.NS"])
        XCTAssertEqual(settings.rateLimits, ["coingecko": 2.5, "yahoo": 1, "kraken": 0.5])
        XCTAssertEqual(settings.retryBaseSeconds, 0.01)
        XCTAssertEqual(settings.historyDays, WarehouseSettings().historyDays)
    }

    func testMistakesNameTheLineOrKeyAndTheFix() throws {
        let root = TemporaryRoot("settings-bad")
        let file = root.url.appendingPathComponent("warehouse.toml")
        func error(_ text: String, environment: [String: String] = [:]) -> String {
            try? text.write(to: file, atomically: true, encoding: .utf8)
            do { _ = try WarehouseSettings.load(root: root.url, environment: environment); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(error("[coingecko]\nuniverse_size = lots\n").contains("warehouse.toml line 2"), error("[coingecko]\nuniverse_size = lots\n"))
        XCTAssertTrue(error("[coingecko]\nuniverse_sise = 4\n").contains("coingecko.universe_sise: is not a setting"))
        XCTAssertTrue(error("[coingecko]\nuniverse_size = 0\n").contains("0 is outside 1...5000"))
        XCTAssertTrue(error("[stocks]\ntickers = AAPL\n").contains("strings need double quotes"))
        XCTAssertTrue(error("", environment: ["COINGECKO_RATE_LIMIT": "fast"]).contains("COINGECKO_RATE_LIMIT: 'fast' is not a positive number"))
        XCTAssertTrue(error("[rate_limits]\nyahoo = -1\n").contains("To fix this"))
    }

    func testFreshnessPerDatasetFromTheFileAndTheEnvironment() throws {
        let root = TemporaryRoot("settings-freshness")
        try "[freshness]\ncoingecko_markets = \"30m\"\nyahoo_chart = 7200\n".write(to: root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
        let settings = try WarehouseSettings.load(root: root.url, environment: ["WAREHOUSE_FRESHNESS_DEFILLAMA_CHAIN_TVL": "2d"])
        XCTAssertEqual(settings.freshness(of: "coingecko_markets"), 1800)
        XCTAssertEqual(settings.freshness(of: "yahoo_chart"), 7200)
        XCTAssertEqual(settings.freshness(of: "defillama_chain_tvl"), 172_800)
        XCTAssertEqual(settings.freshness(of: "coingecko_coins_list"), 86_400, "a default")
        XCTAssertTrue(settings.rendered.contains { $0 == ("freshness.coingecko_markets", "\"30m\"") })
        for (text, seconds) in [("90s", 90), ("15m", 900), ("6h", 21_600), ("1d", 86_400), ("600", 600)] { XCTAssertEqual(WarehouseSettings.duration(text), seconds, text) }
        for text in ["0", "-1h", "6x", "h", "", "1.5h"] { XCTAssertNil(WarehouseSettings.duration(text), text) }
        try "[freshness]\ncoingecko_markets = \"soon\"\n".write(to: root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try WarehouseSettings.load(root: root.url, environment: [:])) {
            XCTAssertTrue("\($0)".contains("freshness.coingecko_markets: is not a duration. To fix this, write e.g. coingecko_markets = \"6h\""), "\($0)")
        }
        try "[freshness]\ncoingecko_prices = \"1h\"\n".write(to: root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try WarehouseSettings.load(root: root.url, environment: [:])) { XCTAssertTrue("\($0)".contains("freshness.coingecko_prices: is not a setting"), "\($0)") }
        XCTAssertThrowsError(try WarehouseSettings.load(root: TemporaryRoot("fresh-env").url, environment: ["WAREHOUSE_FRESHNESS_YAHOO_CHART": "often"])) {
            XCTAssertTrue("\($0)".hasPrefix("WAREHOUSE_FRESHNESS_YAHOO_CHART: 'often' is not a duration"), "\($0)")
        }
    }
}
