import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// A wrong root, setting or source address is a configuration error: exit 2, naming the file,
/// key or variable and the fix, once, before anything is fetched; an address nobody answers at
/// fails fast and says which variable to check.
final class ConfigurationErrorTests: XCTestCase {
    func assertUsageError(_ result: CLIRunner.Result, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, 2, result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("warehouse: error: ") && result.stderr.contains(expected), result.stderr, file: file, line: line)
        XCTAssertEqual(result.stderr.components(separatedBy: "To fix this").count, 2, "one fix per message: \(result.stderr)", file: file, line: line)
        XCTAssertFalse(result.stderr.contains("Error Domain=") || result.stderr.contains("Fatal error") || result.stderr.contains("SQLite error"),
                       result.stderr, file: file, line: line)
    }

    func testTheDocumentedAPIRootWorksAndConfigShowSaysWhereRequestsGo() throws {
        let warehouse = try EmulatedWarehouse("api-root")
        warehouse.cli.environment["COINGECKO_BASE_URL"] = warehouse.emulator.baseURL + "/api/v3"
        let run = try warehouse.run(["materialize", "bronze.coingecko_coins_list"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertEqual(warehouse.emulator.requestCount, 2, "both coin lists, each fetched once at the right path")
        let shown = try warehouse.run(["config", "show"])
        let line = shown.stdout.split(separator: "\n").first { $0.hasPrefix("sources.coingecko ") }.map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        XCTAssertEqual(line, "sources.coingecko \(warehouse.emulator.baseURL)/api/v3 (requests go to \(warehouse.emulator.baseURL)/api/v3/coins/markets)", shown.stdout)
    }

    func testAMalformedBaseURLIsAConfigurationErrorBeforeAnyRequest() throws {
        let warehouse = try EmulatedWarehouse("bad-url")
        warehouse.cli.environment["COINGECKO_BASE_URL"] = "not-a-url"
        let started = Date()
        let run = try warehouse.run(["materialize", "--all"])
        assertUsageError(run, "COINGECKO_BASE_URL: 'not-a-url' is not an http(s) URL with a host")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(warehouse.emulator.requestCount, 0)
    }

    func testAClosedPortFailsFastNamingTheVariable() throws {
        let warehouse = try EmulatedWarehouse("closed-port")
        warehouse.cli.environment["COINGECKO_BASE_URL"] = "http://127.0.0.1:9"
        let started = Date()
        let run = try warehouse.run(["materialize", "bronze.coingecko_coins_list"])
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(run.status, 1)
        XCTAssertLessThan(seconds, 5, "two quick retries, not minutes of backoff")
        XCTAssertTrue(run.stdout.contains("cannot be reached") && run.stdout.contains("3 attempts"), run.stdout)
        XCTAssertTrue(run.stdout.contains("To fix this, check that COINGECKO_BASE_URL names a server that is up"), run.stdout)
        let failureLine = run.stdout.split(separator: "\n").first { $0.contains("bronze.coingecko_coins_list") && $0.contains("failed") } ?? ""
        XCTAssertEqual(failureLine.components(separatedBy: "To fix this").count, 2, "one fix per message: \(failureLine)")
    }

    func testARootThatIsAFileOrCannotBeWrittenIsNamed() throws {
        let root = TemporaryRoot("root-file")
        let file = root.url.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let cli = CLIRunner()
        assertUsageError(try cli.run(["materialize", "--all", "--root", file.path]), "--root \(file.path): \(file.path) is a file, not a folder")
        var viaEnvironment = cli
        viaEnvironment.environment["WAREHOUSE_ROOT"] = file.path
        assertUsageError(try viaEnvironment.run(["assets"]), "WAREHOUSE_ROOT=\(file.path)")
        // /proc/self is a folder nobody can create files in, even root.
        assertUsageError(try cli.run(["materialize", "bronze.coingecko_coins_list", "--root", "/proc/self"]),
                         "warehouse root /proc/self: /proc/self/raw cannot be created")
    }

    func testSettingsFilesThatAreNotUTF8OrNameUnknownThingsAreErrors() throws {
        let warehouse = try EmulatedWarehouse("bad-settings")
        let toml = warehouse.root.url.appendingPathComponent("warehouse.toml")
        var bytes = [UInt8]("[coingecko]\nuniverse_size = 5\n# caf".utf8) + [0xE9] + [UInt8]("\n".utf8)
        try Data(bytes).write(to: toml)
        assertUsageError(try warehouse.run(["materialize", "--all"]), "\(toml.path) line 3: byte 35 (0xE9) is not UTF-8 text")
        try FileManager.default.removeItem(at: toml)
        bytes = [UInt8]("WAREHOUSE_UNIVERSE_SIZE=5\n".utf8) + [0xFF]
        let env = warehouse.root.url.appendingPathComponent(".env")
        try Data(bytes).write(to: env)
        assertUsageError(try warehouse.run(["assets"]), "\(env.path) line 2")
        try FileManager.default.removeItem(at: env)
        try "[exchanges]\nvenues = [\"binance\", \"okx\"]\n".write(to: toml, atomically: true, encoding: .utf8)
        assertUsageError(try warehouse.run(["assets"]), "\(toml.path): exchanges.venues: 'okx' is not a venue this warehouse polls (binance, kraken, coinbase)")
        try "[stocks]\ntickers = [\"AAPL\", \"BRK B\"]\n".write(to: toml, atomically: true, encoding: .utf8)
        assertUsageError(try warehouse.run(["assets"]), "stocks.tickers: 'BRK B' is not a ticker")
        try "[stocks]\nfx = [\"USDINR\"]\n".write(to: toml, atomically: true, encoding: .utf8)
        assertUsageError(try warehouse.run(["assets"]), "stocks.fx: 'USDINR' is not a Yahoo currency pair such as USDINR=X")
        try "[exchanges]\nsymbols = [\"BTCUSDT\"]\n".write(to: toml, atomically: true, encoding: .utf8)
        assertUsageError(try warehouse.run(["assets"]), "exchanges.symbols: 'BTCUSDT' is not a pair written BASE/QUOTE")
        XCTAssertEqual(warehouse.emulator.requestCount, 0)
    }

    func testTheEmulatorRefusesAnEmptyMarket() throws {
        let emulator = try CLIRunner().run(["emulator", "--coins", "0"])
        XCTAssertEqual(emulator.status, 2)
        XCTAssertTrue(emulator.stderr.contains("--coins must be between 1 and 20000, got 0."), emulator.stderr)
        var cli = CLIRunner(extra: ["EMULATOR_COINS": "0"])
        cli.environment["EMULATOR_COINS"] = "0"
        let root = TemporaryRoot("no-coins")
        assertUsageError(try cli.run(["materialize", "bronze.coingecko_coins_list", "--root", root.path]), "EMULATOR_COINS: '0' is not a number of coins")
    }
}
