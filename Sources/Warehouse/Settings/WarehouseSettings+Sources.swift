import Foundation

/// Where each setting is read from: one table serves the TOML file, the environment and
/// `warehouse config show`.
extension WarehouseSettings {
    enum Field {
        case integer(WritableKeyPath<WarehouseSettings, Int>, ClosedRange<Int>)
        case number(WritableKeyPath<WarehouseSettings, Double>, ClosedRange<Double>)
        case flag(WritableKeyPath<WarehouseSettings, Bool>)
        case list(WritableKeyPath<WarehouseSettings, [String]>, ListRule)
    }

    /// What every item of a list setting must be; an item that is not is an error, never dropped.
    enum ListRule {
        case names, tickers, fxTickers, venues, pairs, quoteAliases, barWidths

        /// Why `item` is not allowed, nil when it is.
        func problem(_ item: String) -> String? {
            switch self {
            case .names:
                return nil
            case .tickers:
                return RawKey.isValid(item) ? nil : "'\(item)' is not a ticker this warehouse can store (letters, digits and -_.=@+ only)"
            case .fxTickers:
                if let problem = ListRule.tickers.problem(item) { return problem }
                return item.hasSuffix("=X") ? nil : "'\(item)' is not a Yahoo currency pair such as USDINR=X"
            case .venues:
                return WarehouseSettings.venues.contains(item) ? nil : "'\(item)' is not a venue this warehouse polls (\(WarehouseSettings.venues.joined(separator: ", ")))"
            case .pairs:
                let sides = item.split(separator: "/", omittingEmptySubsequences: false)
                let valid = sides.count == 2 && sides.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber } }
                return valid ? nil : "'\(item)' is not a pair written BASE/QUOTE, such as BTC/USDT"
            case .barWidths:
                guard let seconds = WarehouseSettings.duration(item), seconds <= 86_400 else {
                    return "'\(item)' is not a bar width between 1s and 1d (write e.g. 10s, 1m, 1h)"
                }
                return nil
            case .quoteAliases:
                let sides = item.split(separator: "=", omittingEmptySubsequences: false)
                let valid = sides.count == 2 && sides[0] != sides[1] && sides.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber } }
                return valid ? nil : "'\(item)' is not written QUOTE=AS_QUOTE, such as USDT=USD"
            }
        }
    }

    /// (TOML key, environment variable, field).
    static let fields: [(String, String?, Field)] = [
        ("coingecko.universe_size", "WAREHOUSE_UNIVERSE_SIZE", .integer(\.universeSize, 1...5000)),
        ("coingecko.history_days", "WAREHOUSE_HISTORY_DAYS", .integer(\.historyDays, 1...3650)),
        ("coingecko.include_inactive", "WAREHOUSE_INCLUDE_INACTIVE", .flag(\.includeInactive)),
        ("coingecko.ohlc_coins", "WAREHOUSE_OHLC_COINS", .integer(\.ohlcCoins, 0...5000)),
        ("coingecko.ohlc_days", nil, .integer(\.ohlcDays, 1...365)),
        ("gold.mart_top_n", "WAREHOUSE_MART_TOP_N", .integer(\.martTopN, 1...1000)),
        ("gold.research_top_n", "WAREHOUSE_RESEARCH_TOP_N", .integer(\.researchTopN, 1...10_000)),
        ("gold.dashboard_top_n", "WAREHOUSE_DASHBOARD_TOP_N", .integer(\.dashboardTopN, 1...1000)),
        ("stocks.tickers", "WAREHOUSE_TICKERS", .list(\.tickers, .tickers)),
        ("stocks.fx", "WAREHOUSE_FX_TICKERS", .list(\.fxTickers, .fxTickers)),
        ("stocks.history_days", "WAREHOUSE_STOCK_HISTORY_DAYS", .integer(\.stockHistoryDays, 1...7300)),
        ("stocks.outlier_z", "WAREHOUSE_OUTLIER_Z", .number(\.outlierThreshold, 0.5...1000)),
        ("drift.alpha", "WAREHOUSE_DRIFT_ALPHA", .number(\.driftAlpha, 1e-12...0.5)),
        ("drift.window_days", "WAREHOUSE_DRIFT_WINDOW_DAYS", .integer(\.driftWindowDays, 5...3650)),
        ("defillama.chains", "WAREHOUSE_CHAINS", .list(\.chains, .names)),
        ("defillama.protocols", "WAREHOUSE_PROTOCOLS", .list(\.protocols, .names)),
        ("defillama.dexes", "WAREHOUSE_DEXES", .list(\.dexes, .names)),
        ("lunarcrush.coins", "WAREHOUSE_SOCIAL_COINS", .integer(\.socialCoins, 0...1000)),
        ("lunarcrush.days", nil, .integer(\.socialDays, 1...3650)),
        ("exchanges.venues", "WAREHOUSE_EXCHANGES", .list(\.exchanges, .venues)),
        ("exchanges.symbols", "WAREHOUSE_EXCHANGE_SYMBOLS", .list(\.exchangeSymbols, .pairs)),
        ("exchanges.quote_as", "WAREHOUSE_QUOTE_AS", .list(\.quoteAs, .quoteAliases)),
        ("exchanges.forecast_bars", "WAREHOUSE_FORECAST_BARS", .list(\.forecastBars, .barWidths)),
        ("exchanges.poll_seconds", "WAREHOUSE_TICKER_POLL_SECONDS", .integer(\.tickerPollSeconds, 1...864_000)),
        ("exchanges.spread_staleness_seconds", "WAREHOUSE_SPREAD_STALENESS_SECONDS", .number(\.spreadStalenessSeconds, 0.001...86_400)),
        ("exchanges.gap_factor", "WAREHOUSE_GAP_FACTOR", .number(\.gapFactor, 1.5...1_000)),
        ("exchanges.outlier_z", "WAREHOUSE_OUTLIER_Z", .number(\.outlierZ, 2...10_000)),
        ("exchanges.outlier_deviation", "WAREHOUSE_OUTLIER_DEVIATION", .number(\.outlierDeviation, 0.0001...1)),
        ("fetch.concurrency", "WAREHOUSE_FETCH_CONCURRENCY", .integer(\.fetchConcurrency, 1...64)),
        ("fetch.retry_base_seconds", "WAREHOUSE_RETRY_BASE_SECONDS", .number(\.retryBaseSeconds, 0.001...60)),
    ]

    /// The sources whose rate limit can be set (`[rate_limits] NAME = requests per second`,
    /// or `NAME_RATE_LIMIT` in the environment, e.g. `COINGECKO_RATE_LIMIT`).
    public static let sources = ["coingecko", "defillama", "lunarcrush", "yahoo", "binance", "kraken", "coinbase"]

    /// The exchanges whose tickers are polled.
    public static let venues = ["binance", "kraken", "coinbase"]

    /// Each source's base URL variable (`COINGECKO_BASE_URL`, ...), in `sources` order.
    public static let baseURLVariables = sources.map { "\($0.uppercased())_BASE_URL" }

    mutating func apply(toml text: String, source: String) throws {
        let document: TOMLDocument
        do { document = try TOMLDocument(parsing: text) } catch let error as TOMLError {
            throw ConfigurationError(setting: "\(source) line \(error.line)", problem: error.message,
                                     fix: "correct that line (see docs/getting-started.md for the keys)")
        }
        var known = Set(Self.fields.map(\.0))
        for (key, _, field) in Self.fields {
            guard let value = document.values[key] else { continue }
            try set(field, from: value, setting: "\(source): \(key)")
        }
        for source in Self.sources {
            let key = "rate_limits.\(source)"
            known.insert(key)
            guard let value = document.values[key] else { continue }
            let rate: Double? = switch value { case .integer(let v): Double(v); case .float(let v): v; default: nil }
            guard let rate, rate > 0 else {
                throw ConfigurationError(setting: "\(source): \(key)", problem: "a rate limit is a positive number of requests per second", fix: "write e.g. \(key.split(separator: ".")[1]) = 0.5")
            }
            rateLimits[source] = rate
        }
        known.formUnion(try applyFreshness(toml: document, source: source))
        known.formUnion(try applyRawRemote(toml: document, source: source))
        known.formUnion(try applyPostgres(toml: document, source: source))
        known.formUnion(try applyLake(toml: document, source: source))
        if let tables = document.tables["schedules"] { schedules = try Schedule.parse(tables, source: source) }
        if let tables = document.tables["alerts"] { alerts = try AlertTarget.parse(tables, source: source) }
        if let array = document.tables.keys.sorted().first(where: { !["schedules", "alerts"].contains($0) }) {
            throw ConfigurationError(setting: "\(source): [[\(array)]]", problem: "is not a setting",
                                     fix: "remove it (checks are declared in checks/*.toml, see docs/models.md#checks)")
        }
        if let unknown = document.values.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigurationError(setting: "\(source): \(unknown)", problem: "is not a setting",
                                     fix: "remove it or use one of: \(known.sorted().joined(separator: ", "))")
        }
    }

    mutating func apply(environment: [String: String]) throws {
        for (_, variable, field) in Self.fields {
            guard let variable, let text = environment[variable], !text.isEmpty else { continue }
            let value: TOMLDocument.Value
            switch field {
            case .list: value = .array(text.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) })
            case .flag:
                guard let flag = ["true": true, "1": true, "false": false, "0": false][text.lowercased()] else {
                    throw ConfigurationError(setting: variable, problem: "'\(text)' is not true or false", fix: "set it to true or false")
                }
                value = .bool(flag)
            case .integer:
                guard let integer = Int(text) else {
                    throw ConfigurationError(setting: variable, problem: "'\(text)' is not a whole number", fix: "set it to a whole number or unset it")
                }
                value = .integer(integer)
            case .number:
                guard let number = Double(text) else {
                    throw ConfigurationError(setting: variable, problem: "'\(text)' is not a number", fix: "set it to a number or unset it")
                }
                value = .float(number)
            }
            try set(field, from: value, setting: variable)
        }
        try applyFreshness(environment: environment)
        try applyRawRemote(environment: environment)
        for source in Self.sources {
            let variable = "\(source.uppercased())_RATE_LIMIT"
            guard let text = environment[variable], !text.isEmpty else { continue }
            guard let rate = Double(text), rate > 0 else {
                throw ConfigurationError(setting: variable, problem: "'\(text)' is not a positive number of requests per second", fix: "set it to e.g. 0.5 or unset it")
            }
            rateLimits[source] = rate
        }
    }

    private mutating func set(_ field: Field, from value: TOMLDocument.Value, setting: String) throws {
        switch (field, value) {
        case (.integer(let path, let range), .integer(let v)):
            guard range.contains(v) else {
                throw ConfigurationError(setting: setting, problem: "\(v) is outside \(range.lowerBound)...\(range.upperBound)", fix: "use a number in that range")
            }
            self[keyPath: path] = v
        case (.number(let path, let range), .integer(let v)) where range.contains(Double(v)):
            self[keyPath: path] = Double(v)
        case (.number(let path, let range), .float(let v)) where range.contains(v):
            self[keyPath: path] = v
        case (.flag(let path), .bool(let v)):
            self[keyPath: path] = v
        case (.list(let path, let rule), .array(let items)):
            let strings = items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }.filter { !$0.isEmpty }
            guard strings.count == items.count else { throw ConfigurationError(setting: setting, problem: "every item must be a non-empty string", fix: "quote each item") }
            if let problem = strings.lazy.compactMap(rule.problem).first {
                throw ConfigurationError(setting: setting, problem: problem, fix: "correct or remove that item")
            }
            self[keyPath: path] = strings
        default:
            throw ConfigurationError(setting: setting, problem: "has the wrong type or is out of range", fix: "see docs/getting-started.md for the expected value")
        }
    }

    /// Every setting as `section.key = value` lines, for `warehouse config show`.
    public var rendered: [(String, String)] {
        var lines: [(String, String)] = Self.fields.map { key, _, field in
            switch field {
            case .integer(let path, _): return (key, String(self[keyPath: path]))
            case .number(let path, _): return (key, String(self[keyPath: path]))
            case .flag(let path): return (key, String(self[keyPath: path]))
            case .list(let path, _): return (key, "[" + self[keyPath: path].map { "\"\($0)\"" }.joined(separator: ", ") + "]")
            }
        }
        for source in Self.sources {
            lines.append(("rate_limits.\(source)", rateLimits[source].map { String($0) } ?? "(API default)"))
        }
        lines.append(("raw.remote.url", rawRemote?.url ?? "(none: raw snapshots stay on this machine)"))
        if let endpoint = rawRemote?.endpoint { lines.append(("raw.remote.endpoint", endpoint)) }
        lines.append(("targets.postgres.url", postgres?.description ?? "(none: the marts stay in SQLite)"))
        lines.append(("lake.dir", lake.map { "\($0.dir) (by \($0.partitionBy), \($0.rowGroupRows) rows per row group, \($0.codec.rawValue))" } ?? "(none: no Parquet lake)"))
        return lines + renderedFreshness
    }
}
