import Foundation

/// A job `warehouse schedule run` starts on time: a selection, when (cron, in a time zone), and
/// what to do when the root is busy. Declared in `warehouse.toml`:
///
/// ```toml
/// [[schedules]]
/// name = "six_hourly"
/// cron = "0 */6 * * *"
/// select = ["tag:crypto+"]
/// timezone = "UTC"        # an IANA name; UTC by default
/// jitter = "30s"          # a random delay up to this, so many roots do not hit an API at once
/// overlap = "queue"       # or "skip": when another run holds the root, wait for it or let this one go
/// ```
public struct Schedule: Sendable, Equatable {
    public enum Overlap: String, Sendable {
        case queue, skip
    }

    public let name: String
    public let cron: CronExpression
    public let select: [String]
    public let timeZone: TimeZone
    public let jitterSeconds: Int
    public let overlap: Overlap
    public let refresh: Bool

    public init(name: String, cron: CronExpression, select: [String], timeZone: TimeZone = TimeZone(identifier: "UTC")!,
                jitterSeconds: Int = 0, overlap: Overlap = .queue, refresh: Bool = false) {
        self.name = name
        self.cron = cron
        self.select = select
        self.timeZone = timeZone
        self.jitterSeconds = jitterSeconds
        self.overlap = overlap
        self.refresh = refresh
    }

    /// The time zone's name as people write it (`UTC`, `Europe/Berlin`).
    public var zoneName: String { ["GMT", "UTC"].contains(timeZone.identifier) ? "UTC" : timeZone.identifier }

    /// The jobs a root has when its `warehouse.toml` declares none: the crypto marts every six
    /// hours, the stock features daily at 02:00 UTC.
    public static let defaults = [
        Schedule(name: "six_hourly", cron: try! CronExpression(parsing: "0 */6 * * *"), select: ["tag:crypto+"]),
        Schedule(name: "daily", cron: try! CronExpression(parsing: "0 2 * * *"), select: ["tag:stocks+"]),
    ]

    /// Reads the `[[schedules]]` tables of a settings file.
    /// - Throws: `ConfigurationError` naming the file, line and key.
    static func parse(_ tables: [TOMLDocument.Table], source: String) throws -> [Schedule] {
        var names = Set<String>()
        return try tables.map { table in
            let reader = SettingsTable(table: table, source: source, array: "schedules")
            let fail = reader.fail, string = reader.string
            try reader.rejectKeys(other: ["name", "cron", "select", "timezone", "jitter", "overlap", "refresh"], noun: "a schedule")
            guard let name = try string("name"), CheckDeclaration.isIdentifier(name) else {
                throw fail("name", "a schedule needs a name of letters, digits and _", "add name = \"six_hourly\"")
            }
            guard names.insert(name).inserted else { throw fail("name", "\(name) is declared twice", "give each schedule its own name") }
            guard let cronText = try string("cron") else { throw fail(nil, "schedule \(name) has no cron", "add cron = \"0 */6 * * *\"") }
            let cron: CronExpression
            do { cron = try CronExpression(parsing: cronText) } catch let error as CronError {
                throw fail("cron", "\(error)", "write 5 fields, e.g. \"0 */6 * * *\" (minute hour day month weekday)")
            }
            guard case .array(let items)? = table.values["select"], !items.isEmpty,
                  case let select = items.compactMap({ if case .string(let s) = $0, !s.isEmpty { return s } else { return nil } }), select.count == items.count else {
                throw fail("select", "schedule \(name) needs select = [\"SELECTION\", ...]", "write e.g. select = [\"tag:crypto+\"]")
            }
            var zone = TimeZone(identifier: "UTC")!
            if let identifier = try string("timezone") {
                guard let named = TimeZone(identifier: identifier) else { throw fail("timezone", "'\(identifier)' is not a time zone", "use an IANA name such as Europe/Berlin or UTC") }
                zone = named
            }
            var jitter = 0
            if let text = try string("jitter"), !["0", "0s"].contains(text) {
                guard let seconds = WarehouseSettings.duration(text) else { throw fail("jitter", "'\(text)' is not a duration", "write e.g. jitter = \"30s\"") }
                jitter = seconds
            }
            var overlap = Overlap.queue
            if let text = try string("overlap") {
                guard let value = Overlap(rawValue: text) else { throw fail("overlap", "'\(text)' is neither queue nor skip", "write overlap = \"queue\" or \"skip\"") }
                overlap = value
            }
            var refresh = false
            if let value = table.values["refresh"] {
                guard case .bool(let flag) = value else { throw fail("refresh", "must be true or false", "write refresh = true") }
                refresh = flag
            }
            return Schedule(name: name, cron: cron, select: select, timeZone: zone, jitterSeconds: jitter, overlap: overlap, refresh: refresh)
        }
    }
}
