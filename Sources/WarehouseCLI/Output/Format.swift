import Foundation

/// Number and size formatting for people.
enum Format {
    static func count(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        return formatter.string(from: NSNumber(value: value)) ?? "\(value)"
    }

    static func bytes(_ value: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var size = Double(value), unit = 0
        while size >= 1000, unit < units.count - 1 { size /= 1000; unit += 1 }
        return unit == 0 ? "\(value) B" : String(format: "%.1f %@", size, units[unit])
    }

    static func seconds(_ value: Double) -> String { String(format: "%.1fs", value) }

    static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Pretty JSON with sorted keys, for --json output.
    static func json(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
