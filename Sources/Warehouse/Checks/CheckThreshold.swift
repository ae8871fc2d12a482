/// When a check's failing rows make it warn or fail, as dbt's `warn_if` / `error_if` say it: a
/// comparison with a count (`">0"`, `">=10"`, `"!=0"`) or with a share of the rows (`">5%"`).
public struct CheckThreshold: Sendable, Equatable, CustomStringConvertible {
    public enum Comparison: String, Sendable, CaseIterable {
        // Two-character operators first, so parsing matches `>=` before `>`.
        case atLeast = ">=", atMost = "<=", notEqual = "!=", equalTwice = "==", greater = ">", less = "<", equal = "="
    }

    public let comparison: Comparison
    public let value: Double
    /// Whether `value` is a percentage of the rows checked rather than a count.
    public let isPercent: Bool

    public init(_ comparison: Comparison, _ value: Double, percent: Bool = false) {
        self.comparison = comparison
        self.value = value
        self.isPercent = percent
    }

    /// Any failing row.
    public static let anyFailure = CheckThreshold(.greater, 0)

    /// Parses `">0"`, `">= 10"`, `"!=0"`, `">5%"`; nil for anything else.
    public init?(parsing text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard let comparison = Comparison.allCases.first(where: { rest.hasPrefix($0.rawValue) }) else { return nil }
        rest = rest.dropFirst(comparison.rawValue.count)
        var body = rest.trimmingCharacters(in: .whitespaces)
        let percent = body.hasSuffix("%")
        if percent { body = String(body.dropLast()).trimmingCharacters(in: .whitespaces) }
        guard let value = Double(body), value.isFinite, value >= 0, !percent || value <= 100 else { return nil }
        self.init(comparison, value, percent: percent)
    }

    /// Whether `failing` rows out of `total` meet the condition.
    public func isMet(failing: Int, total: Int) -> Bool {
        let measured = isPercent ? (total > 0 ? Double(failing) / Double(total) * 100 : (failing > 0 ? 100 : 0)) : Double(failing)
        switch comparison {
        case .greater: return measured > value
        case .atLeast: return measured >= value
        case .less: return measured < value
        case .atMost: return measured <= value
        case .equal, .equalTwice: return measured == value
        case .notEqual: return measured != value
        }
    }

    public var description: String {
        let number = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        return "\(comparison.rawValue)\(number)\(isPercent ? "%" : "")"
    }
}
