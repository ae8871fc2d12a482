import Foundation

/// Builds JSON bytes directly: the emulator and the API write large bodies, and building them
/// without an object tree keeps it fast. Numbers are written shortest-exact (`0.1`, not
/// `0.10000000000000001`), whole ones without a fraction.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{")); needsComma.append(false)
        body(&self)
        needsComma.removeLast(); bytes.append(UInt8(ascii: "}"))
    }

    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "[")); needsComma.append(false)
        body(&self)
        needsComma.removeLast(); bytes.append(UInt8(ascii: "]"))
    }

    /// A key inside an object, then its value written by `value`.
    public mutating func field(_ name: String, _ value: (inout JSONWriter) -> Void) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
        value(&self)
        needsComma[needsComma.count - 1] = true
    }

    public mutating func string(_ value: String) { separate(); appendQuoted(value) }

    public mutating func number(_ value: Double) {
        separate()
        if value.isFinite {
            if value == value.rounded(), abs(value) < 1e15 { bytes.append(contentsOf: String(Int64(value)).utf8) }
            else { bytes.append(contentsOf: value.description.utf8) }
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }

    public mutating func number(_ value: Int64) { separate(); bytes.append(contentsOf: String(value).utf8) }

    public mutating func optionalNumber(_ value: Double?) {
        if let value { number(value) } else { null() }
    }

    public mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8) }

    public mutating func bool(_ value: Bool) { separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    private mutating func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0..<0x20: bytes.append(contentsOf: Array(String(format: "\\u%04x", byte).utf8))
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

