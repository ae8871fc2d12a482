import Warehouse

/// The built-in emulator's settings from the environment (`EMULATOR_SEED`, `EMULATOR_COINS`).
struct EmulatorSettings {
    static let maxCoins = 20_000
    static let coinRange = 1...maxCoins

    var seed: UInt64 = 42
    var coins = 320

    /// - Throws: `ConfigurationError` naming a variable that is set but not usable.
    init(environment: [String: String]) throws {
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
