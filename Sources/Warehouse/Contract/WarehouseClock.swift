import Foundation

/// The time a run believes it is. Injected so tests and the emulator agree on "today":
/// `WAREHOUSE_NOW` (ISO 8601, e.g. `2026-11-23T12:00:00Z`) pins it; otherwise the system clock.
public struct WarehouseClock: Sendable {
    private let fixed: Date?

    public init(fixed: Date? = nil) { self.fixed = fixed }

    /// Reads `WAREHOUSE_NOW` from the environment.
    /// - Throws: `ConfigurationError` when it is set but not an ISO 8601 time.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> WarehouseClock {
        guard let text = environment["WAREHOUSE_NOW"], !text.isEmpty else { return WarehouseClock() }
        guard let date = ISO8601.parse(text) else {
            throw ConfigurationError(setting: "WAREHOUSE_NOW", problem: "'\(text)' is not an ISO 8601 UTC time", fix: "use a value like 2026-11-23T12:00:00Z, or unset it to use the system clock")
        }
        return WarehouseClock(fixed: date)
    }

    public var now: Date { fixed ?? Date() }
    public var today: Day { Day(now) }
    public var nowUnixSeconds: Int64 { Int64(now.timeIntervalSince1970.rounded(.down)) }
}

/// ISO 8601 UTC timestamps as the contract writes them (`2026-11-23T12:00:00Z`).
public enum ISO8601 {
    /// - Parameter milliseconds: add `.SSS` (reception times of ticker polls need it).
    public static func format(_ date: Date, milliseconds: Bool = false) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let day = Day(unixSeconds: seconds)
        let rest = seconds - day.startUnixSeconds
        let base = String(format: "%@T%02lld:%02lld:%02lld", day.description, rest / 3600, (rest % 3600) / 60, rest % 60)
        guard milliseconds else { return base + "Z" }
        let millis = min(999, Int((date.timeIntervalSince1970 - Double(seconds)) * 1000))
        return base + String(format: ".%03dZ", millis)
    }

    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
