import Foundation
import Warehouse

/// A model's `.sql` file as written: the header of `-- key: value` lines at its top, which
/// declares the asset, and the SQL under it, each with the line it is on so every error can
/// name it.
///
/// Header lines before the SQL are either `-- key: value` with a known key, a continuation
/// (`--` then three or more spaces, appended to the key above), or prose. A line that looks
/// like a key but is not one is an error, so a misspelt `-- upstream:` is never ignored.
struct ModelFile {
    /// One header value and the line it starts on.
    struct Field {
        let key: String
        var value: String
        let line: Int
    }

    static let keys = ["asset", "description", "upstreams", "tags", "primary_key", "indexes", "checks", "check", "columns", "parameters", "exports"]
    /// Keys that may appear on more than one line (their values add up).
    static let repeatable: Set<String> = ["checks", "check"]

    /// As the user knows it: `sql/NAME.sql` for a built-in, `models/...` under the root.
    let path: String
    let text: String
    let fields: [Field]
    /// The file's lines, for finding where a name appears.
    let lines: [Substring]

    /// - Throws: `DeclarationError` for an unknown or repeated key.
    init(path: String, text: String) throws {
        self.path = path
        self.text = text
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var fields: [Field] = []
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            guard line.hasPrefix("--") else { break }
            let body = line.dropFirst(2)
            if raw.hasPrefix("--   "), !fields.isEmpty {
                fields[fields.count - 1].value += " " + body.trimmingCharacters(in: .whitespaces)
                continue
            }
            let content = body.trimmingCharacters(in: .whitespaces)
            guard let colon = content.firstIndex(of: ":") else { continue }
            let key = String(content[..<colon])
            guard !key.isEmpty, key.allSatisfy({ $0.isLowercase || $0 == "_" }) else {
                // Prose, unless it is a key written another way (`Checks:`, `primary key:`, `check NAME:`).
                let spelled = key.lowercased().replacingOccurrences(of: " ", with: "_")
                let first = String(key.lowercased().split(separator: " ").first ?? "")
                if let meant = [spelled, first].first(where: Self.keys.contains) {
                    throw DeclarationError(file: path, line: index + 1, problem: "'\(key):' looks like the header key '\(meant):' but is not written as one",
                                           fix: meant == "check" ? "write '-- check: NAME = SELECT ...'" : "write it '-- \(meant): ...' (lowercase, _ for spaces)")
                }
                continue
            }
            let value = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard Self.keys.contains(key) else {
                let close = Self.keys.min { EditDistance.between($0, key) < EditDistance.between($1, key) }!
                throw DeclarationError(file: path, line: index + 1, problem: "'\(key):' is not a header key",
                                       fix: "did you mean '\(close):'? The keys are \(Self.keys.joined(separator: ", "))")
            }
            if !Self.repeatable.contains(key), let first = fields.first(where: { $0.key == key }) {
                throw DeclarationError(file: path, line: index + 1, problem: "'\(key):' is declared twice (first on line \(first.line))",
                                       fix: "keep one; a long value continues on lines that start with '--' and three spaces")
            }
            fields.append(Field(key: key, value: value, line: index + 1))
        }
        self.fields = fields
    }

    /// Whether the file declares an asset at all (the SQL of a Swift-built mart does not).
    var declaresAsset: Bool { fields.contains { $0.key == "asset" } }

    func field(_ key: String) -> Field? { fields.first { $0.key == key } }

    func all(_ key: String) -> [Field] { fields.filter { $0.key == key } }

    /// The first line of the SQL under the header that mentions `word` (case-insensitive, as a
    /// whole word), else the first line of the SQL.
    func line(mentioning word: String, from start: Int = 1) -> Int {
        let needle = word.lowercased()
        for (index, line) in lines.enumerated() where index + 1 >= start && !line.trimmingCharacters(in: .whitespaces).hasPrefix("--") {
            let text = line.lowercased()
            var range = text.startIndex..<text.endIndex
            while let found = text.range(of: needle, range: range) {
                let before = found.lowerBound == text.startIndex ? " " : text[text.index(before: found.lowerBound)]
                let after = found.upperBound == text.endIndex ? " " : text[found.upperBound]
                if !(before.isLetter || before.isNumber || before == "_"), !(after.isLetter || after.isNumber || after == "_") { return index + 1 }
                range = found.upperBound..<text.endIndex
            }
        }
        return firstSQLLine
    }

    /// The line the SQL starts on.
    var firstSQLLine: Int {
        lines.firstIndex { let t = $0.trimmingCharacters(in: .whitespaces); return !t.isEmpty && !t.hasPrefix("--") }.map { $0 + 1 } ?? 1
    }

    /// The SQL statements (comments dropped), each with the line it starts on.
    var statements: [(sql: String, line: Int)] { MartSQL.split(text) }
}
