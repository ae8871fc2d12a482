import Foundation

/// A byte-level reader over JSON text: the fast path for large bodies (hundreds of MB/s),
/// used to validate every fetched body and to stream arrays of numbers out of raw files
/// without building an object tree.
public struct JSONCursor {
    public let bytes: UnsafeRawBufferPointer
    /// Offset of the next unread byte.
    public private(set) var offset: Int = 0

    /// Fetched once here: a static table is checked for initialization on every access.
    private let powers = PowersOfTen.shared

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Whether every byte has been read (after trailing whitespace).
    public mutating func atEnd() -> Bool {
        skipWhitespace()
        return offset >= bytes.count
    }

    /// The next non-whitespace byte, not consumed; nil at the end.
    @inline(__always)
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    @inline(__always)
    public mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// Consumes `byte` (after whitespace) or throws.
    @inline(__always)
    public mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else { throw syntaxError("expected '\(Character(UnicodeScalar(byte)))'") }
        offset += 1
    }

    /// Consumes `byte` when it is next; tells whether it was.
    @inline(__always)
    public mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        offset += 1
        return true
    }

    /// Reads a string (the opening quote next); escapes are decoded.
    public mutating func readString() throws -> String {
        let (raw, escaped) = try readRawString()
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        var out = [UInt8]()
        try decodeEscaped(raw, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads a string (the opening quote next) without decoding it: the bytes between its
    /// quotes as they lie in the input, and whether they hold escapes. For readers that decode
    /// into a buffer of their own (`decodeEscaped(_:into:)`) or need no String at all.
    public mutating func readRawString() throws -> (raw: UnsafeRawBufferPointer, escaped: Bool) {
        try expect(UInt8(ascii: "\""))
        let start = offset, count = bytes.count
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw syntaxError("unterminated string") }
        var i = start
        var hasEscape = false
        while i < count {
            let byte = base[i]
            if byte == UInt8(ascii: "\"") {
                offset = i + 1
                return (UnsafeRawBufferPointer(start: base + start, count: i - start), hasEscape)
            }
            if byte == UInt8(ascii: "\\") { hasEscape = true; i += 2; continue }
            if byte < 0x20 { offset = i; throw syntaxError("control character in string") }
            i += 1
        }
        offset = count
        throw syntaxError("unterminated string")
    }

    /// Reads a JSON number with correct rounding (fast exact path, `strtod` otherwise).
    public mutating func readNumber() throws -> Double {
        skipWhitespace()
        let start = offset
        var negative = false
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { negative = true; offset += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        let integer = readDigits(into: &mantissa, significant: &digits)
        if integer.read == 0 { throw syntaxError("expected a number") }
        var exponent = integer.dropped
        // Digits past the 19th make the mantissa inexact: only strtod rounds that right.
        var truncated = integer.dropped > 0
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            let fraction = readDigits(into: &mantissa, significant: &digits)
            if fraction.read == 0 { throw syntaxError("expected digits after '.'") }
            exponent -= fraction.read - fraction.dropped
            truncated = truncated || fraction.dropped > 0
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            var expNegative = false
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") || bytes[offset] == UInt8(ascii: "+") {
                expNegative = bytes[offset] == UInt8(ascii: "-"); offset += 1
            }
            let expStart = offset
            var value = 0
            while offset < bytes.count, case let d = bytes[offset] &- 0x30, d < 10 {
                if value < 100_000 { value = value * 10 + Int(d) }
                offset += 1
            }
            if offset == expStart { throw syntaxError("expected digits in exponent") }
            exponent += expNegative ? -value : value
        }
        if truncated { return slowNumber(from: start) }
        // Clinger's fast path: exact when the mantissa and the power of ten are both exact doubles.
        if digits <= 15, mantissa < (1 << 53), exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / powers.doubles[-exponent] : value * powers.doubles[exponent]
            return negative ? -value : value
        }
        #if arch(x86_64)
        // Prices carry 16 to 17 digits, past Clinger's path. With 64-bit significands the
        // mantissa and 10^e (e <= 27, 5^27 < 2^63) are exact, and one multiply or divide rounds
        // once; rounding that to a Double is then exact unless it lands on a tie between two
        // Doubles (its low 11 bits exactly half), which strtod settles.
        if digits <= 19, exponent >= -27, exponent <= 27 {
            let power = powers.extended[exponent < 0 ? -exponent : exponent]
            let value = exponent < 0 ? Float80(mantissa) / power : Float80(mantissa) * power
            if value.significandBitPattern & 0x7FF != 0x400 {
                return negative ? -Double(value) : Double(value)
            }
        }
        #endif
        return slowNumber(from: start)
    }

    /// Reads a run of digits into `mantissa`, keeping the first 19 significant ones (`significant`
    /// counts them; leading zeros are not significant). Returns how many digits were read and how
    /// many were dropped past the 19th. Up to eight digits at a time, one word load and a few
    /// multiplies each: prices carry 16 to 17 digits and times 13.
    @inline(__always)
    private mutating func readDigits(into mantissa: inout UInt64, significant: inout Int) -> (read: Int, dropped: Int) {
        let start = offset
        while offset + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let run = Self.leadingDigits(of: word)
            if run == 0 { return (offset - start, 0) }
            if significant == 0, word & 0xFF == 0x30 { offset += 1; continue }   // a leading zero
            guard significant + run <= 19 else { break }
            // Fewer than eight digits: shift them to the top and fill the bottom with '0's, which
            // reads as leading zeros.
            let digits = run == 8 ? word : word << (8 * (8 - run)) | 0x3030_3030_3030_3030 >> (8 * run)
            mantissa = mantissa &* powers.integers[run] &+ Self.value(ofEightDigits: digits)
            significant += run
            offset += run
            if run < 8 { return (offset - start, 0) }
        }
        // Near the end of the input, or past 19 significant digits: one digit at a time.
        var dropped = 0
        while offset < bytes.count, case let d = bytes[offset] &- 0x30, d < 10 {
            if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { significant += 1 }
            } else {
                dropped += 1
            }
            offset += 1
        }
        return (offset - start, dropped)
    }

    /// How many of a little-endian word's bytes, from the first, are ASCII digits (0 to 8).
    @inline(__always)
    private static func leadingDigits(of word: UInt64) -> Int {
        // A byte's high bit ends up set when it is below '0' (the subtraction borrows) or above
        // '9' (the addition reaches 0x80). A borrow or carry only disturbs the bytes after the
        // one that caused it, and those are past the first non-digit anyway.
        let flagged = ((word &- 0x3030_3030_3030_3030) | (word &+ 0x4646_4646_4646_4646)) & 0x8080_8080_8080_8080
        return flagged.trailingZeroBitCount / 8
    }

    /// The number written by eight ASCII digits read as a little-endian word (first digit most
    /// significant): pairs, then quads, then the whole, each step one multiply.
    @inline(__always)
    private static func value(ofEightDigits word: UInt64) -> UInt64 {
        var value = word &- 0x3030_3030_3030_3030
        value = value &* 10 &+ (value >> 8)
        let pairs = value & 0x0000_00FF_0000_00FF, nextPairs = (value >> 16) & 0x0000_00FF_0000_00FF
        return (pairs &* (100 + (1_000_000 << 32)) &+ nextPairs &* (1 + (10_000 << 32))) >> 32
    }

    /// Skips one complete value of any kind, checking its syntax.
    public mutating func skipValue(depth: Int = 0) throws {
        guard depth < 512 else { throw syntaxError("nesting deeper than 512") }
        guard let byte = peek() else { throw syntaxError("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"):
            offset += 1
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                _ = try readString()
                try expect(UInt8(ascii: ":"))
                try skipValue(depth: depth + 1)
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            offset += 1
            if consume(UInt8(ascii: "]")) { return }
            repeat { try skipValue(depth: depth + 1) } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
        case UInt8(ascii: "\""):
            let (raw, escaped) = try readRawString()
            if escaped { try checkEscapes(raw) }
        case UInt8(ascii: "t"): try readLiteral("true")
        case UInt8(ascii: "f"): try readLiteral("false")
        case UInt8(ascii: "n"): try readLiteral("null")
        default: _ = try readNumber()
        }
    }

    /// Consumes an exact literal (`true`, `false`, `null`).
    public mutating func readLiteral(_ literal: StaticString) throws {
        skipWhitespace()
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count,
              memcmp(bytes.baseAddress! + offset, literal.utf8Start, count) == 0 else {
            throw syntaxError("expected \(literal)")
        }
        offset += count
    }

    /// An error at the current offset.
    public func syntaxError(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset, message: message)
    }

    /// strtod for what the fast path cannot round exactly. When a delimiter follows the number
    /// inside the buffer, strtod reads in place (it stops there); otherwise it reads a copy.
    private func slowNumber(from start: Int) -> Double {
        let base = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)
        if offset < bytes.count {
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(base + start, &end)
            if end == UnsafeMutablePointer(mutating: base + offset) { return value }
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: offset - start + 1) { buffer in
            buffer.baseAddress!.initialize(from: base + start, count: offset - start)
            buffer[offset - start] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// Decodes a string's escapes (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX` with
    /// surrogate pairs) in one pass, appending the UTF-8 to `out`; a lone surrogate becomes
    /// U+FFFD, as JSONDecoder does.
    /// - Throws: `JSONSyntaxError` for a malformed escape.
    public func decodeEscaped(_ raw: UnsafeRawBufferPointer, into out: inout [UInt8]) throws {
        try unescape(raw, into: &out, writing: true)
    }

    /// Checks a string's escapes as `decodeEscaped` reads them, decoding nothing: how a skipped
    /// string is validated without making it.
    /// - Throws: `JSONSyntaxError` for a malformed escape.
    public func checkEscapes(_ raw: UnsafeRawBufferPointer) throws {
        var nothing: [UInt8] = []
        try unescape(raw, into: &nothing, writing: false)
    }

    private func unescape(_ raw: UnsafeRawBufferPointer, into out: inout [UInt8], writing: Bool) throws {
        if writing { out.reserveCapacity(out.count + raw.count) }
        var i = 0
        guard let base = raw.baseAddress else { return }
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= raw.count else { throw syntaxError("bad escape in string") }
            var value: UInt32 = 0
            for k in at..<(at + 4) {
                let c = raw[k]
                let digit: UInt8
                switch c {
                case 0x30...0x39: digit = c - 0x30
                case 0x41...0x46: digit = c - 0x41 + 10
                case 0x61...0x66: digit = c - 0x61 + 10
                default: throw syntaxError("bad escape in string")
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        func append(scalar value: UInt32) {
            guard writing else { return }
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            UTF8.encode(scalar) { out.append($0) }
        }
        func append(_ byte: UInt8) { if writing { out.append(byte) } }
        while i < raw.count {
            // The run up to the next backslash goes in whole.
            guard raw[i] == 0x5C else {
                let next = memchr(base + i, 0x5C, raw.count - i).map { UnsafeRawPointer($0) - base } ?? raw.count
                if writing { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[i..<next])) }
                i = next
                continue
            }
            guard i + 1 < raw.count else { throw syntaxError("bad escape in string") }
            let kind = raw[i + 1]
            i += 2
            switch kind {
            case 0x22, 0x5C, 0x2F: append(kind)
            case UInt8(ascii: "b"): append(0x08)
            case UInt8(ascii: "f"): append(0x0C)
            case UInt8(ascii: "n"): append(0x0A)
            case UInt8(ascii: "r"): append(0x0D)
            case UInt8(ascii: "t"): append(0x09)
            case UInt8(ascii: "u"):
                let unit = try hex4(i)
                i += 4
                if (0xD800...0xDBFF).contains(unit), i + 6 <= raw.count, raw[i] == 0x5C, raw[i + 1] == UInt8(ascii: "u"),
                   case let low = try hex4(i + 2), (0xDC00...0xDFFF).contains(low) {
                    i += 6
                    append(scalar: 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    append(scalar: unit)
                }
            default:
                throw syntaxError("bad escape in string")
            }
        }
    }
}

/// The powers of ten `JSONCursor` scales numbers by.
private final class PowersOfTen: Sendable {
    static let shared = PowersOfTen()
    /// 10^0 ... 10^8, for runs of up to eight digits.
    let integers: [UInt64] = (0...8).map { (0..<$0).reduce(1) { power, _ in power * 10 } }
    /// 10^0 ... 10^22, all exact Doubles.
    let doubles: [Double] = (0...22).map { pow(10.0, Double($0)) }
    #if arch(x86_64)
    /// 10^0 ... 10^27, each exact in a Float80 (multiplied up from 10, never rounded).
    let extended: [Float80] = (0...27).reduce(into: []) { powers, n in powers.append(n == 0 ? 1 : powers[n - 1] * 10) }
    #endif
}

/// JSON that does not parse: where and why.
public struct JSONSyntaxError: Error, CustomStringConvertible, Equatable {
    public let offset: Int
    public let message: String
    public init(offset: Int, message: String) { self.offset = offset; self.message = message }
    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

/// Checks that a body is one complete JSON document.
public enum JSONValidator {
    /// - Throws: `JSONSyntaxError` with the offset of the first problem.
    public static func validate(_ data: Data) throws {
        try data.withUnsafeBytes { buffer in
            var cursor = JSONCursor(buffer)
            try cursor.skipValue()
            guard cursor.atEnd() else { throw cursor.syntaxError("trailing data after the document") }
        }
    }
}
