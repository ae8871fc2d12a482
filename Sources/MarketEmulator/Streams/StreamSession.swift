import Foundation
import Warehouse
import WebSocket

/// One client's upgraded connection to a venue's stream: the subscription handshake, then
/// tickers at the plan's rate with heartbeats, bad messages and scheduled drops, until the
/// client leaves or the plan drops it.
final class StreamSession {
    let venue: StreamVenue
    let connection: WebSocketConnection
    let request: HTTPRequest
    let quotes: ExchangeRoutes
    let plan: StreamPlan
    let stats: StreamStats
    /// This venue's connection count when it was accepted: seeds its noise.
    let ordinal: Int
    let noise: SeededNoise

    init(venue: StreamVenue, connection: WebSocketConnection, request: HTTPRequest, quotes: ExchangeRoutes, plan: StreamPlan,
         stats: StreamStats, ordinal: Int, seed: UInt64) {
        self.venue = venue
        self.connection = connection
        self.request = request
        self.quotes = quotes
        self.plan = plan
        self.stats = stats
        self.ordinal = ordinal
        self.noise = SeededNoise(seed: seed ^ 0x5743_0000 ^ UInt64(ordinal) << 20 ^ venue.quoteVenue)
    }

    private enum End: Error { case clientLeft, planned }

    func run() {
        do {
            let markets = try subscribe()
            guard !markets.isEmpty else {
                try? connection.sendClose(code: 1008, reason: "no valid subscription")
                return
            }
            try stream(markets)
        } catch End.planned {
            return
        } catch {
            stats.update(venue) { $0.clientDisconnects += 1 }
        }
    }

    // MARK: Subscription

    private func send(_ text: String) throws { try connection.send(text: text) }

    private static func isoNow() -> String { ISO8601Micro.format(Date().timeIntervalSince1970) }

    /// The markets the client subscribed to, after answering as the venue does; unknown names
    /// and refused subscriptions are answered with the venue's error message.
    private func subscribe() throws -> [StreamVenue.Market] {
        let refusing = plan.refusingVenues.contains(venue.rawValue)
        switch venue {
        case .binance:
            var markets: [StreamVenue.Market] = []
            for (stream, market) in StreamVenue.binanceMarkets(request.query["streams"] ?? "") {
                if refusing || market == nil || quotes.quote(base: market!.base, quote: market!.quote, venue: venue.quoteVenue) == nil {
                    try send(#"{"code": 2, "msg": "Invalid request: \#(refusing ? "subscriptions are refused" : "unknown stream \(stream)")"}"#)
                } else {
                    markets.append(market!)
                }
            }
            if refusing { stats.update(venue) { $0.refusedSubscriptions += 1 } }
            return markets
        case .kraken:
            // Kraken's connection ids are unsigned 64-bit, above Int64.max (fixtures/real/ws/kraken).
            let id = UInt64(Int64.max) + 1 + UInt64(ordinal) * 7_919 + venue.quoteVenue
            try send(#"{"channel":"status","type":"update","data":[{"version":"2.0.10","system":"online","api_version":"v2","connection_id":\#(id)}]}"#)
            guard let request = try readRequest(), request["method"]?.text == "subscribe", request["params"]?["channel"]?.text == "ticker" else { return [] }
            var markets: [StreamVenue.Market] = []
            for symbol in request["params"]?["symbol"]?.array?.compactMap(\.text) ?? [] {
                let timeIn = Self.isoNow()
                if !refusing, let market = StreamVenue.market(symbol, separator: "/"), quotes.quote(base: market.base, quote: market.quote, venue: venue.quoteVenue) != nil {
                    try send(#"{"method":"subscribe","result":{"channel":"ticker","snapshot":true,"symbol":"\#(symbol)"},"success":true,"time_in":"\#(timeIn)","time_out":"\#(Self.isoNow())"}"#)
                    markets.append(market)
                } else {
                    let reason = refusing ? "Subscription refused" : "Currency pair not supported \(symbol)"
                    try send(#"{"error":"\#(reason)","method":"subscribe","success":false,"symbol":"\#(symbol)","time_in":"\#(timeIn)","time_out":"\#(Self.isoNow())"}"#)
                }
            }
            if refusing { stats.update(venue) { $0.refusedSubscriptions += 1 } }
            return markets
        case .coinbase:
            guard let request = try readRequest(), request["type"]?.text == "subscribe" else { return [] }
            let products = request["product_ids"]?.array?.compactMap(\.text) ?? []
            let channels = (request["channels"]?.array ?? []).compactMap { $0.text ?? $0["name"]?.text }
            if refusing || channels.isEmpty {
                if refusing { stats.update(venue) { $0.refusedSubscriptions += 1 } }
                try send(#"{"message":"Failed to subscribe","reason":"\#(refusing ? "Subscriptions are refused" : "No channels provided")","type":"error"}"#)
                return []
            }
            let markets = products.compactMap { StreamVenue.market($0, separator: "-") }
            if let unknown = products.first(where: { p in !markets.contains { $0.name == p && quotes.quote(base: $0.base, quote: $0.quote, venue: venue.quoteVenue) != nil } }) {
                try send(#"{"message":"Failed to subscribe","reason":"\#(unknown) is not a valid product","type":"error"}"#)
                return []
            }
            let list = products.map { "\"\($0)\"" }.joined(separator: ",")
            let acked = channels.map { #"{"name":"\#($0)","product_ids":[\#(list)]}"# }.joined(separator: ",")
            try send(#"{"type":"subscriptions","channels":[\#(acked)]}"#)
            return markets
        }
    }

    private func readRequest() throws -> JSONValue? {
        guard case .text(let bytes)? = try connection.receive(timeout: 10) else { return nil }
        return try? JSONValue.parse(Data(bytes))
    }

    // MARK: Streaming

    private struct Book { var mid: Double; var spread: Double; var volume: Double; var second: Int64 }

    private func stream(_ markets: [StreamVenue.Market]) throws {
        let profile = StreamProfile.of(venue)
        let started = WebSocketConnection.monotonicSeconds()
        var books = [Book?](repeating: nil, count: markets.count)
        var premium = [Double](repeating: 0, count: markets.count)
        var sent: Int64 = 0
        var lastHeartbeat = started
        let rate = plan.messagesPerSecond * Double(markets.count)
        while true {
            let now = WebSocketConnection.monotonicSeconds()
            if let every = plan.disconnectEvery, now - started >= every { try drop() }
            if let message = try connection.receive(timeout: 0) {
                if case .close = message { stats.update(venue) { $0.clientDisconnects += 1 }; throw End.planned }
            }
            let due = Int64(((now - started) * rate).rounded(.down)) + 1
            var batch = 0
            while sent < due, batch < 5_000 {
                let index = Int(sent % Int64(markets.count))
                let market = markets[index]
                let wall = Int64(Date().timeIntervalSince1970 * 1000)
                if books[index]?.second != wall / 1000, let q = quotes.quote(base: market.base, quote: market.quote, venue: venue.quoteVenue) {
                    books[index] = Book(mid: (q.bid + q.ask) / 2, spread: q.ask - q.bid, volume: q.volume, second: wall / 1000)
                }
                guard let book = books[index] else { sent += 1; continue }
                // The venue's premium mean-reverts to zero: venues differ, never for long.
                premium[index] = 0.9 * premium[index] + 0.0003 * noise.normal(UInt64(index), UInt64(sent))
                var mid = book.mid * (1 + premium[index])
                let spiked = plan.priceSpikes > 0 && noise.uniform(201, UInt64(sent)) < plan.priceSpikes
                if spiked { mid *= sent % 2 == 0 ? 1.05 : 0.95 }
                let latency = max(1, profile.latencyMillis + profile.latencyJitter * noise.normal(100 + UInt64(index), UInt64(sent)))
                var bytes = venue.ticker(market, bid: mid - book.spread / 2, ask: mid + book.spread / 2, last: mid, volume: book.volume,
                                         stampMillis: wall - Int64(latency), sequence: sent)
                if plan.badMessages > 0, noise.uniform(200, UInt64(sent)) < plan.badMessages {
                    bytes = Array(bytes.prefix(bytes.count / 2))
                    stats.update(venue) { $0.badMessages += 1 }
                } else if spiked {
                    // Counted only when it arrives whole: a cut message is a reject, not an outlier.
                    stats.update(venue) { $0.priceSpikes += 1 }
                }
                try connection.send(textBytes: bytes)
                stats.update(venue) { $0.messages += 1 }
                sent += 1
                batch += 1
            }
            if now - lastHeartbeat >= profile.heartbeatSeconds {
                lastHeartbeat = now
                try heartbeat(markets, sequence: sent)
            }
            let next = started + Double(sent) / rate
            let wait = min(next, lastHeartbeat + profile.heartbeatSeconds) - WebSocketConnection.monotonicSeconds()
            if wait > 0 { usleep(UInt32(min(wait, 0.05) * 1_000_000)) }
        }
    }

    private func heartbeat(_ markets: [StreamVenue.Market], sequence: Int64) throws {
        switch venue {
        case .binance:
            try connection.sendPing(Array(String(sequence).utf8))
        case .kraken:
            try send(#"{"channel":"heartbeat"}"#)
        case .coinbase:
            for market in markets {
                try send(#"{"type":"heartbeat","last_trade_id":\#(sequence / 3),"product_id":"\#(market.name)","sequence":\#(sequence),"time":"\#(Self.isoNow())"}"#)
            }
        }
    }

    /// The plan's drop: even drops are announced and closed (1001), odd ones go silent and
    /// then lose the socket without a close frame. A drop is counted once it happened to a
    /// client still there: the client echoed the close, or had not left during the stall.
    private func drop() throws -> Never {
        var index = 0
        stats.update(venue) { v in
            index = v.dropsBegun
            v.dropsBegun += 1
        }
        if index % 2 == 0 {
            if venue == .binance {
                try? send(#"{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":\#(Int64(Date().timeIntervalSince1970 * 1000))}}"#)
            }
            try? connection.sendClose(code: 1001, reason: "scheduled disconnect")
            let deadline = WebSocketConnection.monotonicSeconds() + 2
            while WebSocketConnection.monotonicSeconds() < deadline, let reply = try? connection.receive(timeout: 0.5) {
                guard case .close(let code, _) = reply else { continue }
                stats.update(venue) { code == 1001 ? ($0.closes += 1) : ($0.clientDisconnects += 1) }
                throw End.planned
            }
            stats.update(venue) { $0.clientDisconnects += 1 }
        } else {
            Thread.sleep(forTimeInterval: plan.stallSeconds)
            if case .close? = try? connection.receive(timeout: 0) {
                stats.update(venue) { $0.clientDisconnects += 1 }
            } else {
                stats.update(venue) { $0.stalls += 1 }
                connection.abort()
            }
        }
        throw End.planned
    }
}
