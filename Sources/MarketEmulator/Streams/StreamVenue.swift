import Foundation
import Warehouse

/// The three exchanges' public ticker streams in their real message shapes
/// (shared/fixtures/real/ws): Binance combined streams (`/stream?streams=btcusdt@ticker`),
/// Kraken WebSocket v2 (`/v2`, `ticker` channel) and Coinbase Exchange's feed (`/`,
/// `ticker` and `heartbeat` channels).
enum StreamVenue: String, Sendable, CaseIterable {
    case binance, kraken, coinbase

    /// The venue a WebSocket upgrade's path asks for.
    init?(path: String) {
        switch path {
        case "/stream", "/ws": self = .binance
        case "/v2": self = .kraken
        case "/", "": self = .coinbase
        default: return nil
        }
    }

    /// Index in the quote simulation (each venue has its own premium and spread).
    var quoteVenue: UInt64 {
        switch self {
        case .binance: return 1
        case .kraken: return 2
        case .coinbase: return 3
        }
    }

    /// A requested market: the venue's own spelling and its `BASE`/`QUOTE`.
    struct Market: Sendable, Equatable {
        let name: String
        let base: String
        let quote: String
        /// Binance only: `ticker` or `bookTicker`.
        var channel = "ticker"
    }

    /// Binance's markets from `streams=btcusdt@ticker/ethusdt@bookTicker`; nil entries are unknown names.
    static func binanceMarkets(_ streams: String) -> [(stream: String, market: Market?)] {
        streams.split(separator: "/").map { stream in
            let parts = stream.split(separator: "@").map(String.init)
            guard parts.count == 2, ["ticker", "bookTicker"].contains(parts[1]),
                  let quote = ["USDT", "USDC", "BUSD"].first(where: { parts[0].uppercased().hasSuffix($0) }), parts[0].count > quote.count else {
                return (String(stream), nil)
            }
            let symbol = parts[0].uppercased()
            return (String(stream), Market(name: symbol, base: String(symbol.dropLast(quote.count)), quote: quote, channel: parts[1]))
        }
    }

    /// Kraken v2 `BTC/USD` or Coinbase `BTC-USD`.
    static func market(_ name: String, separator: Character) -> Market? {
        let sides = name.split(separator: separator).map(String.init)
        guard sides.count == 2, !sides[0].isEmpty, !sides[1].isEmpty else { return nil }
        return Market(name: name, base: sides[0], quote: sides[1])
    }

    static func decimal(_ value: Double, _ places: Int) -> String { ExchangeRoutes.decimal(value, places) }

    /// One ticker message for `market` at `quote`, with the venue's exchange time `stampMillis`.
    func ticker(_ market: Market, bid: Double, ask: Double, last: Double, volume: Double, stampMillis: Int64, sequence: Int64) -> [UInt8] {
        var w = JSONWriter()
        switch self {
        case .binance:
            w.object { root in
                root.field("stream") { $0.string("\(market.name.lowercased())@\(market.channel)") }
                root.field("data") { d in
                    d.object { o in
                        if market.channel == "bookTicker" {
                            o.field("u") { $0.number(sequence) }
                            o.field("s") { $0.string(market.name) }
                            o.field("b") { $0.string(Self.decimal(bid, 8)) }
                            o.field("B") { $0.string("1.00000000") }
                            o.field("a") { $0.string(Self.decimal(ask, 8)) }
                            o.field("A") { $0.string("1.00000000") }
                            return
                        }
                        o.field("e") { $0.string("24hrTicker") }
                        o.field("E") { $0.number(stampMillis) }
                        o.field("s") { $0.string(market.name) }
                        o.field("c") { $0.string(Self.decimal(last, 8)) }
                        o.field("Q") { $0.string("0.01000000") }
                        o.field("b") { $0.string(Self.decimal(bid, 8)) }
                        o.field("B") { $0.string("1.00000000") }
                        o.field("a") { $0.string(Self.decimal(ask, 8)) }
                        o.field("A") { $0.string("1.00000000") }
                        o.field("v") { $0.string(Self.decimal(volume, 8)) }
                        o.field("C") { $0.number(stampMillis) }
                        o.field("n") { $0.number(sequence) }
                    }
                }
            }
        case .kraken:
            w.object { root in
                root.field("channel") { $0.string("ticker") }
                root.field("type") { $0.string(sequence == 0 ? "snapshot" : "update") }
                root.field("data") { list in
                    list.array { a in
                        a.object { o in
                            o.field("symbol") { $0.string(market.name) }
                            // Kraken sends numbers; cents, the bid rounded down and the ask up so the book never crosses.
                            o.field("bid") { $0.number((bid * 100).rounded(.down) / 100) }
                            o.field("bid_qty") { $0.number(0.5) }
                            o.field("ask") { $0.number((ask * 100).rounded(.up) / 100) }
                            o.field("ask_qty") { $0.number(0.6) }
                            o.field("last") { $0.number((last * 100).rounded() / 100) }
                            o.field("volume") { $0.number((volume * 1e8).rounded() / 1e8) }
                        }
                    }
                }
            }
        case .coinbase:
            w.object { o in
                o.field("type") { $0.string("ticker") }
                o.field("sequence") { $0.number(sequence) }
                o.field("product_id") { $0.string(market.name) }
                o.field("price") { $0.string(Self.decimal(last, 2)) }
                o.field("volume_24h") { $0.string(Self.decimal(volume, 8)) }
                o.field("best_bid") { $0.string(Self.decimal(bid, 2)) }
                o.field("best_ask") { $0.string(Self.decimal(ask, 2)) }
                o.field("side") { $0.string(sequence % 2 == 0 ? "buy" : "sell") }
                o.field("time") { $0.string(ISO8601Micro.format(Double(stampMillis) / 1000)) }
                o.field("trade_id") { $0.number(sequence / 3) }
                o.field("last_size") { $0.string("0.00100000") }
            }
        }
        return w.bytes
    }
}
