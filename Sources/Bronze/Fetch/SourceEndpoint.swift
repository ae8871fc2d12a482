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

    /// CoinGecko from the environment: `COINGECKO_BASE_URL`, and `COINGECKO_PRO_API_KEY`
    /// which switches to the pro host and its `x-cg-pro-api-key` header.
    /// - Parameter requestsPerSecond: the configured limit; nil takes the API's published one
    ///   (0.5/s keyless, 8/s pro), or none for a server on this machine (the emulator).
    public static func coingecko(environment: [String: String], requestsPerSecond: Double?) -> SourceEndpoint {
        let key = environment["COINGECKO_PRO_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let base = environment["COINGECKO_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (key == nil ? "https://api.coingecko.com" : "https://pro-api.coingecko.com")
        let published: Double? = isLoopback(base) ? nil : (key == nil ? 0.5 : 8)
        return SourceEndpoint(source: "coingecko", baseURL: base,
                              secretHeaders: key.map { ["x-cg-pro-api-key": $0] } ?? [:],
                              requestsPerSecond: requestsPerSecond ?? published)
    }

    /// Whether a base URL points at this machine.
    static func isLoopback(_ base: String) -> Bool {
        guard let host = URL(string: base)?.host?.lowercased() else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// Replaces every secret value in a text (an error message, a log line) with `REDACTED`.
    public func redact(_ text: String) -> String {
        secretHeaders.values.filter { !$0.isEmpty }.reduce(text) { $0.replacingOccurrences(of: $1, with: "REDACTED") }
    }
}
