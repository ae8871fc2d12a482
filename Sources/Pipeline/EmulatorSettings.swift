import MarketEmulator
import Warehouse

/// The built-in emulator's settings from the environment (`EMULATOR_SEED`, `EMULATOR_COINS`,
/// and for its exchange streams `EMULATOR_WS_RATE`, messages per second per symbol, and
/// `EMULATOR_WS_DISCONNECT_SECONDS`, how long a connection lives before a scheduled drop).
public struct EmulatorSettings {
    public static let maxCoins = 20_000
    public static let coinRange = 1...maxCoins

    public var seed: UInt64 = 42
    public var coins = 320
    /// Two tickers a second per symbol, a drop every two minutes, one message in 2,000 malformed
    /// and one in 2,000 with a 5% price spike.
    public var streams = StreamPlan(messagesPerSecond: 2, disconnectEvery: 120, badMessages: 0.0005, priceSpikes: 0.0005)

    /// - Throws: `ConfigurationError` naming a variable that is set but not usable.
    public init(environment: [String: String]) throws {
        if let text = environment["EMULATOR_SEED"], !text.isEmpty {
            guard let value = UInt64(text) else {
                throw ConfigurationError(setting: "EMULATOR_SEED", problem: "'\(text)' is not a whole number from 0", fix: "set it to e.g. 42 or unset it")
            }
            seed = value
        }
        if let text = environment["EMULATOR_COINS"], !text.isEmpty {
            guard let value = Int(text), Self.coinRange.contains(value) else {
                throw ConfigurationError(setting: "EMULATOR_COINS", problem: "'\(text)' is not a number of coins from 1 to \(Self.maxCoins)",
                                         fix: "set it to e.g. 320 or unset it")
            }
            coins = value
        }
        if let text = environment["EMULATOR_WS_RATE"], !text.isEmpty {
            guard let value = Double(text), value > 0, value <= 100_000 else {
                throw ConfigurationError(setting: "EMULATOR_WS_RATE", problem: "'\(text)' is not a rate from above 0 to 100000 messages per second", fix: "set it to e.g. 2 or unset it")
            }
            streams.messagesPerSecond = value
        }
        if let text = environment["EMULATOR_WS_DISCONNECT_SECONDS"], !text.isEmpty {
            guard let value = Double(text), value >= 0 else {
                throw ConfigurationError(setting: "EMULATOR_WS_DISCONNECT_SECONDS", problem: "'\(text)' is not a number of seconds", fix: "set it to e.g. 120, or 0 for no scheduled drops")
            }
            streams.disconnectEvery = value == 0 ? nil : value
        }
    }
}
