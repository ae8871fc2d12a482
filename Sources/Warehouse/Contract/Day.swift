import Foundation

/// A UTC calendar day, written `YYYY-MM-DD`: raw folder names, partitions, mart dates.
public struct Day: Hashable, Comparable, Sendable, TextCodable {
    /// Days since 1970-01-01.
    public let ordinal: Int

    public init(ordinal: Int) { self.ordinal = ordinal }

    /// The UTC day containing a Unix time in seconds.
    public init(unixSeconds: Int64) {
        self.ordinal = Int((unixSeconds >= 0 ? unixSeconds : unixSeconds - 86_399) / 86_400)
    }

    /// The UTC day containing a date.
    /// The UTC day of a Unix time in milliseconds.
    public init(unixMilliseconds: Int64) {
        let seconds = unixMilliseconds / 1000
        self.init(unixSeconds: unixMilliseconds % 1000 < 0 ? seconds - 1 : seconds)
    }

    public init(_ date: Date) { self.init(unixSeconds: Int64(date.timeIntervalSince1970.rounded(.down))) }

    /// Parses `YYYY-MM-DD`; nil when malformed or not a real date.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        let ordinal = Day.daysFromCivil(year: y, month: m, day: d)
        guard Day(ordinal: ordinal).components == (y, m, d) else { return nil }
        self.ordinal = ordinal
    }

    /// Midnight UTC of this day, in Unix seconds.
    public var startUnixSeconds: Int64 { Int64(ordinal) * 86_400 }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    public var description: String {
        let (y, m, d) = components
        guard (0...9999).contains(y) else { return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)" }
        // Written digit by digit: dates are rendered per row and per file, where String(format:) showed in profiles.
        let zero = UInt8(ascii: "0"), dash = UInt8(ascii: "-")
        let bytes: [UInt8] = [zero + UInt8(y / 1000), zero + UInt8(y / 100 % 10), zero + UInt8(y / 10 % 10), zero + UInt8(y % 10), dash,
                              zero + UInt8(m / 10), zero + UInt8(m % 10), dash, zero + UInt8(d / 10), zero + UInt8(d % 10)]
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    /// (year, month, day) by Howard Hinnant's civil-from-days algorithm.
    var components: (Int, Int, Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
