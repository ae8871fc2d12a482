import ArgumentParser
import Foundation
import Pipeline
import MarketEmulator
import Warehouse

struct EmulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Run the built-in market emulator standalone on 127.0.0.1 until interrupted.",
        discussion: """
            Point a run at it by setting COINGECKO_BASE_URL, DEFILLAMA_BASE_URL, LUNARCRUSH_BASE_URL, YAHOO_BASE_URL, BINANCE_BASE_URL, KRAKEN_BASE_URL and COINBASE_BASE_URL to http://127.0.0.1:PORT (a source left unset gets a separate in-process emulator). GET /_emulator/stats returns the number of requests served, per route. WAREHOUSE_NOW pins the emulator's clock.
            """)

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: UInt16 = 8787

    @Option(help: "Simulation seed: the same seed serves the same market.")
    var seed: UInt64 = 42

    @Option(help: "Number of simulated coins (1...\(EmulatorSettings.maxCoins)).")
    var coins = 320

    @Option(name: .customLong("fault-429"), help: "Share of requests answered 429 (0...1).")
    var rateLimited = 0.0

    @Option(help: "Retry-After value sent with a 429.")
    var retryAfter = "1"

    @Option(name: .customLong("fault-5xx"), help: "Share of requests answered 500/503 (0...1).")
    var serverErrors = 0.0

    @Option(name: .customLong("fault-truncate"), help: "Share of bodies cut off mid-stream (0...1).")
    var truncated = 0.0

    @Option(name: .customLong("fault-slow"), help: "Share of responses delayed by --slow-seconds (0...1).")
    var slow = 0.0

    @Option(help: "Delay of a slow response, in seconds.")
    var slowSeconds = 2.0

    func validate() throws {
        guard EmulatorSettings.coinRange.contains(coins) else {
            throw ValidationError("--coins must be between 1 and \(EmulatorSettings.maxCoins), got \(coins).")
        }
        for (name, value) in [("--fault-429", rateLimited), ("--fault-5xx", serverErrors), ("--fault-truncate", truncated), ("--fault-slow", slow)]
        where !(0...1).contains(value) {
            throw ValidationError("\(name) must be between 0 and 1, got \(value).")
        }
    }

    func run() throws {
        let clock = try WarehouseClock.fromEnvironment()
        let emulator = try MarketEmulator(
            port: port, seed: seed, coinCount: coins, clock: clock,
            faults: FaultPlan(rateLimited: rateLimited, retryAfter: retryAfter, serverErrors: serverErrors,
                              slow: slow, slowSeconds: slowSeconds, truncated: truncated))
        print("Market emulator listening on \(emulator.baseURL) (seed \(seed), \(coins) coins).")
        let variables = WarehouseSettings.baseURLVariables.map { "\($0)=\(emulator.baseURL)" }
        print("Use it with: \(variables.joined(separator: " ")) warehouse materialize --all")
        withExtendedLifetime(emulator) {
            while true { Thread.sleep(forTimeInterval: 3600) }
        }
    }
}
