import Foundation

/// How long a snapshot of each bronze dataset stays fresh: `[freshness] coingecko_markets = "6h"`
/// in `warehouse.toml`, or `WAREHOUSE_FRESHNESS_COINGECKO_MARKETS=6h`. A run refetches what is
/// older, and a new UTC day always fetches anew (each day folder holds that day's data). Closed
/// history windows never expire; exchange ticker polls follow `exchanges.poll_seconds`.
extension WarehouseSettings {
    /// The defaults: markets, prices and TVL go stale in hours, the coin list in a day.
    public static let defaultFreshness: [String: Int] = [
        "coingecko_markets": 6 * 3600, "coingecko_coins_list": 86_400, "coingecko_market_chart": 6 * 3600, "coingecko_ohlc": 6 * 3600,
        "defillama_chain_tvl": 6 * 3600, "defillama_protocol_tvl": 6 * 3600, "defillama_dex_volume": 6 * 3600,
        "lunarcrush_timeseries": 6 * 3600, "yahoo_chart": 6 * 3600,
    ]

    /// Seconds a snapshot of the bronze dataset (asset name without its layer) stays fresh;
    /// ticker polls for `exchanges.poll_seconds`.
    public func freshness(of dataset: String) -> Int {
        dataset == "exchange_tickers" ? tickerPollSeconds : freshnessOverrides[dataset] ?? Self.defaultFreshness[dataset] ?? 86_400
    }

    /// Whether a snapshot fetched at `fetched` is still fresh at `now` under `maxAge` seconds. A
    /// snapshot within a tenth of its freshness (at most 10 minutes) of expiring counts as
    /// expired: a job every 6 hours then refetches a 6-hour snapshot even when the run before
    /// it started a little late.
    public static func isFresh(fetched: Date, now: Date, maxAge: Int) -> Bool {
        let slack = min(600, Double(maxAge) / 10)
        return now.timeIntervalSince(fetched) < Double(maxAge) - slack
    }

    /// `30s`, `15m`, `6h`, `1d` or a whole number of seconds; nil for anything else or zero.
    public static func duration(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        if let unit = trimmed.last.flatMap({ units[$0] }), let count = Int(trimmed.dropLast()), count > 0, count <= 3650 * 86_400 / unit { return count * unit }
        if let seconds = Int(trimmed), seconds > 0 { return seconds }
        return nil
    }

    mutating func applyFreshness(toml document: TOMLDocument, source: String) throws -> Set<String> {
        var known = Set<String>()
        for dataset in Self.defaultFreshness.keys {
            let key = "freshness.\(dataset)"
            known.insert(key)
            guard let value = document.values[key] else { continue }
            let seconds: Int? = switch value { case .string(let text): Self.duration(text); case .integer(let v) where v > 0: v; default: nil }
            guard let seconds else {
                throw ConfigurationError(setting: "\(source): \(key)", problem: "is not a duration", fix: "write e.g. \(dataset) = \"6h\" (s, m, h or d)")
            }
            freshnessOverrides[dataset] = seconds
        }
        return known
    }

    mutating func applyFreshness(environment: [String: String]) throws {
        for dataset in Self.defaultFreshness.keys {
            let variable = "WAREHOUSE_FRESHNESS_\(dataset.uppercased())"
            guard let text = environment[variable], !text.isEmpty else { continue }
            guard let seconds = Self.duration(text) else {
                throw ConfigurationError(setting: variable, problem: "'\(text)' is not a duration", fix: "set it to e.g. 6h, 30m or 1d, or unset it")
            }
            freshnessOverrides[dataset] = seconds
        }
    }

    /// `config show` lines, one per dataset.
    var renderedFreshness: [(String, String)] {
        Self.defaultFreshness.keys.sorted().map { ("freshness.\($0)", Self.render(seconds: freshness(of: $0))) }
    }

    static func render(seconds: Int) -> String {
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60)] where seconds % size == 0 { return "\"\(seconds / size)\(unit)\"" }
        return "\"\(seconds)s\""
    }
}
