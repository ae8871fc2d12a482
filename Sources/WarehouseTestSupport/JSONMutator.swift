import Foundation

/// Seeded mutations of a JSON text, for fuzzing parsers with what real APIs and broken tools
/// send: a body cut off, a value of another type, numbers no integer holds, NaN and Infinity
/// spelt as strings or bare, nesting deeper than any parser's stack, a key given twice, bytes
/// that are not UTF-8. Mutations work on the text's tokens, so the rest of the body stays as
/// the source wrote it.
public struct JSONMutator {
    public enum Kind: String, CaseIterable, Sendable {
        case truncate, typeSwap, extremeNumber, notANumber, deepNesting, duplicateKey, notUTF8, byteFlip
    }

    /// Values that no `Int64` holds, or that trap a careless `Int64(double)`, or mean nothing.
    static let extremeNumbers = ["1e30", "9223372036854775807", "9223372036854775808", "1e19", "-1e19", "-1e308", "1.7976931348623157e308",
                                 "5e-324", "-0.0", "0", "-1", "1e999", "-1e999", "123456789012345678901234567890"]
    static let notANumbers = ["\"NaN\"", "\"nan\"", "\"Infinity\"", "\"-Infinity\"", "NaN", "Infinity", "-Infinity", "\"1e999\"", "\"12abc\"", "\"\""]
    static let otherTypes = ["null", "true", "false", "\"text\"", "{}", "[]", "{\"a\":1}", "[1,2]", "0", "\"0\""]

    private var random: SplitMix

    public init(seed: UInt64) { random = SplitMix(seed: seed) }

    /// The text with one to three mutations applied, and what they were.
    public mutating func mutate(_ text: Data) -> (body: Data, kinds: [Kind]) {
        var bytes = [UInt8](text)
        var kinds: [Kind] = []
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let kind = Kind.allCases.randomElement(using: &random)!
            bytes = apply(kind, to: bytes)
            kinds.append(kind)
        }
        return (Data(bytes), kinds)
    }

    /// One mutation.
    public mutating func apply(_ kind: Kind, to bytes: [UInt8]) -> [UInt8] {
        let tokens = Self.tokens(bytes)
        func replace(_ range: Range<Int>, with text: String) -> [UInt8] {
            Array(bytes[..<range.lowerBound]) + Array(text.utf8) + Array(bytes[range.upperBound...])
        }
        func pick(_ filter: (Token) -> Bool) -> Token? { tokens.filter(filter).randomElement(using: &random) }
        switch kind {
        case .truncate:
            guard bytes.count > 1 else { return [] }
            return Array(bytes[..<Int.random(in: 0..<bytes.count, using: &random)])
        case .typeSwap:
            guard let token = pick({ _ in true }) else { return bytes }
            return replace(token.range, with: Self.otherTypes.randomElement(using: &random)!)
        case .extremeNumber:
            guard let token = pick({ $0.kind == .number }) else { return bytes }
            return replace(token.range, with: Self.extremeNumbers.randomElement(using: &random)!)
        case .notANumber:
            guard let token = pick({ $0.kind == .number }) else { return bytes }
            return replace(token.range, with: Self.notANumbers.randomElement(using: &random)!)
        case .deepNesting:
            guard let token = pick({ $0.kind != .container }) else { return bytes }
            let depth = [64, 600, 5_000, 100_000].randomElement(using: &random)!
            let open = Bool.random(using: &random) ? "[" : "{\"a\":"
            let close = open == "[" ? "]" : "}"
            return replace(token.range, with: String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth))
        case .duplicateKey:
            // Give an object's first member again, first with another value: `{"id":"x","id":"y",...}`.
            guard let token = pick({ $0.kind == .objectStart }), let key = tokens.first(where: { $0.range.lowerBound > token.range.lowerBound && $0.kind == .string }) else { return bytes }
            let name = String(decoding: bytes[key.range], as: UTF8.self)
            let value = Self.otherTypes.randomElement(using: &random)!
            return Array(bytes[...token.range.lowerBound]) + Array("\(name):\(value),".utf8) + Array(bytes[(token.range.lowerBound + 1)...])
        case .notUTF8:
            guard let token = pick({ $0.kind == .string }), token.range.count >= 2 else { return bytes }
            let invalid: [[UInt8]] = [[0xFF], [0xC3], [0xE2, 0x82], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]]
            let at = token.range.lowerBound + 1
            return Array(bytes[..<at]) + invalid.randomElement(using: &random)! + Array(bytes[at...])
        case .byteFlip:
            var flipped = bytes
            for _ in 0..<Int.random(in: 1...4, using: &random) where !flipped.isEmpty {
                flipped[Int.random(in: 0..<flipped.count, using: &random)] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            }
            return flipped
        }
    }

    struct Token {
        enum Kind { case number, string, literal, container, objectStart }
        let kind: Kind
        let range: Range<Int>
    }

    /// Numbers, strings, literals and whole containers of a JSON text, by byte range. Tolerant:
    /// on text that is no longer JSON it returns what it recognised.
    static func tokens(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var opens: [Int] = []
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < bytes.count, bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
                let end = min(j + 1, bytes.count)
                tokens.append(Token(kind: .string, range: i..<end))
                i = end
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i + 1
                while j < bytes.count, "0123456789.eE+-".utf8.contains(bytes[j]) { j += 1 }
                tokens.append(Token(kind: .number, range: i..<j))
                i = j
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                var j = i + 1
                while j < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[j]) { j += 1 }
                tokens.append(Token(kind: .literal, range: i..<j))
                i = j
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                if byte == UInt8(ascii: "{") { tokens.append(Token(kind: .objectStart, range: i..<(i + 1))) }
                opens.append(i)
                i += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let start = opens.popLast() { tokens.append(Token(kind: .container, range: start..<(i + 1))) }
                i += 1
            default:
                i += 1
            }
        }
        return tokens
    }
}
