import Foundation

/// Text made safe for HTML, and the small formatting helpers the pages share.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A path segment or query value, percent-encoded.
    static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    /// `1,234,567` or `1.23` (prices keep their precision: up to 6 significant decimals for small ones).
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        if abs(value) >= 1000 || value == value.rounded() { return grouped(value.rounded()) }
        let digits = abs(value) >= 1 ? 2 : 6
        return String(format: "%.\(digits)f", value)
    }

    static func grouped(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.maximumFractionDigits = 0
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }

    /// `1.2 M`, `3.4 B`: large money amounts for tables.
    static func compact(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        let units: [(Double, String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]
        for (size, unit) in units where abs(value) >= size { return String(format: "%.2f %@", value / size, unit) }
        return number(value)
    }

    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%+.2f%%", value)
    }

    static func bytes(_ value: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var size = Double(value), unit = 0
        while size >= 1000, unit < units.count - 1 { size /= 1000; unit += 1 }
        return unit == 0 ? "\(value) B" : String(format: "%.1f %@", size, units[unit])
    }

    /// A status word as a coloured badge.
    static func badge(_ status: String) -> String {
        let kind: String
        switch status {
        case "success", "ok", "pass", "complete", "fresh", "up to date": kind = "good"
        case "warn", "degraded", "running", "starting", "unchecked", "pending", "stale", "skipped": kind = "warn"
        case "failed", "error", "failed_checks", "blocked", "abandoned": kind = "bad"
        default: kind = "neutral"
        }
        return "<span class=\"badge \(kind)\">\(escape(status))</span>"
    }
}
