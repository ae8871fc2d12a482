import Foundation
import Warehouse

/// One API as the connectors call it: base URL, auth headers and pacing. Secrets travel
/// only in headers, so URLs written to raw metadata never hold them.
public struct SourceEndpoint: Sendable {
    public let source: String
    public let baseURL: String
    /// Headers sent with every request (API keys); never written anywhere.
    public let secretHeaders: [String: String]
    public let requestsPerSecond: Double?
    /// A path this source is called on, to show where requests really go (`config show`).
    public let samplePath: String

    public init(source: String, baseURL: String, secretHeaders: [String: String] = [:], requestsPerSecond: Double? = nil, samplePath: String = "/") {
        self.source = source
        self.samplePath = samplePath
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.secretHeaders = secretHeaders
        self.requestsPerSecond = requestsPerSecond
    }

    /// An API as the environment configures it: `<SOURCE>_BASE_URL` (else `defaultBase`), the
    /// configured rate limit (else the API's published one, or none for a server on this machine).
    /// The base may be the host or the vendor's documented API root (`https://api.coingecko.com/api/v3`):
    /// requests join it without repeating the prefix their paths already carry (`RawRequest.url(base:)`).
    /// - Throws: `ConfigurationError` naming the variable when it is not an http(s) URL with a host.
    static func configured(_ source: String, environment: [String: String], defaultBase: String, published: Double, samplePath: String,
                           secretHeaders: [String: String] = [:], rateLimits: [String: Double]) throws -> SourceEndpoint {
        let variable = "\(source.uppercased())_BASE_URL"
        let base = environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? defaultBase
        try checkBaseURL(base, variable: variable, example: defaultBase)
        return SourceEndpoint(source: source, baseURL: base, secretHeaders: secretHeaders,
                              requestsPerSecond: rateLimits[source] ?? (isLoopback(base) ? nil : published), samplePath: samplePath)
    }

    /// CoinGecko: `COINGECKO_PRO_API_KEY` switches to the pro host and its `x-cg-pro-api-key` header.
    public static func coingecko(environment: [String: String], rateLimits: [String: Double] = [:]) throws -> SourceEndpoint {
        let key = environment["COINGECKO_PRO_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        return try configured("coingecko", environment: environment,
                          defaultBase: key == nil ? "https://api.coingecko.com" : "https://pro-api.coingecko.com",
                          published: key == nil ? 0.5 : 8, samplePath: "/api/v3/coins/markets", secretHeaders: key.map { ["x-cg-pro-api-key": $0] } ?? [:], rateLimits: rateLimits)
    }

    /// DeFi Llama's free API.
    public static func defillama(environment: [String: String], rateLimits: [String: Double] = [:]) throws -> SourceEndpoint {
        try configured("defillama", environment: environment, defaultBase: "https://api.llama.fi", published: 5, samplePath: "/v2/chains", rateLimits: rateLimits)
    }

    /// LunarCrush v4: `LUNARCRUSH_API_KEY` as a bearer token (required by the real API).
    /// - Throws: `ConfigurationError` when the key is missing.
    public static func lunarcrush(environment: [String: String], rateLimits: [String: Double] = [:]) throws -> SourceEndpoint {
        guard let key = environment["LUNARCRUSH_API_KEY"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw ConfigurationError(setting: "LUNARCRUSH_API_KEY", problem: "is not set; the LunarCrush API needs a key",
                                     fix: "set it in the environment or in .env, or leave LUNARCRUSH_BASE_URL unset to use the emulator")
        }
        return try configured("lunarcrush", environment: environment, defaultBase: "https://lunarcrush.com", published: 0.15,
                              samplePath: "/api4/public/coins/bitcoin/time-series/v2",
                              secretHeaders: ["Authorization": "Bearer \(key)"], rateLimits: rateLimits)
    }

    /// Yahoo Finance's chart API.
    public static func yahoo(environment: [String: String], rateLimits: [String: Double] = [:]) throws -> SourceEndpoint {
        try configured("yahoo", environment: environment, defaultBase: "https://query2.finance.yahoo.com", published: 1,
                       samplePath: "/v8/finance/chart/AAPL", rateLimits: rateLimits)
    }

    /// The three exchanges' public REST APIs.
    public static func exchange(_ venue: String, environment: [String: String], rateLimits: [String: Double] = [:]) throws -> SourceEndpoint {
        let published = ["binance": (10.0, "/api/v3/ticker/24hr"), "kraken": (1.0, "/0/public/Ticker"), "coinbase": (3.0, "/products/BTC-USD/ticker")]
        let (rate, sample) = published[venue] ?? (1, "/")
        return try configured(venue, environment: environment, defaultBase: VenueREST.publicBase(venue: venue) ?? "https://\(venue).invalid",
                              published: rate, samplePath: sample, rateLimits: rateLimits)
    }

    /// Whether a base URL points at this machine.
    static func isLoopback(_ base: String) -> Bool {
        guard let host = URL(string: base)?.host?.lowercased() else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// Checks a base URL's form: http(s), a host, no query or fragment.
    /// - Throws: `ConfigurationError` naming the variable.
    public static func checkBaseURL(_ base: String, variable: String, example: String = "https://api.example.com") throws {
        guard let url = URL(string: base), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), !(url.host ?? "").isEmpty,
              url.query == nil, url.fragment == nil else {
            throw ConfigurationError(setting: variable, problem: "'\(base)' is not an http(s) URL with a host",
                                     fix: "set it to the API's address, e.g. \(example), or unset it to use the built-in emulator")
        }
    }

    /// Where a request on `path` goes: the base joined without repeating a shared prefix.
    public func url(for path: String) -> String { EndpointURL.join(base: baseURL, path: path) }

    /// The environment variable that sets this source's base URL.
    public var baseURLVariable: String { "\(source.uppercased())_BASE_URL" }

    /// An error with every secret in its text replaced, for messages and the run log.
    public func redact(_ error: Error) -> Error {
        guard let error = error as? WarehouseError else { return RedactedError(parts: (redact("\(error)"), nil), exitStatus: .failed) }
        return RedactedError(parts: (redact(error.problem), error.fix.map(redact)), exitStatus: error.exitStatus)
    }

    /// Replaces every secret value in a text (an error message, a log line) with `REDACTED`.
    public func redact(_ text: String) -> String {
        let secrets = secretHeaders.values.flatMap { value in [value, value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : value] }
        return secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "REDACTED") }
    }
}

/// An error whose text had its secrets replaced (`SourceEndpoint.redact`).
struct RedactedError: WarehouseError {
    let parts: (problem: String, fix: String?)
    let exitStatus: WarehouseExitStatus
}
