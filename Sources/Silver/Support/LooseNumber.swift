import Foundation

/// Reads a JSON value decoded by JSONSerialization as a number when it is one (or a numeric
/// string, as some APIs send); nil for null, missing or anything else.
enum LooseNumber {
    static func double(_ value: Any?) -> Double? {
        switch value {
        case let number as NSNumber:
            if type(of: number) != type(of: NSNumber(value: 1.5)), type(of: number) == type(of: NSNumber(value: true)) { return nil }
            let d = number.doubleValue
            return d.isFinite ? d : nil
        case let text as String:
            return Double(text.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite ? $0 : nil }
        default:
            return nil
        }
    }

    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }
}
