import Foundation
import MarketEmulator
import Warehouse
import WarehouseTestSupport
import XCTest

/// Every source through the CLI: faults, secrets, pacing.
final class SourcesTests: XCTestCase {
    static let silverTables = ["chain_tvl": "chain, date", "coin_markets": "snapshot_date, coin_id", "coin_ohlc": "coin_id, ts",
                               "coin_prices": "coin_id, ts", "dex_volume": "protocol, date", "exchange_ticks": "exchange, symbol, received_ts",
                               "fx_rates": "pair, date", "protocol_tvl": "protocol, date", "social_metrics": "coin_id, date",
                               "stock_prices": "ticker, date", "asset_map": "coin_id", "exchange_connections": "exchange, received_ts, raw_file_id, raw_line",
                               "exchange_gaps": "exchange, symbol, gap_start_ts", "exchange_outliers": "exchange, symbol, received_ts, raw_file_id, raw_line",
                               "_rejects": "asset, raw_file, locator"]
    /// Filled from what `warehouse collect` stores, which the main job does not run.
    static let streamTables: Set<String> = ["exchange_connections", "exchange_gaps", "exchange_outliers"]

    func testEverySilverTableIsFilledAndFaultyAPIsGiveTheSameContent() throws {
        let fast = ["WAREHOUSE_RETRY_BASE_SECONDS": "0.005"]
        let clean = try EmulatedWarehouse("clean", extra: fast)
        let faulty = try EmulatedWarehouse("faulty", faults: FaultPlan(rateLimited: 0.3, retryAfter: "0", serverErrors: 0.1, truncated: 0.05), extra: fast)
        let a = try clean.run(["materialize", "--all"])
        let b = try faulty.run(["materialize", "--all"])
        XCTAssertEqual(a.status, 0, a.stdout + a.stderr)
        XCTAssertEqual(b.status, 0, b.stdout + b.stderr)
        XCTAssertGreaterThan(faulty.emulator.requestCount, clean.emulator.requestCount + 20, "faults must have forced retries")

        let silver = TableDump.self
        XCTAssertEqual(Set(try silver.tables(clean.root.layout.silverDatabase.path)), Set(Self.silverTables.keys.filter { !$0.hasPrefix("_") }))
        for (table, order) in Self.silverTables {
            let cleanRows = try silver.rows(clean.root.layout.silverDatabase.path, table, orderBy: order)
            if !table.hasPrefix("_"), !Self.streamTables.contains(table) { XCTAssertFalse(cleanRows.isEmpty, "\(table) is empty") }
            XCTAssertEqual(cleanRows, try silver.rows(faulty.root.layout.silverDatabase.path, table, orderBy: order), "\(table) differs under faults")
        }
        // Every exchange and a normalised symbol set.
        let ticks = try Database(path: clean.root.layout.silverDatabase.path, readOnly: true)
        XCTAssertEqual(try ticks.rows("SELECT DISTINCT exchange FROM exchange_ticks ORDER BY 1").compactMap { $0[0].string }, ["binance", "coinbase", "kraken"])
        XCTAssertEqual(try ticks.rows("SELECT DISTINCT symbol FROM exchange_ticks WHERE exchange = 'kraken' ORDER BY 1").compactMap { $0[0].string },
                       ["BTC/USD", "BTC/USDT", "ETH/USD", "ETH/USDT", "SOL/USD", "SOL/USDT"])
        XCTAssertEqual(try ticks.scalar("SELECT count(*) FROM chain_tvl WHERE chain = 'Ethereum' AND coin_id = 'ethereum'")?.int.map { $0 > 100 }, true)
    }

    func testSecretsNeverReachFilesLogsOrErrors() throws {
        let coingeckoKey = "CG-super-secret-0001", lunarKey = "lc-super-secret-0002"
        let warehouse = try EmulatedWarehouse("secrets", extra: ["COINGECKO_PRO_API_KEY": coingeckoKey, "LUNARCRUSH_API_KEY": lunarKey])
        let run = try warehouse.run(["materialize", "--all", "--verbose"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let shown = try warehouse.run(["config", "show"])
        XCTAssertTrue(shown.stdout.split(separator: "\n").contains { $0.split(separator: " ").joined(separator: " ") == "secrets.COINGECKO_PRO_API_KEY ****01" }, shown.stdout)
        // A pro key without a base URL means the real pro API, not the emulator.
        var proOnly = warehouse.cli
        proOnly.environment["COINGECKO_BASE_URL"] = nil
        let real = try proOnly.run(["config", "show", "--root", warehouse.root.path])
        let coingecko = real.stdout.split(separator: "\n").first { $0.hasPrefix("sources.coingecko ") }
        XCTAssertEqual(coingecko?.split(separator: " ", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces),
                       "https://pro-api.coingecko.com (requests go to https://pro-api.coingecko.com/api/v3/coins/markets)")
        // A failing source: its error message names the URL, never the key.
        var broken = warehouse.cli
        broken.environment["COINGECKO_BASE_URL"] = "http://127.0.0.1:9"
        broken.environment["WAREHOUSE_RETRY_BASE_SECONDS"] = "0.001"
        let failed = try broken.run(["materialize", "bronze.coingecko_markets", "--refresh", "--verbose", "--root", warehouse.root.path])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stdout.contains("http://127.0.0.1:9/api/v3/coins/markets"), failed.stdout)
        for text in [run.stdout, run.stderr, shown.stdout, failed.stdout, failed.stderr] {
            XCTAssertFalse(text.contains(coingeckoKey) || text.contains(lunarKey))
        }
        let files = FileManager.default.enumerator(at: warehouse.root.url, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
        XCTAssertGreaterThan(files.count, 50)
        for file in files where !file.hasDirectoryPath {
            let bytes = (try? Data(contentsOf: file)) ?? Data()
            XCTAssertNil(bytes.range(of: Data(coingeckoKey.utf8)), file.path)
            XCTAssertNil(bytes.range(of: Data(lunarKey.utf8)), file.path)
        }
    }

    func testConfiguredRateLimitPacesTheRun() throws {
        let warehouse = try EmulatedWarehouse("paced", extra: ["COINGECKO_RATE_LIMIT": "20"])
        let started = Date()
        let result = try warehouse.run(["materialize", "+bronze.coingecko_market_chart", "--json"])
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(result.status, 0, result.stderr)
        let requests = warehouse.emulator.requestCount
        XCTAssertGreaterThan(requests, 20)
        // n requests at 20/s need at least (n - 1) / 20 seconds; the three assets run one after another.
        XCTAssertGreaterThanOrEqual(elapsed, Double(requests - 3) / 20)
    }
}
