/// The text form of a check, as model headers and `checks/*.toml` write it:
/// `[NAME =] KIND(ARGUMENTS) [warn]`, for example
/// `not_null(coin_id, week)`, `top_n_rows = row_count(min=1, max=50)`,
/// `range(volume, min=0) warn`, `accepted_values(category, 'Large Cap', 'Mid Cap')`,
/// `relationship(coin_id, silver.coin_markets.coin_id)`, `freshness(date, days=2)`,
/// `ohlc(coin_id, date, volume=volume)`, `range(price, min=0, warn_if='>0', error_if='>5%')`.
/// A check without a name is named after its kind and columns (`not_null_coin_id_week`).
public enum CheckDeclaration {
    /// The kinds a declaration can name, for messages.
    public static let kinds = ["not_null", "unique", "range", "accepted_values", "row_count", "freshness", "relationship", "ohlc", "gaps"]

    /// Parses one declaration.
    /// - Throws: `CheckDeclarationError` saying what is wrong; the caller adds the file and line.
    public static func parse(_ text: String) throws -> AssetCheck {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var name: String?
        if let equals = rest.firstIndex(of: "="), let open = rest.firstIndex(of: "("), equals < open {
            name = rest[..<equals].trimmingCharacters(in: .whitespaces)
            rest = Substring(rest[rest.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            guard let name, isIdentifier(name) else { throw CheckDeclarationError("'\(name ?? "")' is not a check name (letters, digits and _)") }
        }
        guard let open = rest.firstIndex(of: "("), let close = rest.lastIndex(of: ")"), open < close else {
            throw CheckDeclarationError("'\(text)' is not KIND(ARGUMENTS)")
        }
        let kind = rest[..<open].trimmingCharacters(in: .whitespaces)
        let trailer = rest[rest.index(after: close)...].trimmingCharacters(in: .whitespaces)
        guard ["", "warn", "error"].contains(trailer) else { throw CheckDeclarationError("'\(trailer)' after the check: only warn or error may follow it") }
        let arguments = try Arguments(splitting: rest[rest.index(after: open)..<close])
        let built = try build(kind: kind, arguments)
        var warnIf: CheckThreshold? = .anyFailure
        var errorIf: CheckThreshold? = trailer == "warn" ? nil : .anyFailure
        if let text = arguments.named["warn_if"] { warnIf = try threshold(text, "warn_if") }
        if let text = arguments.named["error_if"] { errorIf = try threshold(text, "error_if") }
        try arguments.rejectUnused()
        return AssetCheck(name ?? built.defaultName, built.kind, warnIf: warnIf, errorIf: errorIf)
    }

    /// Parses a `;`-separated list (a model's `-- checks:` line); `;` inside quotes or parentheses is kept.
    public static func parseList(_ text: String) throws -> [AssetCheck] {
        try split(text, on: ";").filter { !$0.isEmpty }.map(parse)
    }

    /// Parses a `warn_if` / `error_if` value.
    public static func threshold(_ text: String, _ setting: String) throws -> CheckThreshold {
        guard let threshold = CheckThreshold(parsing: text) else {
            throw CheckDeclarationError("\(setting) '\(text)' is not a comparison", fix: "write e.g. \(setting) = \">0\", \">=10\" or \">5%\"")
        }
        return threshold
    }

    private static func build(kind: String, _ arguments: Arguments) throws -> (kind: AssetCheck.Kind, defaultName: String) {
        // Columns are every positional argument, except for the kinds that take values after their column.
        let columns = ["accepted_values", "relationship"].contains(kind) ? [] : try arguments.positional.map(arguments.column)
        func named(_ key: String) throws -> Double? {
            guard let text = arguments.take(key) else { return nil }
            guard let number = Double(text), number.isFinite else { throw CheckDeclarationError("\(key)=\(text) is not a number") }
            return number
        }
        func whole(_ key: String, _ value: Double?) throws -> Int? {
            guard let value else { return nil }
            guard value == value.rounded(), let number = Int(exactly: value), abs(number) <= 1_000_000_000_000 else {
                throw CheckDeclarationError("\(key)=\(value) is not a whole number of a sensible size", fix: "write a whole number, e.g. \(key)=1")
            }
            return number
        }
        func one(_ what: String) throws -> String {
            guard columns.count == 1 else { throw CheckDeclarationError("\(kind) takes one column, \(what)") }
            return columns[0]
        }
        switch kind {
        case "not_null", "unique":
            guard !columns.isEmpty else { throw CheckDeclarationError("\(kind) needs at least one column", fix: "write \(kind)(COLUMN, ...)") }
            return (kind == "not_null" ? .notNull(columns) : .unique(columns), ([kind] + columns).joined(separator: "_"))
        case "range":
            let column = try one("then min= and/or max=")
            let min = try named("min"), max = try named("max")
            guard min != nil || max != nil else { throw CheckDeclarationError("range needs min= or max=", fix: "write range(\(column), min=0)") }
            return (.range(column: column, min: min, max: max), "range_\(column)")
        case "row_count":
            guard columns.isEmpty else { throw CheckDeclarationError("row_count takes no column, only min= and max=") }
            let min = try named("min"), max = try named("max")
            return (.rowCount(min: try whole("min", min), max: try whole("max", max)), "row_count")
        case "freshness":
            let column = try one("then days=")
            guard let days = try whole("days", try named("days")), days >= 0, days <= 100_000 else {
                throw CheckDeclarationError("freshness needs days=N, a whole number of days", fix: "write freshness(\(column), days=1)")
            }
            return (.freshness(column: column, days: days), "freshness_\(column)")
        case "gaps":
            guard let column = columns.last else { throw CheckDeclarationError("gaps needs the date column, after any columns that group it", fix: "write gaps(ticker, date, days=4)") }
            guard let days = try whole("days", try named("days")), days >= 1, days <= 100_000 else {
                throw CheckDeclarationError("gaps needs days=N, the most days two consecutive dates may be apart", fix: "write gaps(\(columns.joined(separator: ", ")), days=4)")
            }
            return (.gaps(column: column, by: Array(columns.dropLast()), days: days), "gaps_\(column)")
        case "ohlc":
            guard !columns.isEmpty else { throw CheckDeclarationError("ohlc needs the key columns that name a failing row", fix: "write ohlc(coin_id, date, volume=volume)") }
            let volume = try arguments.take("volume").map(arguments.column)
            return (.ohlc(key: columns, volume: volume), "ohlc")
        case "accepted_values":
            guard let first = arguments.positional.first, let column = try? arguments.column(first) else {
                throw CheckDeclarationError("accepted_values needs a column, then the values", fix: "write accepted_values(COLUMN, 'a', 'b')")
            }
            let values = try arguments.positional.dropFirst().map(arguments.quoted)
            guard !values.isEmpty else { throw CheckDeclarationError("accepted_values needs at least one value", fix: "write accepted_values(\(column), 'a', 'b')") }
            return (.acceptedValues(column: column, values: values), "accepted_values_\(column)")
        case "relationship":
            let target = arguments.take("to") ?? (arguments.positional.count == 2 ? arguments.positional[1] : nil)
            let parts = target?.split(separator: ".").map(String.init) ?? []
            guard let first = arguments.positional.first, let column = try? arguments.column(first), arguments.positional.count <= 2,
                  parts.count == 3, parts.allSatisfy(isIdentifier) else {
                throw CheckDeclarationError("relationship needs a column and the layer.table.column it refers to", fix: "write relationship(coin_id, silver.coin_markets.coin_id)")
            }
            return (.relationship(column: column, table: "\(parts[0]).\(parts[1])", toColumn: parts[2]), "relationship_\(column)")
        default:
            throw CheckDeclarationError("'\(kind)' is not a kind of check", fix: "use one of \(kinds.joined(separator: ", ")), or write the failing-rows query as SQL")
        }
    }

    /// Whether a name is a plain SQL identifier (letters, digits and `_`, not starting with a digit).
    public static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Splits on `separator` outside quotes and parentheses, trimming each part.
    static func split(_ text: Substring, on separator: Character) -> [String] {
        var parts: [String] = [], current = "", depth = 0, quote: Character?
        for character in text {
            if let open = quote { if character == open { quote = nil } }
            else if character == "'" || character == "\"" { quote = character }
            else if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
            else if character == separator, depth == 0 { parts.append(current.trimmingCharacters(in: .whitespaces)); current = ""; continue }
            current.append(character)
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }

    /// Splits on `separator` outside quotes and parentheses, trimming each part.
    public static func split(_ text: String, on separator: Character) -> [String] { split(Substring(text), on: separator) }

    /// A check's arguments: positional ones in order, `key=value` ones by key.
    final class Arguments {
        let positional: [String]
        private(set) var named: [String: String] = [:]
        private var used: Set<String> = ["warn_if", "error_if"]

        init(splitting text: Substring) throws {
            var positional: [String] = []
            for part in CheckDeclaration.split(text, on: ",") where !part.isEmpty {
                if let equals = part.firstIndex(of: "="), CheckDeclaration.isIdentifier(part[..<equals].trimmingCharacters(in: .whitespaces)),
                   !part.hasPrefix("'") {
                    let key = part[..<equals].trimmingCharacters(in: .whitespaces)
                    guard named[key] == nil else { throw CheckDeclarationError("\(key)= is given twice") }
                    named[key] = Self.unquoted(part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces))
                } else {
                    guard named.isEmpty else { throw CheckDeclarationError("'\(part)' comes after a key=value argument", fix: "put columns and values before key=value arguments") }
                    positional.append(part)
                }
            }
            self.positional = positional
        }

        func take(_ key: String) -> String? {
            used.insert(key)
            return named[key]
        }

        func column(_ text: String) throws -> String {
            guard CheckDeclaration.isIdentifier(text) else { throw CheckDeclarationError("'\(text)' is not a column name") }
            return text
        }

        func quoted(_ text: String) throws -> String {
            guard text.count >= 2, text.first == "'", text.last == "'" else {
                throw CheckDeclarationError("value \(text) must be quoted", fix: "write it as '\(text)'")
            }
            return String(text.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        }

        func rejectUnused() throws {
            if let key = named.keys.sorted().first(where: { !used.contains($0) }) {
                throw CheckDeclarationError("\(key)= is not an argument of this check")
            }
        }

        private static func unquoted(_ text: String) -> String {
            guard text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first else { return text }
            return String(text.dropFirst().dropLast())
        }
    }
}

/// A check declaration that cannot be read; the file that holds it adds where.
public struct CheckDeclarationError: Error, Equatable {
    public let problem: String
    public let fix: String

    init(_ problem: String, fix: String = "see docs/models.md#checks for the kinds of check and their arguments") {
        self.problem = problem
        self.fix = fix
    }
}

extension AssetCheck.Kind {
    /// The kind as a declaration writes it (`range(price, min=0)`), for the docs and manifests.
    public var declaration: String {
        func number(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value) }
        switch self {
        case .notNull(let columns): return "not_null(\(columns.joined(separator: ", ")))"
        case .unique(let columns): return "unique(\(columns.joined(separator: ", ")))"
        case .range(let column, let min, let max):
            return "range(" + ([column] + [min.map { "min=\(number($0))" }, max.map { "max=\(number($0))" }].compactMap { $0 }).joined(separator: ", ") + ")"
        case .acceptedValues(let column, let values):
            return "accepted_values(" + ([column] + values.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }).joined(separator: ", ") + ")"
        case .rowCount(let min, let max):
            return "row_count(" + [min.map { "min=\($0)" }, max.map { "max=\($0)" }].compactMap { $0 }.joined(separator: ", ") + ")"
        case .freshness(let column, let days): return "freshness(\(column), days=\(days))"
        case .relationship(let column, let table, let toColumn): return "relationship(\(column), \(table).\(toColumn))"
        case .ohlc(let key, let volume): return "ohlc(" + (key + (volume.map { ["volume=\($0)"] } ?? [])).joined(separator: ", ") + ")"
        case .gaps(let column, let by, let days): return "gaps(" + (by + [column]).joined(separator: ", ") + ", days=\(days))"
        case .sql(let query): return query
        case .quarantined(let rule): return "quarantined(\(rule))"
        }
    }
}
