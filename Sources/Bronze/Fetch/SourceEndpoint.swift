import Foundation

/// One API as the connectors call it: base URL, auth headers and pacing. Secrets travel
/// only in headers, so URLs written to raw metadata never hold them.
public struct SourceEndpoint: Sendable {
    public let source: String
    public let baseURL: String
    /// Headers sent with every request (API keys); never written anywhere.
    public let secretHeaders: [String: String]
    public let requestsPerSecond: Double?

    public init(source: String, baseURL: String, secretHeaders: [String: String] = [:], requestsPerSecond: Double? = nil) {
        self.source = source
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.secretHeaders = secretHeaders
        self.requestsPerSecond = requestsPerSecond
    }

    /// An API as the environment configures it: `<SOURCE>_BASE_URL` (else `defaultBase`), the
    /// configured rate limit (else the API's published one, or none for a server on this machine).
    static func configured(_ source: String, environment: [String: String], defaultBase: String, published: Double,
                           secretHeaders: [String: String] = [:], rateLimits: [String: Double]) -> SourceEndpoint {
        let base = environment["\(source.uppercased())_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultBase
        return SourceEndpoint(source: source, baseURL: base, secretHeaders: secretHeaders,
                              requestsPerSecond: rateLimits[source] ?? (isLoopback(base) ? nil : published))
    }

    /// CoinGecko: `COINGECKO_PRO_API_KEY` switches to the pro host and its `x-cg-pro-api-key` header.
    public static func coingecko(environment: [String: String], rateLimits: [String: Double] = [:]) -> SourceEndpoint {
        let key = environment["COINGECKO_PRO_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        return configured("coingecko", environment: environment,
                          defaultBase: key == nil ? "https://api.coingecko.com" : "https://pro-api.coingecko.com",
                          published: key == nil ? 0.5 : 8, secretHeaders: key.map { ["x-cg-pro-api-key": $0] } ?? [:], rateLimits: rateLimits)
    }

    /// DeFi Llama's free API.
    public static func defillama(environment: [String: String], rateLimits: [String: Double] = [:]) -> SourceEndpoint {
        configured("defillama", environment: environment, defaultBase: "https://api.llama.fi", published: 5, rateLimits: rateLimits)
    }

    /// LunarCrush v4: `LUNARCRUSH_API_KEY` as a bearer token (required by the real API).
    public static func lunarcrush(environment: [String: String], rateLimits: [String: Double] = [:]) -> SourceEndpoint {
        let key = environment["LUNARCRUSH_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        return configured("lunarcrush", environment: environment, defaultBase: "https://lunarcrush.com", published: 0.15,
                          secretHeaders: key.map { ["Authorization": "Bearer \($0)"] } ?? [:], rateLimits: rateLimits)
    }

    /// Yahoo Finance's chart API.
    public static func yahoo(environment: [String: String], rateLimits: [String: Double] = [:]) -> SourceEndpoint {
        configured("yahoo", environment: environment, defaultBase: "https://query2.finance.yahoo.com", published: 1, rateLimits: rateLimits)
    }

    /// The three exchanges' public REST APIs.
    public static func exchange(_ venue: String, environment: [String: String], rateLimits: [String: Double] = [:]) -> SourceEndpoint {
        let bases = ["binance": ("https://api.binance.com", 10.0), "kraken": ("https://api.kraken.com", 1.0),
                     "coinbase": ("https://api.exchange.coinbase.com", 3.0)]
        let (base, rate) = bases[venue] ?? ("https://\(venue).invalid", 1)
        return configured(venue, environment: environment, defaultBase: base, published: rate, rateLimits: rateLimits)
    }

    /// Whether a base URL points at this machine.
    static func isLoopback(_ base: String) -> Bool {
        guard let host = URL(string: base)?.host?.lowercased() else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// Replaces every secret value in a text (an error message, a log line) with `REDACTED`.
    public func redact(_ text: String) -> String {
        let secrets = secretHeaders.values.flatMap { value in [value, value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : value] }
        return secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "REDACTED") }
    }
}
