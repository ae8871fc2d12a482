/// One `[[schedules]]` or `[[alerts]]` table of `warehouse.toml`, read strictly: an unknown key
/// is refused and every error names the file, the line and the key.
struct SettingsTable {
    let table: TOMLDocument.Table
    /// The settings file.
    let source: String
    /// `schedules`, `alerts`.
    let array: String

    func fail(_ key: String?, _ problem: String, _ fix: String) -> ConfigurationError {
        ConfigurationError(setting: "\(source) line \(key.flatMap { table.lines[$0] } ?? table.line): [[\(array)]]\(key.map { " \($0)" } ?? "")",
                           problem: problem, fix: fix)
    }

    /// - Parameter noun: what the table declares (`a schedule`), for the message.
    func rejectKeys(other known: Set<String>, noun: String) throws {
        if let unknown = table.values.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail(unknown, "is not a key of \(noun)", "use \(known.sorted().joined(separator: ", "))")
        }
    }

    /// A non-empty string, nil when the key is absent.
    func string(_ key: String) throws -> String? {
        guard let value = table.values[key] else { return nil }
        guard case .string(let text) = value, !text.isEmpty else { throw fail(key, "must be a non-empty string", "quote it") }
        return text
    }
}
