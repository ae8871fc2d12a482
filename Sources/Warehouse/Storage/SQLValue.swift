/// A value read from or bound to SQLite.
public enum SQLValue: Equatable, Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// The value as a Double when it is numeric.
    public var double: Double? {
        switch self {
        case .integer(let v): return Double(v)
        case .real(let v): return v
        default: return nil
        }
    }

    /// The value as an Int when it is an integer (or a REAL with no fractional part that fits).
    public var int: Int? {
        if case .integer(let v) = self { return Int(v) }
        if case .real(let v) = self, v.rounded() == v, let whole = InputNumber.int64(v) { return Int(whole) }
        return nil
    }

    /// The value as a String when it is text.
    public var string: String? {
        if case .text(let v) = self { return v }
        return nil
    }

    /// A plain rendering, as sqlite3's list mode would print it.
    public var rendered: String {
        switch self {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return v
        }
    }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension Optional where Wrapped == Double {
    /// NULL for nil, REAL otherwise.
    public var sqlValue: SQLValue { map(SQLValue.real) ?? .null }
}

extension Optional where Wrapped == String {
    /// NULL for nil, TEXT otherwise.
    public var sqlValue: SQLValue { map(SQLValue.text) ?? .null }
}
