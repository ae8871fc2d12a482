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
enum StreamMessageReader {
    /// A scalar as the message holds it.
    enum Scalar: Equatable {
        case text(String), number(Double), other

        var number: Double? {
            switch self {
            case .number(let value): return value.isFinite ? value : nil
            case .text(let text): return Double(text).flatMap { $0.isFinite ? $0 : nil }
            case .other: return nil
            }
        }

        var text: String? { if case .text(let text) = self { return text }; return nil }
    }

    /// The scalars of one object that a ticker reading needs, by key; others are skipped
    /// unread (no string is made of them).
    struct Scalars {
        private var values = [Scalar?](repeating: nil, count: Self.keys.count)

        static let keys = ["stream", "data", "e", "E", "s", "b", "a", "c", "v", "msg", "id", "method", "channel", "type", "symbol",
                           "bid", "ask", "last", "volume", "product_id", "best_bid", "best_ask", "price", "volume_24h", "time"]
        private static let slots: [String: Int] = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })

        static func slot(_ key: String) -> Int? { slots[key] }

        subscript(key: String) -> Scalar? {
            get { Self.slots[key].flatMap { values[$0] } }
        }

        mutating func set(_ slot: Int, _ value: Scalar) { values[slot] = value }
    }

    /// The message's top-level scalars, and the objects under its `data` (an object or an array of them).
    struct Fields {
        var top = Scalars()
        var data: [Scalars] = []
    }

    /// - Throws: `SilverParseError` saying what is wrong with a message that is not JSON, not
    ///   an object, or a ticker without what a ticker needs.
    static func read(_ bytes: UnsafeRawBufferPointer, venue: String) throws -> StreamMessage {
        let fields: Fields
        do { fields = try Self.fields(bytes) } catch let error as JSONSyntaxError {
            throw SilverParseError(message: "the message is not JSON: \(error)")
        }
        switch venue {
        case "binance":
            guard let stream = fields.top["stream"]?.text else {
                if fields.top["msg"] != nil { return .control("error: \(fields.top["msg"]?.text ?? "")") }
                if fields.top["id"] != nil { return .control("response") }
                throw SilverParseError(message: "neither a combined-stream message (stream, data) nor a control response")
            }
            guard let data = fields.data.first else { throw SilverParseError(message: "stream \(stream) has no data object") }
            if data["e"]?.text == "serverShutdown" { return .control("serverShutdown") }
            guard let symbol = data["s"]?.text else { throw SilverParseError(message: "stream \(stream) data has no symbol (s)") }
            var exchangeMillis: Int64?
            if let stamp = data["E"] {
                guard let value = stamp.number, let millis = InputNumber.unixMilliseconds(value) else {
                    throw SilverParseError(message: "event time E of \(symbol) is not a Unix time in milliseconds between 1970 and 2200")
                }
                exchangeMillis = millis
            }
            return .tickers([StreamTicker(symbol: symbol, bid: data["b"]?.number, ask: data["a"]?.number, last: data["c"]?.number,
                                          volume: data["v"]?.number, exchangeMillis: exchangeMillis)])
        case "kraken":
            if let method = fields.top["method"]?.text { return .control(method) }
            guard let channel = fields.top["channel"]?.text else { throw SilverParseError(message: "no channel or method: not a Kraken v2 message") }
            guard channel == "ticker" else { return .control(channel) }
            guard !fields.data.isEmpty else { throw SilverParseError(message: "a ticker message without data") }
            return .tickers(try fields.data.map { item in
                guard let symbol = item["symbol"]?.text else { throw SilverParseError(message: "a ticker item without symbol") }
                return StreamTicker(symbol: symbol, bid: item["bid"]?.number, ask: item["ask"]?.number, last: item["last"]?.number, volume: item["volume"]?.number)
            })
        case "coinbase":
            guard let type = fields.top["type"]?.text else { throw SilverParseError(message: "no type: not a Coinbase Exchange feed message") }
            guard type == "ticker" else { return .control(type) }
            guard let product = fields.top["product_id"]?.text else { throw SilverParseError(message: "a ticker without product_id") }
            var exchangeMillis: Int64?
            if let time = fields.top["time"]?.text {
                guard let millis = ISO8601.unixMilliseconds(time) else { throw SilverParseError(message: "time '\(time)' of \(product) is not an ISO 8601 UTC time") }
                exchangeMillis = millis
            }
            return .tickers([StreamTicker(symbol: product, bid: fields.top["best_bid"]?.number, ask: fields.top["best_ask"]?.number,
                                          last: fields.top["price"]?.number, volume: fields.top["volume_24h"]?.number, exchangeMillis: exchangeMillis)])
        default:
            throw SilverParseError(message: "unknown venue '\(venue)'; expected binance, kraken or coinbase")
        }
    }

    /// Scalars at the top and in `data`; anything else is skipped (and syntax-checked).
    static func fields(_ bytes: UnsafeRawBufferPointer) throws -> Fields {
        var cursor = JSONCursor(bytes)
        var fields = Fields()
        guard cursor.peek() == UInt8(ascii: "{") else { throw cursor.syntaxError("expected an object") }
        func readItem(_ cursor: inout JSONCursor) throws -> Scalars {
            var item = Scalars()
            try readObject(&cursor) { key, cursor in
                if let slot = Scalars.slot(key) { item.set(slot, try scalar(&cursor)) } else { try cursor.skipValue() }
            }
            return item
        }
        try readObject(&cursor) { key, cursor in
            if key == "data", cursor.peek() == UInt8(ascii: "{") {
                fields.data.append(try readItem(&cursor))
            } else if key == "data", cursor.consume(UInt8(ascii: "[")) {
                if !cursor.consume(UInt8(ascii: "]")) {
                    repeat {
                        guard cursor.peek() == UInt8(ascii: "{") else { try cursor.skipValue(); continue }
                        fields.data.append(try readItem(&cursor))
                    } while cursor.consume(UInt8(ascii: ","))
                    try cursor.expect(UInt8(ascii: "]"))
                }
            } else if let slot = Scalars.slot(key) {
                fields.top.set(slot, try scalar(&cursor))
            } else {
                try cursor.skipValue()
            }
        }
        guard cursor.atEnd() else { throw cursor.syntaxError("text after the message") }
        return fields
    }

    private static func readObject(_ cursor: inout JSONCursor, _ field: (String, inout JSONCursor) throws -> Void) throws {
        try cursor.expect(UInt8(ascii: "{"))
        if cursor.consume(UInt8(ascii: "}")) { return }
        repeat {
            let key = try cursor.readString()
            try cursor.expect(UInt8(ascii: ":"))
            try field(key, &cursor)
        } while cursor.consume(UInt8(ascii: ","))
        try cursor.expect(UInt8(ascii: "}"))
    }

    private static func scalar(_ cursor: inout JSONCursor) throws -> Scalar {
        guard let next = cursor.peek() else { throw cursor.syntaxError("unexpected end of input") }
        switch next {
        case UInt8(ascii: "\""): return .text(try cursor.readString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try cursor.readNumber())
        default: try cursor.skipValue(); return .other
        }
    }
}
