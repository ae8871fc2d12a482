import Warehouse

/// A `YYYY-MM-DD` flag value (`--partition`, `--from`, `--to`, `--day`, `--as-of`).
enum DayArgument {
    /// - Throws: `ConfigurationError` naming the flag and the expected form.
    static func parse(_ text: String, flag: String) throws -> Day {
        guard let day = Day(parsing: text) else {
            throw ConfigurationError(setting: flag, problem: "'\(text)' is not a YYYY-MM-DD date", fix: "write the day like 2026-11-23")
        }
        return day
    }
}
