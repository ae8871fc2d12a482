import Foundation
import Warehouse

/// Public ticker endpoints of three exchanges, priced from the same simulated coins:
/// Binance `/api/v3/ticker/24hr`, Kraken `/0/public/Ticker`, Coinbase Exchange
/// `/products/{BASE-QUOTE}/ticker`. Each venue quotes with its own premium, spread and
/// reporting latency.
struct ExchangeRoutes: Sendable {
    let market: MarketSimulation
    let now: @Sendable () -> Int64

    struct Quote {
        let bid: Double, ask: Double, last: Double, volume: Double
        /// When the exchange says the quote is from, in ms (now minus its latency).
        let exchangeMillis: Int64
    }

    /// Kraken's own names for assets.
    static let krakenLegacy = ["XBTUSD": "XXBTZUSD", "ETHUSD": "XETHZUSD", "XBTEUR": "XXBTZEUR", "ETHEUR": "XETHZEUR"]

    func handle(_ request: HTTPRequest) -> HTTPResponse? {
        let parts = request.path.split(separator: "/").map(String.init)
        if request.path == "/api/v3/ticker/24hr" { return binance(request) }
        if request.path == "/0/public/Ticker" { return kraken(request) }
        if parts.count == 3, parts[0] == "products", parts[2] == "ticker" { return coinbase(parts[1]) }
        return nil
    }

    func quote(base: String, quote: String, venue: UInt64) -> Quote? {
        guard let coin = market.coins.first(where: { $0.symbol == base.lowercased() && $0.wrappedOf == nil }) else { return nil }
        let nowSeconds = now()
        let hour = MarketSimulation.hour(ofUnix: nowSeconds)
        guard market.isAlive(coin, hour: hour) else { return nil }
        let minute = UInt64(nowSeconds / 60)
        let quoteValue = quote == "USD" ? 1.0 : 1 + 0.0004 * market.noise.normal(1300, minute)
        let mid = market.price(coin, hour: hour) / quoteValue * (1 + 0.0008 * market.noise.normal(1400 + venue, minute &+ UInt64(coin.index)))
        let spread = mid * (0.00005 + 0.0002 * market.noise.uniform(1500 + venue, minute))
        let latency = Int64(40 + 260 * market.noise.uniform(1600 + venue, minute)) + Int64(venue) * 30
        return Quote(bid: mid - spread / 2, ask: mid + spread / 2, last: mid + spread * (market.noise.uniform(1700 + venue, minute) - 0.5),
                     volume: market.hourlyVolume(coin, hour: hour) * 24 / mid * (0.05 + 0.1 * Double(venue)),
                     exchangeMillis: nowSeconds * 1000 - latency)
    }

    static func decimal(_ value: Double, _ places: Int = 8) -> String { String(format: "%.\(places)f", value) }

    func binance(_ request: HTTPRequest) -> HTTPResponse {
        var symbols: [String] = []
        if let one = request.query["symbol"] { symbols = [one] }
        if let many = request.query["symbols"], let data = many.data(using: .utf8),
           let list = try? JSONDecoder().decode([String].self, from: data) { symbols = list }
        var rows: [(String, Quote)] = []
        for symbol in symbols {
            guard let quoteAsset = ["USDT", "USDC", "BUSD"].first(where: { symbol.hasSuffix($0) }),
                  let q = quote(base: String(symbol.dropLast(quoteAsset.count)), quote: quoteAsset, venue: 1) else {
                return .json(Array(#"{"code":-1121,"msg":"Invalid symbol."}"#.utf8), status: 400)
            }
            rows.append((symbol, q))
        }
        var w = JSONWriter()
        func write(_ o: inout JSONWriter, _ symbol: String, _ q: Quote) {
            o.field("symbol") { $0.string(symbol) }
            o.field("lastPrice") { $0.string(Self.decimal(q.last)) }
            o.field("bidPrice") { $0.string(Self.decimal(q.bid)) }
            o.field("bidQty") { $0.string(Self.decimal(0.5)) }
            o.field("askPrice") { $0.string(Self.decimal(q.ask)) }
            o.field("askQty") { $0.string(Self.decimal(0.6)) }
            o.field("volume") { $0.string(Self.decimal(q.volume)) }
            o.field("quoteVolume") { $0.string(Self.decimal(q.volume * q.last)) }
            o.field("openTime") { $0.number(q.exchangeMillis - 86_400_000) }
            o.field("closeTime") { $0.number(q.exchangeMillis) }
        }
        if request.query["symbol"] != nil, let (symbol, q) = rows.first {
            w.object { write(&$0, symbol, q) }
        } else {
            w.array { list in for (symbol, q) in rows { list.object { write(&$0, symbol, q) } } }
        }
        return .json(w.bytes)
    }

    func kraken(_ request: HTTPRequest) -> HTTPResponse {
        let pairs = (request.query["pair"] ?? "").split(separator: ",").map(String.init)
        var result: [(String, Quote)] = []
        for pair in pairs {
            let normalized = pair.replacingOccurrences(of: "XBT", with: "BTC")
            guard let quoteAsset = ["USDT", "USD", "EUR"].first(where: { normalized.hasSuffix($0) }),
                  let q = quote(base: String(normalized.dropLast(quoteAsset.count)), quote: quoteAsset, venue: 2) else {
                return .json(Array(#"{"error":["EQuery:Unknown asset pair"]}"#.utf8))
            }
            result.append((Self.krakenLegacy[pair] ?? pair, q))
        }
        var w = JSONWriter()
        w.object { root in
            root.field("error") { $0.array { _ in } }
            root.field("result") { r in
                r.object { obj in
                    for (name, q) in result {
                        obj.field(name) { t in
                            t.object { o in
                                o.field("a") { a in a.array { $0.string(Self.decimal(q.ask, 5)); $0.string("1"); $0.string("1.000") } }
                                o.field("b") { a in a.array { $0.string(Self.decimal(q.bid, 5)); $0.string("1"); $0.string("1.000") } }
                                o.field("c") { a in a.array { $0.string(Self.decimal(q.last, 5)); $0.string("0.01000000") } }
                                o.field("v") { a in a.array { $0.string(Self.decimal(q.volume / 3)); $0.string(Self.decimal(q.volume)) } }
                                o.field("o") { $0.string(Self.decimal(q.last * 0.99, 5)) }
                            }
                        }
                    }
                }
            }
        }
        return .json(w.bytes)
    }

    func coinbase(_ product: String) -> HTTPResponse {
        let sides = product.split(separator: "-").map(String.init)
        guard sides.count == 2, let q = quote(base: sides[0], quote: sides[1], venue: 3) else {
            return .json(Array(#"{"message":"NotFound"}"#.utf8), status: 404)
        }
        let seconds = Double(q.exchangeMillis) / 1000
        let time = ISO8601Micro.format(seconds)
        var w = JSONWriter()
        w.object { o in
            o.field("ask") { $0.string(Self.decimal(q.ask, 2)) }
            o.field("bid") { $0.string(Self.decimal(q.bid, 2)) }
            o.field("volume") { $0.string(Self.decimal(q.volume)) }
            o.field("trade_id") { $0.string(String(q.exchangeMillis / 7)) }
            o.field("price") { $0.string(Self.decimal(q.last, 2)) }
            o.field("size") { $0.string("0.00730812") }
            o.field("time") { $0.string(time) }
        }
        return .json(w.bytes)
    }
}

/// `2024-03-13T11:10:41.270099Z`, as Coinbase writes times.
enum ISO8601Micro {
    static func format(_ seconds: Double) -> String {
        let whole = Int64(seconds.rounded(.down))
        let micros = Int64(((seconds - Double(whole)) * 1_000_000).rounded())
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, micros)
    }
}
