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
        guard milliseconds else { return format(seconds: Int64(date.timeIntervalSince1970.rounded(.down))) + "Z" }
        // To the nearest millisecond: a Date made from whole milliseconds (t / 1000) is not
        // exact in binary, and truncating would print 12:00:00.342 for .343.
        return format(unixMilliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    /// `2026-11-23T12:00:00.343Z` from Unix milliseconds, exactly.
    public static func format(unixMilliseconds millis: Int64) -> String {
        let rest = (millis % 1000 + 1000) % 1000  // before 1970 too
        return format(seconds: (millis - rest) / 1000) + String(format: ".%03lldZ", rest)
    }

    /// `YYYY-MM-DDTHH:MM:SS` of Unix seconds.
    private static func format(seconds: Int64) -> String {
        let day = Day(unixSeconds: seconds)
        let rest = seconds - day.startUnixSeconds
        return String(format: "%@T%02lld:%02lld:%02lld", day.description, rest / 3600, (rest % 3600) / 60, rest % 60)
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fff]` followed by `Z` or an offset (`+05:30`, `-0800`).
    /// Hand-written: it runs once per raw file while planning, where Foundation's
    /// ISO8601DateFormatter cost most of a no-op run.
    public static func parse(_ text: String) -> Date? {
        guard let (seconds, nanoseconds) = split(text) else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9)
    }

    /// The Unix time in whole milliseconds (sub-millisecond digits dropped, exactly: no
    /// floating-point rounding), e.g. for exchange timestamps with microseconds.
    public static func unixMilliseconds(_ text: String) -> Int64? {
        guard let (seconds, nanoseconds) = split(text) else { return nil }
        return Int64(seconds) * 1000 + Int64(nanoseconds / 1_000_000)
    }

    /// Unix seconds and the nanoseconds of the fraction (digits beyond the ninth ignored).
    private static func split(_ text: String) -> (Int, Int)? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let day = Day(parsing: String(decoding: bytes[0..<10], as: UTF8.self)),
              let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2),
              hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19
        var nanoseconds = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            var scale = 100_000_000
            while index < bytes.count, let digit = digit(bytes[index]) {
                nanoseconds += digit * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            let colon = index + 3 < bytes.count && bytes[index + 3] == UInt8(ascii: ":")
            guard bytes.count == index + (colon ? 6 : 5), let hours = number(bytes, index + 1, 2),
                  let minutes = number(bytes, index + (colon ? 4 : 3), 2) else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        default:
            return nil
        }
        return (Int(day.startUnixSeconds) + hour * 3600 + minute * 60 + second - offset, nanoseconds)
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard let digit = digit(byte) else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}

