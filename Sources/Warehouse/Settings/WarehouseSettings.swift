import Foundation

/// What a run fetches and how hard it may hit the APIs. Read from the environment
/// (and `.env`); every value has a default that suits the built-in emulator.
public struct WarehouseSettings: Sendable, Equatable {
    /// Coins taken from /coins/markets (top N by market cap) and fetched with full history.
    public var universeSize: Int = 300
    /// Days of hourly history fetched per coin when no partition is given.
    public var historyDays: Int = 730
    /// Whether coins that died (CoinGecko `status=inactive`) are fetched too: the
    /// survivorship-bias-free research dataset needs them.
    public var includeInactive: Bool = true
    /// Concurrent requests per source.
    public var fetchConcurrency: Int = 4
    /// Requests per second for CoinGecko; nil takes the API's own default (0.5/s public, 8/s pro; unlimited on the emulator).
    public var coingeckoRequestsPerSecond: Double?
    /// Size of the analytics mart.
    public var martTopN: Int = 50

    public init() {}

    /// Reads `WAREHOUSE_UNIVERSE_SIZE`, `WAREHOUSE_HISTORY_DAYS`, `WAREHOUSE_INCLUDE_INACTIVE`,
    /// `WAREHOUSE_FETCH_CONCURRENCY`, `COINGECKO_RATE_LIMIT` (requests/second).
    /// - Throws: `ConfigurationError` naming the variable that is not a valid number.
    public static func from(environment: [String: String]) throws -> WarehouseSettings {
        var settings = WarehouseSettings()
        func integer(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw ConfigurationError(setting: name, problem: "'\(text)' is not a whole number in \(range.lowerBound)...\(range.upperBound)",
                                         fix: "set it to a number in that range or unset it")
            }
            return value
        }
        if let v = try integer("WAREHOUSE_UNIVERSE_SIZE", 1...5000) { settings.universeSize = v }
        if let v = try integer("WAREHOUSE_HISTORY_DAYS", 1...3650) { settings.historyDays = v }
        if let v = try integer("WAREHOUSE_FETCH_CONCURRENCY", 1...64) { settings.fetchConcurrency = v }
        if let v = try integer("WAREHOUSE_MART_TOP_N", 1...1000) { settings.martTopN = v }
        if let text = environment["WAREHOUSE_INCLUDE_INACTIVE"], !text.isEmpty {
            guard let flag = ["true": true, "1": true, "false": false, "0": false][text.lowercased()] else {
                throw ConfigurationError(setting: "WAREHOUSE_INCLUDE_INACTIVE", problem: "'\(text)' is not true or false", fix: "set it to true or false")
            }
            settings.includeInactive = flag
        }
        if let text = environment["COINGECKO_RATE_LIMIT"], !text.isEmpty {
            guard let rate = Double(text), rate > 0 else {
                throw ConfigurationError(setting: "COINGECKO_RATE_LIMIT", problem: "'\(text)' is not a positive number of requests per second",
                                         fix: "set it to e.g. 0.5 or unset it")
            }
            settings.coingeckoRequestsPerSecond = rate
        }
        return settings
    }
}
