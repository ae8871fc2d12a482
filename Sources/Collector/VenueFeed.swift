import Foundation
import Warehouse

/// One venue's public ticker feed: its stream (where, how to subscribe, what the replies to a
/// subscription mean), its REST ticker for polling and its server-time endpoint. Messages
/// after the subscription are stored, not interpreted: silver reads them.
public struct VenueFeed: Sendable, Equatable {
    public enum Venue: String, Sendable, CaseIterable {
        case binance, kraken, coinbase

        /// The environment variable naming the stream's base URL (BRIEF section 6).
        public var urlVariable: String { "\(rawValue.uppercased())_WS_URL" }

        /// The environment variable naming its REST API's base URL.
        public var restVariable: String { "\(rawValue.uppercased())_BASE_URL" }

        /// The venue's public stream endpoint.
        public var publicURL: String {
            switch self {
            case .binance: return "wss://stream.binance.com:9443"
            case .kraken: return "wss://ws.kraken.com/v2"
            case .coinbase: return "wss://ws-feed.exchange.coinbase.com"
            }
        }

        /// The path the built-in emulator serves this venue's stream on.
        public var emulatorPath: String {
            switch self {
            case .binance: return ""
            case .kraken: return "/v2"
            case .coinbase: return ""
            }
        }

        /// The venue's public REST API, polled and probed when its stream URL is given and its
        /// `*_BASE_URL` is not.
        public var publicRESTURL: String { VenueREST.publicBase(venue: rawValue)! }
    }

    /// How a venue's tickers are collected.
    public enum Mode: String, Sendable, CaseIterable {
        /// The WebSocket stream; while it is down, the REST ticker is polled (unless switched off).
        case ws
        /// Only the REST ticker, polled: for networks that block WebSockets, or a venue whose stream is unusable.
        case poll
    }

    public let venue: Venue
    public let mode: Mode
    /// The venue's names of the markets subscribed (`BTCUSDT`, `BTC/USD`, `BTC-USD`).
    public let markets: [String]
    /// The URL connected to, subscription included where the venue takes it in the URL.
    public let url: String
    /// The text sent once connected, nil where the URL subscribes (Binance).
    public let subscribeMessage: String?
    /// The venue's REST API base: ticker polls and server-time probes go there.
    public let restBase: String
    /// The REST ticker requests of one poll.
    public let polls: [VenueREST.Request]

    /// The feed of `venue` at `baseURL` (its stream) and `restBase` for `symbols` (`BASE/QUOTE`);
    /// symbols the venue does not list (Binance has no USD quotes) are left out.
    /// - Throws: `CollectorError.noSymbols` when none is left.
    public init(venue: Venue, baseURL: String, restBase: String, symbols: [String], mode: Mode = .ws) throws {
        self.venue = venue
        self.mode = mode
        self.restBase = restBase
        let pairs = VenueREST.pairs(symbols)
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        switch venue {
        case .binance:
            markets = pairs.filter { VenueREST.binanceQuotes.contains($0.quote) }.map { $0.base + $0.quote }
            let streams = markets.map { "\($0.lowercased())@ticker" }.joined(separator: "/")
            let root = base.hasSuffix("/stream") ? base : base + "/stream"
            url = "\(root)?streams=\(streams)"
            subscribeMessage = nil
        case .kraken:
            markets = pairs.map { "\($0.base)/\($0.quote)" }
            url = base
            let list = markets.map { "\"\($0)\"" }.joined(separator: ",")
            subscribeMessage = #"{"method":"subscribe","params":{"channel":"ticker","symbol":[\#(list)]},"req_id":1}"#
        case .coinbase:
            markets = pairs.map { "\($0.base)-\($0.quote)" }
            url = base
            let list = markets.map { "\"\($0)\"" }.joined(separator: ",")
            subscribeMessage = #"{"type":"subscribe","product_ids":[\#(list)],"channels":["ticker","heartbeat"]}"#
        }
        polls = VenueREST.tickerRequests(venue: venue.rawValue, symbols: symbols)
        guard !markets.isEmpty else { throw CollectorError.noSymbols(venue: venue.rawValue, given: symbols) }
    }

    /// The venue's server-time endpoint, which round trips are measured against.
    public var serverTime: VenueREST.Request? { VenueREST.serverTime(venue: venue.rawValue) }

    /// What a reply during the subscription says.
    enum Reply: Equatable {
        /// Market data: the stream is flowing.
        case data
        /// A subscription was confirmed (for the markets named).
        case subscribed(String)
        /// A subscription failed, with the venue's reason.
        case refused(String)
        /// Connection facts worth recording (Kraken's connection id, as its exact digits).
        case status(String)
        case other
    }

    /// Reads a reply while subscribing (a few messages per connection, so parsed in full).
    func classify(_ bytes: [UInt8]) -> Reply {
        guard let value = try? JSONValue.parse(Data(bytes)) else { return .other }
        switch venue {
        case .binance:
            if value["stream"] != nil, value["data"]?["e"]?.text == "serverShutdown" { return .other }
            if value["stream"] != nil { return .data }
            if let message = value["msg"]?.text { return .refused(message) }
            return .other
        case .kraken:
            if value["method"]?.text == "subscribe" {
                let symbol = value["symbol"]?.text ?? value["result"]?["symbol"]?.text ?? "?"
                if case .bool(true)? = value["success"] { return .subscribed(symbol) }
                return .refused("\(symbol): \(value["error"]?.text ?? "subscription failed")")
            }
            if value["channel"]?.text == "status" { return .status(Self.digits(after: "\"connection_id\":", in: bytes).map { "connection_id \($0)" } ?? "status") }
            if value["channel"]?.text == "ticker" { return .data }
            return .other
        case .coinbase:
            switch value["type"]?.text {
            case "subscriptions": return .subscribed(markets.joined(separator: ","))
            case "error": return .refused([value["message"]?.text, value["reason"]?.text].compactMap { $0 }.joined(separator: ": "))
            case "ticker": return .data
            default: return .other
            }
        }
    }

    /// The digits of a number after `key` exactly as sent (an id above Int64 survives).
    static func digits(after key: String, in bytes: [UInt8]) -> String? {
        let needle = Array(key.utf8)
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            var end = start + needle.count
            while end < bytes.count, bytes[end] == 0x20 { end += 1 }
            let digitsStart = end
            while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
            return end > digitsStart ? String(decoding: bytes[digitsStart..<end], as: UTF8.self) : nil
        }
        return nil
    }
}
