import Warehouse

/// The built-in emulator's settings from the environment (`EMULATOR_SEED`, `EMULATOR_COINS`).
public struct EmulatorSettings {
    public static let maxCoins = 20_000
    public static let coinRange = 1...maxCoins

    public var seed: UInt64 = 42
    public var coins = 320

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
    }
}
