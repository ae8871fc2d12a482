import Foundation

/// Where a run's bad news goes, declared in `warehouse.toml`:
///
/// ```toml
/// [[alerts]]
/// name = "team"
/// on = ["run_failed", "check_failed", "drift", "stale_source"]
/// url = "https://hooks.example.com/warehouse"   # a webhook: the JSON body is POSTed
/// dashboard = "http://127.0.0.1:8080"           # `warehouse serve`'s address: the body links the run page
/// retries = 3
///
/// [[alerts]]
/// on = ["check_warned"]
/// exec = "logger -t warehouse"                  # a command: the same JSON on its standard input
/// ```
public struct AlertTarget: Sendable, Equatable {
    /// What can be alerted on.
    public enum Event: String, Sendable, CaseIterable {
        /// An asset of the run failed (its build, or an error-level check).
        case runFailed = "run_failed"
        /// An error-level check failed.
        case checkFailed = "check_failed"
        /// A check warned.
        case checkWarned = "check_warned"
        /// Feature drift was measured (gold.feature_drift's no_drift check).
        case drift
        /// A source could not be fetched: its data is now older than its freshness.
        case staleSource = "stale_source"
    }

    public enum Delivery: Sendable, Equatable {
        case webhook(URL)
        case command(String)
    }

    public let name: String
    public let events: Set<Event>
    public let delivery: Delivery
    /// Further attempts after a failed delivery, with doubling delays.
    public let retries: Int
    /// The dashboard's base URL, for the run page link.
    public let dashboard: String?

    public init(name: String, events: Set<Event>, delivery: Delivery, retries: Int = 3, dashboard: String? = nil) {
        self.name = name
        self.events = events
        self.delivery = delivery
        self.retries = retries
        self.dashboard = dashboard
    }

    /// Reads the `[[alerts]]` tables of a settings file.
    /// - Throws: `ConfigurationError` naming the file, line and key.
    static func parse(_ tables: [TOMLDocument.Table], source: String) throws -> [AlertTarget] {
        try tables.enumerated().map { index, table in
            let reader = SettingsTable(table: table, source: source, array: "alerts")
            let fail = reader.fail, string = reader.string
            try reader.rejectKeys(other: ["name", "on", "url", "exec", "retries", "dashboard"], noun: "an alert")
            let names = Event.allCases.map(\.rawValue)
            guard case .array(let items)? = table.values["on"], !items.isEmpty else {
                throw fail("on", "an alert needs on = [EVENT, ...]", "use some of \(names.joined(separator: ", "))")
            }
            let events = try items.map { item -> Event in
                guard case .string(let text) = item, let event = Event(rawValue: text) else {
                    throw fail("on", "\(item) is not an event", "use some of \(names.joined(separator: ", "))")
                }
                return event
            }
            let delivery: Delivery
            switch (try string("url"), try string("exec")) {
            case (let url?, nil):
                guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                    throw fail("url", "'\(url)' is not an http(s) URL", "write e.g. url = \"https://hooks.example.com/warehouse\"")
                }
                delivery = .webhook(parsed)
            case (nil, let command?): delivery = .command(command)
            default: throw fail(nil, "an alert needs either url = (a webhook) or exec = (a command)", "give one of them")
            }
            var retries = 3
            if let value = table.values["retries"] {
                guard case .integer(let n) = value, (0...10).contains(n) else { throw fail("retries", "must be a whole number from 0 to 10", "write e.g. retries = 3") }
                retries = n
            }
            let name = try string("name") ?? "alert-\(index + 1)"
            return AlertTarget(name: name, events: Set(events), delivery: delivery, retries: retries, dashboard: try string("dashboard"))
        }
    }
}
