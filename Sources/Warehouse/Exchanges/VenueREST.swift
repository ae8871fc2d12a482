/// The venues' public REST endpoints the warehouse reads, in one place: the ticker polls of
/// `bronze.exchange_tickers` and of the collector's polling mode, and the server-time endpoints
/// the collector measures round trips against.
public enum VenueREST {
    /// One GET: a filesystem-safe key for the response, the path and its query.
    public struct Request: Sendable, Equatable {
        /// `binance`, `kraken`, `coinbase-BTC-USD`: names the poll's snapshot (bronze) or its line (collector).
        public let key: String
        public let path: String
        public let query: [(name: String, value: String)]

        /// The URL at a base URL (`EndpointURL`).
        public func url(base: String) -> String { EndpointURL.make(base: base, path: path, query: query) }

        /// Path and query as sent, without a base: what a polled line records.
        public var target: String { url(base: "") }

        public static func == (a: Request, b: Request) -> Bool {
            a.key == b.key && a.path == b.path && a.query.map(\.name) == b.query.map(\.name) && a.query.map(\.value) == b.query.map(\.value)
        }
    }

    /// A venue's public REST API, where requests go when no `<VENUE>_BASE_URL` says otherwise.
    public static func publicBase(venue: String) -> String? {
        ["binance": "https://api.binance.com", "kraken": "https://api.kraken.com", "coinbase": "https://api.exchange.coinbase.com"][venue]
    }

    /// The quotes Binance lists for the symbols the warehouse follows (it has no USD).
    public static let binanceQuotes: Set<String> = ["USDT", "USDC", "FDUSD", "BUSD", "BTC", "ETH", "EUR"]

    /// `BASE/QUOTE` symbols split, unreadable ones left out.
    public static func pairs(_ symbols: [String]) -> [(base: String, quote: String)] {
        symbols.compactMap { symbol in
            let sides = symbol.uppercased().split(separator: "/").map(String.init)
            return sides.count == 2 && !sides[0].isEmpty && !sides[1].isEmpty ? (sides[0], sides[1]) : nil
        }
    }

    /// The ticker polls of `venue` for `symbols` (`BASE/QUOTE`): Binance `/api/v3/ticker/24hr`
    /// and Kraken `/0/public/Ticker` in one request each, Coinbase Exchange one
    /// `/products/{BASE-QUOTE}/ticker` per product; empty for an unknown venue or no symbol it lists.
    public static func tickerRequests(venue: String, symbols: [String]) -> [Request] {
        let pairs = pairs(symbols)
        switch venue {
        case "binance":
            let listed = pairs.filter { binanceQuotes.contains($0.quote) }.map { "\"\($0.base)\($0.quote)\"" }
            return listed.isEmpty ? [] : [Request(key: "binance", path: "/api/v3/ticker/24hr", query: [("symbols", "[\(listed.joined(separator: ","))]")])]
        case "kraken":
            let names = pairs.map { ($0.base == "BTC" ? "XBT" : $0.base) + $0.quote }
            return names.isEmpty ? [] : [Request(key: "kraken", path: "/0/public/Ticker", query: [("pair", names.joined(separator: ","))])]
        case "coinbase":
            return pairs.map { Request(key: "coinbase-\($0.base)-\($0.quote)", path: "/products/\($0.base)-\($0.quote)/ticker", query: []) }
        default:
            return []
        }
    }

    /// The venue's server-time endpoint (Binance `{"serverTime":ms}`, Kraken
    /// `{"result":{"unixtime":s}}` to the second, Coinbase Exchange `{"epoch":s.fff}`).
    public static func serverTime(venue: String) -> Request? {
        switch venue {
        case "binance": return Request(key: "binance-time", path: "/api/v3/time", query: [])
        case "kraken": return Request(key: "kraken-time", path: "/0/public/Time", query: [])
        case "coinbase": return Request(key: "coinbase-time", path: "/time", query: [])
        default: return nil
        }
    }
}
