import Foundation

/// The line format of stream segments (BRIEF section 3; docs/stream_segments.md): one JSON
/// object per line, either a message as received or a connection event, each with its
/// reception time. Other tools may write segments in this format; keys may come in any order.
///
///     {"received_ms":1764720000123,"monotonic_ns":81234567890,"connection":3,"message":"{\"stream\":…}"}
///     {"received_ms":1764720000456,"monotonic_ns":81234901234,"connection":3,"event":"closed","code":1001,"reason":"…"}
public enum StreamSegment {
    /// The dataset a venue's ticker stream is stored under: `raw/DAY/<venue>/ws_ticker/`.
    public static let tickerDataset = "ws_ticker"
    /// `format` in a segment's metadata params.
    public static let format = "stream-segment-1"
    /// The event names a writer records (docs/stream_segments.md); a check warns on any other.
    public static let events = ["connected", "status", "subscribed", "subscribe_failed", "closed", "connect_failed", "reconnect_attempt",
                                "message_gap", "binary_message", "poll_failed", "clock_probe", "clock_probe_failed", "stopped"]

    /// One line of a segment.
    public struct Line: Equatable, Sendable {
        /// Wall-clock reception time, Unix milliseconds.
        public var receivedMillis: Int64
        /// A monotonic clock's reading at reception, nanoseconds (for inter-arrival; its origin is arbitrary).
        public var monotonicNanos: Int64?
        /// Which connection of the writer it came on, counting from 1 per run.
        public var connection: Int64?
        public var content: Content
        /// For a message that is a REST poll's body (the collector's polling mode), the request
        /// it answers (path and query); nil for a stream message.
        public var poll: String?
        /// For a `clock_probe` event: when the request to the venue's server-time endpoint left
        /// (Unix ms) and its round trip on the monotonic clock (microseconds).
        public var sentMillis: Int64?
        public var roundTripMicros: Int64?

        public enum Content: Equatable, Sendable {
            /// The message text exactly as the venue sent it.
            case message(String)
            /// A connection event: `connected`, `subscribed`, `subscribe_failed`, `message_gap`,
            /// `closed`, `connect_failed`, `reconnect_attempt`, `poll_failed`, `clock_probe`,
            /// `stopped`; close code (or HTTP status), reason and any detail.
            case event(name: String, code: Int64?, reason: String?, detail: String?)
        }

        public init(receivedMillis: Int64, monotonicNanos: Int64?, connection: Int64?, content: Content, poll: String? = nil,
                    sentMillis: Int64? = nil, roundTripMicros: Int64? = nil) {
            self.receivedMillis = receivedMillis
            self.monotonicNanos = monotonicNanos
            self.connection = connection
            self.content = content
            self.poll = poll
            self.sentMillis = sentMillis
            self.roundTripMicros = roundTripMicros
        }
    }

    /// Appends a message line (with its newline) to `out`, escaping the message's bytes; `poll`
    /// marks a REST poll's body with the request it answers.
    public static func appendMessage(_ message: [UInt8], receivedMillis: Int64, monotonicNanos: Int64, connection: Int64, poll: String? = nil, to out: inout [UInt8]) {
        appendPrefix(receivedMillis, monotonicNanos, connection, to: &out)
        if let poll { out.append(contentsOf: #""poll":"#.utf8); appendQuoted(Array(poll.utf8), to: &out); out.append(0x2C) }
        out.append(contentsOf: #""message":"#.utf8)
        appendQuoted(message, to: &out)
        out.append(contentsOf: [0x7D, 0x0A])
    }

    /// Appends an event line (with its newline) to `out`.
    public static func appendEvent(_ name: String, code: Int64? = nil, reason: String? = nil, detail: String? = nil, sentMillis: Int64? = nil,
                                   roundTripMicros: Int64? = nil, receivedMillis: Int64, monotonicNanos: Int64, connection: Int64, to out: inout [UInt8]) {
        appendPrefix(receivedMillis, monotonicNanos, connection, to: &out)
        out.append(contentsOf: #""event":"#.utf8)
        appendQuoted(Array(name.utf8), to: &out)
        if let code { out.append(contentsOf: #","code":\#(code)"#.utf8) }
        if let sentMillis { out.append(contentsOf: #","sent_ms":\#(sentMillis)"#.utf8) }
        if let roundTripMicros { out.append(contentsOf: #","rtt_us":\#(roundTripMicros)"#.utf8) }
        if let reason { out.append(contentsOf: #","reason":"#.utf8); appendQuoted(Array(reason.utf8), to: &out) }
        if let detail { out.append(contentsOf: #","detail":"#.utf8); appendQuoted(Array(detail.utf8), to: &out) }
        out.append(contentsOf: [0x7D, 0x0A])
    }

    private static func appendPrefix(_ received: Int64, _ monotonic: Int64, _ connection: Int64, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"received_ms":\#(received),"monotonic_ns":\#(monotonic),"connection":\#(connection),"#.utf8)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string of `bytes` (UTF-8 passed through, quotes, backslashes and control bytes escaped).
    static func appendQuoted(_ bytes: [UInt8], to out: inout [UInt8]) {
        out.append(0x22)
        for byte in bytes {
            switch byte {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0..<0x20: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    /// Parses one line (without its newline).
    /// - Throws: `JSONSyntaxError` for a line that is not a JSON object, `StreamSegmentError`
    ///   for one without `received_ms` (or with one that is not a whole Unix time in ms between
    ///   1970 and 2200), with a count outside the signed 64-bit range, or with neither `message` nor `event`.
    ///   With `messages` false, a message's text is checked but not decoded (`.message("")`),
    ///   for readers of events only.
    public static func parse(_ line: UnsafeRawBufferPointer, messages: Bool = true) throws -> Line {
        var unused: (raw: UnsafeRawBufferPointer, escaped: Bool)?
        return try parse(line, messages: messages ? .decoded : .skipped, raw: &unused)
    }

    /// Parses one line leaving its message undecoded: `.message("")`, with `message` set to the
    /// message's JSON string as it lies in the line (and whether it holds escapes), for a reader
    /// that decodes it into a buffer of its own (`JSONCursor.decodeEscaped(_:into:)`) without
    /// making a String of every message. Valid while `line` is.
    /// - Throws: as `parse(_:messages:)`.
    public static func parse(_ line: UnsafeRawBufferPointer, message: inout (raw: UnsafeRawBufferPointer, escaped: Bool)?) throws -> Line {
        try parse(line, messages: .raw, raw: &message)
    }

    private enum MessageReading { case decoded, skipped, raw }

    private static func parse(_ line: UnsafeRawBufferPointer, messages mode: MessageReading, raw: inout (raw: UnsafeRawBufferPointer, escaped: Bool)?) throws -> Line {
        raw = nil
        var cursor = JSONCursor(line)
        var received: Int64?, monotonic: Int64?, connection: Int64?
        var message: String?, event: String?, code: Int64?, reason: String?, detail: String?, poll: String?, sent: Int64?, roundTrip: Int64?
        try cursor.expect(UInt8(ascii: "{"))
        if !cursor.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try cursor.readString()
                try cursor.expect(UInt8(ascii: ":"))
                switch key {
                case "received_ms":
                    // Checked here, at the contract: every reader subtracts and buckets these times.
                    received = try unixMillis(&cursor, key)
                case "sent_ms": sent = try unixMillis(&cursor, key)
                case "rtt_us":
                    let value = try integer(&cursor, key)
                    guard value >= 0, value <= 3_600_000_000 else { throw StreamSegmentError.notRoundTrip(value) }
                    roundTrip = value
                case "poll": poll = try cursor.readString()
                case "monotonic_ns": monotonic = try integer(&cursor, key)
                case "connection": connection = try integer(&cursor, key)
                case "code": code = try integer(&cursor, key)
                case "message":
                    switch mode {
                    case .decoded: message = try cursor.readString()
                    case .skipped: try cursor.skipValue(); message = ""
                    case .raw: raw = try cursor.readRawString(); message = ""
                    }
                case "event": event = try cursor.readString()
                case "reason": reason = try cursor.readString()
                case "detail": detail = try cursor.readString()
                default: try cursor.skipValue()
                }
            } while cursor.consume(UInt8(ascii: ","))
            try cursor.expect(UInt8(ascii: "}"))
        }
        guard cursor.atEnd() else { throw cursor.syntaxError("text after the line's object") }
        guard let received else { throw StreamSegmentError.missing("received_ms") }
        if let message { return Line(receivedMillis: received, monotonicNanos: monotonic, connection: connection, content: .message(message), poll: poll) }
        if let event {
            return Line(receivedMillis: received, monotonicNanos: monotonic, connection: connection, content: .event(name: event, code: code, reason: reason, detail: detail),
                        sentMillis: sent, roundTripMicros: roundTrip)
        }
        throw StreamSegmentError.missing("message or event")
    }

    private static func unixMillis(_ cursor: inout JSONCursor, _ key: String) throws -> Int64 {
        let value = try cursor.readNumber()
        guard let millis = InputNumber.unixMilliseconds(value), Double(millis) == value else { throw StreamSegmentError.notUnixMillis(key, value) }
        return millis
    }

    private static func integer(_ cursor: inout JSONCursor, _ key: String) throws -> Int64 {
        let value = try cursor.readNumber()
        guard let whole = InputNumber.int64(value), Double(whole) == value else { throw StreamSegmentError.notInteger(key, value) }
        return whole
    }

    /// Calls `body` with each line of a segment's bytes (newline excluded) and its 1-based
    /// number; a last line without its newline is passed too (a reader decides what it means).
    public static func forEachLine(in data: Data, _ body: (UnsafeRawBufferPointer, Int) throws -> Void) rethrows {
        try data.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
            guard let base = all.baseAddress else { return }
            var start = 0
            var number = 0
            while start < all.count {
                let end = memchr(base + start, 0x0A, all.count - start).map { UnsafeRawPointer($0) - base } ?? all.count
                number += 1
                try body(UnsafeRawBufferPointer(rebasing: all[start..<end]), number)
                start = end + 1
            }
        }
    }
}

/// A segment line that parses as JSON but is not a segment line.
public enum StreamSegmentError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case notInteger(String, Double)
    case notUnixMillis(String, Double)
    case notRoundTrip(Int64)

    public var description: String {
        switch self {
        case .missing(let key): return "the line has no \(key)"
        case .notInteger(let key, let value): return "\(key) \(value) is not a whole number in the signed 64-bit range"
        case .notUnixMillis(let key, let value): return "\(key) \(value) is not a whole Unix time in milliseconds between 1970 and 2200"
        case .notRoundTrip(let value): return "rtt_us \(value) is not a round trip between 0 and an hour in microseconds"
        }
    }
}
