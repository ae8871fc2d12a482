import Foundation
import Warehouse

/// One venue stream message, read: the tickers it carries, or what else it is (heartbeats,
/// acknowledgements, status), which holds no tick and is not an error.
enum StreamMessage: Equatable {
    case tickers([StreamTicker])
    case control(String)
}

/// A ticker as the venue sent it, before symbols are unified.
struct StreamTicker: Equatable {
    var symbol: String
    var bid: Double?
    var ask: Double?
    var last: Double?
    var volume: Double?
    /// The venue's own time of the quote, Unix ms; nil where the message has none (Kraken's
    /// v2 ticker, Binance's bookTicker).
    var exchangeMillis: Int64?
}

/// Reads the messages of the three venues' ticker streams (shapes in shared/fixtures/real/ws):
/// Binance combined streams (`{"stream":…,"data":{…}}`, `24hrTicker` or bookTicker), Kraken
/// WebSocket v2 (`{"channel":"ticker","data":[…]}`) and Coinbase Exchange (`{"type":"ticker",…}`).
/// Millions of messages a day go through it: keys are matched as bytes, values kept as places in
/// the message until asked for, and only a symbol becomes a String.
enum StreamMessageReader {
    /// A scalar as the message holds it: a string's place in the message (between its quotes),
    /// a number, or anything else.
    enum Scalar: Equatable {
        case text(start: Int, count: Int, escaped: Bool), number(Double), other
    }

    /// The keys a ticker reading needs, of all three venues.
    enum Key: Int, CaseIterable {
        case stream, data, e, E, s, b, a, c, v, msg, id, method, channel, type, symbol
        case bid, ask, last, volume, productID, bestBid, bestAsk, price, volume24h, time

        static let names = ["stream", "data", "e", "E", "s", "b", "a", "c", "v", "msg", "id", "method", "channel", "type", "symbol",
                            "bid", "ask", "last", "volume", "product_id", "best_bid", "best_ask", "price", "volume_24h", "time"]
        private static let bytes = names.map { Array($0.utf8) }

        /// The key given as its bytes, nil for one no venue reading needs.
        init?(_ key: UnsafeRawBufferPointer) {
            guard let index = Self.bytes.firstIndex(where: { $0.count == key.count && $0.elementsEqual(key) }) else { return nil }
            self.init(rawValue: index)
        }
    }

    /// The scalars of one object that a ticker reading needs, by key; others are skipped
    /// unread (no string is made of them).
    struct Scalars {
        /// Inline, not on the heap: an object's scalars cost no allocation.
        private var values = InlineArray<25, Scalar?>(repeating: nil)

        subscript(key: Key) -> Scalar? { values[key.rawValue] }

        mutating func set(_ key: Key, _ value: Scalar) { values[key.rawValue] = value }
    }

    /// The message's top-level scalars, and the objects under its `data` (an object or an array
    /// of them), with the message's bytes their text places point into.
    struct Fields {
        let bytes: UnsafeRawBufferPointer
        var top = Scalars()
        /// The first object under `data` inline, any further ones (Kraken sends a list) after it.
        var firstData: Scalars?
        var moreData: [Scalars] = []

        mutating func addData(_ item: Scalars) { if firstData == nil { firstData = item } else { moreData.append(item) } }

        /// A scalar as a String (a string's text, escapes decoded), nil for a number or nothing.
        func text(_ scalar: Scalar?) -> String? {
            guard case .text(let start, let count, let escaped)? = scalar else { return nil }
            let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)])
            guard escaped else { return String(decoding: raw, as: UTF8.self) }
            var out: [UInt8] = []
            try? JSONCursor(raw).decodeEscaped(raw, into: &out)
            return String(decoding: out, as: UTF8.self)
        }

        /// Whether a scalar is the string `expected` (compared as bytes, no String made).
        func text(_ scalar: Scalar?, is expected: StaticString) -> Bool {
            guard case .text(let start, let count, false)? = scalar, count == expected.utf8CodeUnitCount else {
                if case .text(_, _, true)? = scalar { return text(scalar) == expected.description }
                return false
            }
            return UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)]).elementsEqual(UnsafeRawBufferPointer(start: expected.utf8Start, count: count))
        }

        /// A scalar as a finite number: a JSON number, or a string holding one (venues quote prices).
        func number(_ scalar: Scalar?) -> Double? {
            switch scalar {
            case .number(let value)?: return value.isFinite ? value : nil
            case .text(let start, let count, false)?:
                guard count > 0, case let first = bytes[start], first == UInt8(ascii: "-") || (0x30...0x39).contains(first) else { return nil }
                var cursor = JSONCursor(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)]))
                guard let value = try? cursor.readNumber(), cursor.atEnd(), value.isFinite else { return nil }
                return value
            case .text?: return text(scalar).flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil }
            default: return nil
            }
        }
    }

    /// - Throws: `SilverParseError` saying what is wrong with a message that is not JSON, not
    ///   an object, or a ticker without what a ticker needs.
    static func read(_ bytes: UnsafeRawBufferPointer, venue: String) throws -> StreamMessage {
        var tickers: [StreamTicker] = []
        if let control = try read(bytes, venue: venue, each: { tickers.append($0) }) { return .control(control) }
        return .tickers(tickers)
    }

    /// Reads a message, handing each ticker to `each` (no list made of them): what silver's
    /// builders call per line.
    /// - Returns: what the message is when it holds no ticker (a heartbeat, an ack), nil for tickers.
    /// - Throws: as `read(_:venue:)`; `each`'s errors too.
    static func read(_ bytes: UnsafeRawBufferPointer, venue: String, each: (StreamTicker) throws -> Void) throws -> String? {
        let fields: Fields
        do { fields = try Self.fields(bytes) } catch let error as JSONSyntaxError {
            throw SilverParseError(message: "the message is not JSON: \(error)")
        }
        switch venue {
        case "binance":
            guard let stream = fields.text(fields.top[.stream]) else {
                if fields.top[.msg] != nil { return "error: \(fields.text(fields.top[.msg]) ?? "")" }
                if fields.top[.id] != nil { return "response" }
                throw SilverParseError(message: "neither a combined-stream message (stream, data) nor a control response")
            }
            guard let data = fields.firstData else { throw SilverParseError(message: "stream \(stream) has no data object") }
            if fields.text(data[.e], is: "serverShutdown") { return "serverShutdown" }
            guard let symbol = fields.text(data[.s]) else { throw SilverParseError(message: "stream \(stream) data has no symbol (s)") }
            var exchangeMillis: Int64?
            if let stamp = data[.E] {
                guard let value = fields.number(stamp), let millis = InputNumber.unixMilliseconds(value) else {
                    throw SilverParseError(message: "event time E of \(symbol) is not a Unix time in milliseconds between 1970 and 2200")
                }
                exchangeMillis = millis
            }
            try each(StreamTicker(symbol: symbol, bid: fields.number(data[.b]), ask: fields.number(data[.a]), last: fields.number(data[.c]),
                                  volume: fields.number(data[.v]), exchangeMillis: exchangeMillis))
            return nil
        case "kraken":
            if let method = fields.text(fields.top[.method]) { return method }
            guard let channel = fields.text(fields.top[.channel]) else { throw SilverParseError(message: "no channel or method: not a Kraken v2 message") }
            guard channel == "ticker" else { return channel }
            guard let first = fields.firstData else { throw SilverParseError(message: "a ticker message without data") }
            func ticker(_ item: Scalars) throws {
                guard let symbol = fields.text(item[.symbol]) else { throw SilverParseError(message: "a ticker item without symbol") }
                try each(StreamTicker(symbol: symbol, bid: fields.number(item[.bid]), ask: fields.number(item[.ask]), last: fields.number(item[.last]),
                                      volume: fields.number(item[.volume])))
            }
            try ticker(first)
            for item in fields.moreData { try ticker(item) }
            return nil
        case "coinbase":
            guard let type = fields.text(fields.top[.type]) else { throw SilverParseError(message: "no type: not a Coinbase Exchange feed message") }
            guard type == "ticker" else { return type }
            guard let product = fields.text(fields.top[.productID]) else { throw SilverParseError(message: "a ticker without product_id") }
            var exchangeMillis: Int64?
            if let time = fields.text(fields.top[.time]) {
                guard let millis = ISO8601.unixMilliseconds(time) else { throw SilverParseError(message: "time '\(time)' of \(product) is not an ISO 8601 UTC time") }
                exchangeMillis = millis
            }
            try each(StreamTicker(symbol: product, bid: fields.number(fields.top[.bestBid]), ask: fields.number(fields.top[.bestAsk]),
                                  last: fields.number(fields.top[.price]), volume: fields.number(fields.top[.volume24h]), exchangeMillis: exchangeMillis))
            return nil
        default:
            throw SilverParseError(message: "unknown venue '\(venue)'; expected binance, kraken or coinbase")
        }
    }

    /// Scalars at the top and in `data`; anything else is skipped (and syntax-checked).
    static func fields(_ bytes: UnsafeRawBufferPointer) throws -> Fields {
        var cursor = JSONCursor(bytes)
        var fields = Fields(bytes: bytes)
        guard cursor.peek() == UInt8(ascii: "{") else { throw cursor.syntaxError("expected an object") }
        func readItem(_ cursor: inout JSONCursor) throws -> Scalars {
            var item = Scalars()
            try readObject(&cursor) { key, cursor in
                if let key = Key(key) { item.set(key, try scalar(&cursor)) } else { try cursor.skipValue() }
            }
            return item
        }
        try readObject(&cursor) { name, cursor in
            let key = Key(name)
            if key == .data, cursor.peek() == UInt8(ascii: "{") {
                fields.addData(try readItem(&cursor))
            } else if key == .data, cursor.consume(UInt8(ascii: "[")) {
                if !cursor.consume(UInt8(ascii: "]")) {
                    repeat {
                        guard cursor.peek() == UInt8(ascii: "{") else { try cursor.skipValue(); continue }
                        fields.addData(try readItem(&cursor))
                    } while cursor.consume(UInt8(ascii: ","))
                    try cursor.expect(UInt8(ascii: "]"))
                }
            } else if let key {
                fields.top.set(key, try scalar(&cursor))
            } else {
                try cursor.skipValue()
            }
        }
        guard cursor.atEnd() else { throw cursor.syntaxError("text after the message") }
        return fields
    }

    /// Reads an object, handing each key as its bytes (escapes decoded) to `field`.
    private static func readObject(_ cursor: inout JSONCursor, _ field: (UnsafeRawBufferPointer, inout JSONCursor) throws -> Void) throws {
        try cursor.expect(UInt8(ascii: "{"))
        if cursor.consume(UInt8(ascii: "}")) { return }
        repeat {
            let (key, escaped) = try cursor.readRawString()
            try cursor.expect(UInt8(ascii: ":"))
            if escaped {
                var decoded: [UInt8] = []
                try cursor.decodeEscaped(key, into: &decoded)
                try decoded.withUnsafeBytes { try field($0, &cursor) }
            } else {
                try field(key, &cursor)
            }
        } while cursor.consume(UInt8(ascii: ","))
        try cursor.expect(UInt8(ascii: "}"))
    }

    private static func scalar(_ cursor: inout JSONCursor) throws -> Scalar {
        guard let next = cursor.peek() else { throw cursor.syntaxError("unexpected end of input") }
        switch next {
        case UInt8(ascii: "\""):
            let (raw, escaped) = try cursor.readRawString()
            // Rare in venue messages: checked now, so a broken escape rejects the message
            // instead of cutting the value short when it is read.
            if escaped { try cursor.checkEscapes(raw) }
            return .text(start: raw.baseAddress.map { $0 - cursor.bytes.baseAddress! } ?? cursor.offset - 1, count: raw.count, escaped: escaped)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try cursor.readNumber())
        default: try cursor.skipValue(); return .other
        }
    }
}
