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
            Point a run at it by setting COINGECKO_BASE_URL, DEFILLAMA_BASE_URL, LUNARCRUSH_BASE_URL, YAHOO_BASE_URL, BINANCE_BASE_URL, KRAKEN_BASE_URL and COINBASE_BASE_URL to http://127.0.0.1:PORT (a source left unset gets a separate in-process emulator). GET /_emulator/stats returns the number of requests served, per route, and per venue the stream connections, messages and drops. The exchanges' WebSocket ticker streams are at ws://127.0.0.1:PORT/stream (Binance combined streams), ws://127.0.0.1:PORT/v2 (Kraken v2) and ws://127.0.0.1:PORT/ (Coinbase Exchange): set BINANCE_WS_URL=ws://127.0.0.1:PORT, KRAKEN_WS_URL=ws://127.0.0.1:PORT/v2 and COINBASE_WS_URL=ws://127.0.0.1:PORT for `warehouse collect`. WAREHOUSE_NOW pins the emulator's clock.
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

    @Option(name: .customLong("ws-rate"), help: "Stream ticker messages per second per subscribed symbol.")
    var streamRate = 2.0

    @Option(name: .customLong("ws-disconnect-every"), help: "Drop each stream connection after this many seconds (0: never); drops alternate between a close frame and a silent stall.")
    var disconnectEvery = 120.0

    @Option(name: .customLong("ws-stall-seconds"), help: "How long a stalled stream stays silent before its socket closes.")
    var stallSeconds = 3.0

    @Option(name: .customLong("ws-bad"), help: "Share of stream messages sent malformed (0...1).")
    var badMessages = 0.0005

    @Option(name: .customLong("ws-spikes"), help: "Share of stream messages sent with prices 5% off (0...1), the outliers silver flags.")
    var priceSpikes = 0.0005

    @Option(name: .customLong("ws-refuse"), help: "Venues that refuse every stream subscription, comma-separated.")
    var refusing = ""

    @Option(name: .customLong("ws-down"), help: "Venues whose stream refuses every connection (HTTP 503), comma-separated.")
    var down = ""

    @Option(name: .customLong("ws-refused-reconnects"), help: "Reconnects refused with 503 after each scheduled drop.")
    var refusedReconnects = 0

    func validate() throws {
        guard streamRate > 0, streamRate <= 100_000 else { throw ValidationError("--ws-rate must be above 0 and at most 100000, got \(streamRate).") }
        guard disconnectEvery >= 0, stallSeconds >= 0, refusedReconnects >= 0 else {
            throw ValidationError("--ws-disconnect-every, --ws-stall-seconds and --ws-refused-reconnects must not be negative.")
        }
        for venue in Self.venues(refusing) + Self.venues(down) where !["binance", "kraken", "coinbase"].contains(venue) {
            throw ValidationError("'\(venue)' is not a venue of the emulator: use binance, kraken or coinbase.")
        }
        guard EmulatorSettings.coinRange.contains(coins) else {
            throw ValidationError("--coins must be between 1 and \(EmulatorSettings.maxCoins), got \(coins).")
        }
        for (name, value) in [("--fault-429", rateLimited), ("--fault-5xx", serverErrors), ("--fault-truncate", truncated), ("--fault-slow", slow), ("--ws-bad", badMessages), ("--ws-spikes", priceSpikes)]
        where !(0...1).contains(value) {
            throw ValidationError("\(name) must be between 0 and 1, got \(value).")
        }
    }

    func run() throws {
        let clock = try WarehouseClock.fromEnvironment()
        let emulator = try MarketEmulator(
            port: port, seed: seed, coinCount: coins, clock: clock,
            faults: FaultPlan(rateLimited: rateLimited, retryAfter: retryAfter, serverErrors: serverErrors,
                              slow: slow, slowSeconds: slowSeconds, truncated: truncated),
            streams: StreamPlan(messagesPerSecond: streamRate, disconnectEvery: disconnectEvery == 0 ? nil : disconnectEvery, stallSeconds: stallSeconds,
                                badMessages: badMessages, priceSpikes: priceSpikes, refusingVenues: Set(Self.venues(refusing)), downVenues: Set(Self.venues(down)),
                                refusedReconnects: refusedReconnects))
        print("Market emulator listening on \(emulator.baseURL) (seed \(seed), \(coins) coins).")
        let variables = WarehouseSettings.baseURLVariables.map { "\($0)=\(emulator.baseURL)" }
        print("Use it with: \(variables.joined(separator: " ")) warehouse materialize --all")
        let ws = emulator.baseURL.replacingOccurrences(of: "http://", with: "ws://")
        print("Streams: BINANCE_WS_URL=\(ws) KRAKEN_WS_URL=\(ws)/v2 COINBASE_WS_URL=\(ws) warehouse collect")
        withExtendedLifetime(emulator) {
            while true { Thread.sleep(forTimeInterval: 3600) }
        }
    }

    static func venues(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
    }
}
