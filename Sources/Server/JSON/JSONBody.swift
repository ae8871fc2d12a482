import Warehouse

/// A JSON value as the API answers it, keys in the order they are written (so responses read
/// the same every time), encoded without an object tree (`JSONWriter`).
indirect enum JSONBody: Sendable, Equatable {
    case object([(String, JSONBody)])
    case array([JSONBody])
    case string(String)
    case number(Double)
    case integer(Int64)
    case bool(Bool)
    case null

    static func == (lhs: JSONBody, rhs: JSONBody) -> Bool { lhs.bytes == rhs.bytes }

    /// A SQLite value as JSON: INTEGER as a number, REAL as a number (null when not finite), TEXT as a string.
    init(_ value: SQLValue) {
        switch value {
        case .null: self = .null
        case .integer(let v): self = .integer(v)
        case .real(let v): self = v.isFinite ? .number(v) : .null
        case .text(let v): self = .string(v)
        }
    }

    /// A row of named values as an object, columns in the order given.
    init(row: [String: SQLValue], columns: [String]) {
        self = .object(columns.map { ($0, JSONBody(row[$0] ?? .null)) })
    }

    static func optional(_ text: String?) -> JSONBody { text.map(JSONBody.string) ?? .null }

    var bytes: [UInt8] {
        var writer = JSONWriter(capacity: 256)
        write(to: &writer)
        return writer.bytes
    }

    func write(to writer: inout JSONWriter) {
        switch self {
        case .object(let fields):
            writer.object { object in for (name, value) in fields { object.field(name) { value.write(to: &$0) } } }
        case .array(let items):
            writer.array { array in for item in items { item.write(to: &array) } }
        case .string(let text): writer.string(text)
        case .number(let value): writer.number(value)
        case .integer(let value): writer.number(value)
        case .bool(let value): writer.bool(value)
        case .null: writer.null()
        }
    }

    /// The value under a key of an object (tests and the pages read responses back).
    subscript(key: String) -> JSONBody? {
        if case .object(let fields) = self { return fields.first { $0.0 == key }?.1 }
        return nil
    }
}

extension JSONBody {
    var string: String? {
        switch self {
        case .string(let s): return s
        case .integer(let v): return String(v)
        case .number(let v): return String(v)
        default: return nil
        }
    }
    var double: Double? {
        switch self {
        case .number(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }
    var int: Int? {
        switch self {
        case .integer(let v): return Int(v)
        case .number(let v): return InputNumber.int64(v).map(Int.init)
        default: return nil
        }
    }
    var items: [JSONBody] {
        if case .array(let items) = self { return items }
        return []
    }
}
