import Foundation

/// A standard 5-field cron expression: minute, hour, day of month, month, day of week, each
/// `*`, a value, a range `a-b`, a step `*/n` or `a-b/n`, or a list of those; months and days
/// may be named (`jan`, `mon-fri`); 0 and 7 are Sunday. As Vixie cron, when both day fields
/// are restricted a day matches either. `@hourly`, `@daily`, `@weekly`, `@monthly` and
/// `@yearly` stand for their expressions. Fire times are computed in a time zone (UTC by
/// default); a local time a DST change skips does not fire, one it repeats fires once.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    public let minutes: Set<Int>, hours: Set<Int>, daysOfMonth: Set<Int>, months: Set<Int>, daysOfWeek: Set<Int>
    /// Whether a day field names days (`*` does not): both restricted, a day matches either.
    public let dayOfMonthRestricted: Bool, dayOfWeekRestricted: Bool
    public let description: String
    /// The five fields, macros expanded, as cron reads them.
    public let fields: String

    static let macros = ["@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
                         "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *"]
    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// - Throws: `CronError` naming the field and what is wrong with it.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expanded = Self.macros[trimmed.lowercased()] ?? trimmed
        let fields = expanded.split(whereSeparator: \.isWhitespace).map { String($0).lowercased() }
        guard fields.count == 5 else { throw CronError(expression: text, problem: "has \(fields.count) fields; cron has 5: minute hour day-of-month month day-of-week") }
        description = trimmed
        self.fields = fields.joined(separator: " ")
        minutes = try Self.field(fields[0], "minute", 0...59, names: [], text)
        hours = try Self.field(fields[1], "hour", 0...23, names: [], text)
        daysOfMonth = try Self.field(fields[2], "day of month", 1...31, names: [], text)
        months = try Self.field(fields[3], "month", 1...12, names: Self.monthNames, text)
        // 7 is Sunday too.
        daysOfWeek = Set(try Self.field(fields[4], "day of week", 0...7, names: Self.dayNames, text).map { $0 % 7 })
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
    }

    private static func field(_ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String], _ expression: String) throws -> Set<Int> {
        func fail(_ problem: String) -> CronError { CronError(expression: expression, problem: "\(name) '\(text)': \(problem)") }
        func value(_ token: Substring) throws -> Int {
            if let index = names.firstIndex(of: String(token)) { return index + (range.lowerBound == 1 ? 1 : 0) }
            guard let number = Int(token) else { throw fail("'\(token)' is not a number\(names.isEmpty ? "" : " or a name")") }
            guard range.contains(number) else { throw fail("\(number) is outside \(range.lowerBound)-\(range.upperBound)") }
            return number
        }
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.isEmpty else { throw fail("an empty list item") }
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw fail("more than one /") }
            var step = 1
            if pieces.count == 2 {
                guard let n = Int(pieces[1]), n > 0 else { throw fail("step '\(pieces[1])' is not a positive number") }
                step = n
            }
            let span = pieces[0]
            let bounds: ClosedRange<Int>
            if span == "*" {
                bounds = range
            } else if let dash = span.firstIndex(of: "-") {
                let low = try value(span[..<dash]), high = try value(span[span.index(after: dash)...])
                guard low <= high else { throw fail("range \(low)-\(high) runs backwards") }
                bounds = low...high
            } else {
                let single = try value(span)
                bounds = single...(pieces.count == 2 ? range.upperBound : single)
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }

    /// Whether a local day matches the day fields.
    func matchesDay(dayOfMonth: Int, month: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        let dom = daysOfMonth.contains(dayOfMonth), dow = daysOfWeek.contains(weekday)
        if dayOfMonthRestricted && dayOfWeekRestricted { return dom || dow }
        return dom && dow
    }

    /// The first fire time strictly after `date`, in `zone`; nil when none falls in the next 5 years
    /// (such as February 30th).
    public func next(after date: Date, in zone: TimeZone = TimeZone(identifier: "UTC")!) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = date.addingTimeInterval(60 - date.timeIntervalSince1970.truncatingRemainder(dividingBy: 60))
        var day = calendar.startOfDay(for: start)
        let sortedHours = hours.sorted(), sortedMinutes = minutes.sorted()
        for _ in 0..<(366 * 5) {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if matchesDay(dayOfMonth: parts.day!, month: parts.month!, weekday: parts.weekday! - 1) {
                for hour in sortedHours {
                    for minute in sortedMinutes {
                        var wanted = DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: hour, minute: minute)
                        wanted.timeZone = zone
                        guard let candidate = calendar.date(from: wanted) else { continue }
                        // A local time the clocks skipped comes back as another time: it does not fire.
                        let back = calendar.dateComponents([.hour, .minute, .day], from: candidate)
                        guard back.hour == hour, back.minute == minute, back.day == parts.day else { continue }
                        if candidate >= start { return candidate }
                    }
                }
            }
            guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = calendar.startOfDay(for: following)
        }
        return nil
    }
}

/// A cron expression that cannot be read.
public struct CronError: Error, Equatable, CustomStringConvertible {
    public let expression: String
    public let problem: String
    public var description: String { "cron '\(expression)' \(problem)" }
}
