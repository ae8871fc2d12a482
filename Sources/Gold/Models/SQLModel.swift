import Foundation
import Warehouse

/// A gold asset declared by a SQL file (a model): built-in ones in `sql/`, a user's in
/// `ROOT/models/`. The header says what an `AssetSpec` says in Swift; the SQL under it is
/// either a query alone (the table takes its columns, `primary_key` and `indexes` from the
/// header) or the whole rebuild, `CREATE TABLE {{table}}`, fill and `CREATE INDEX` statements,
/// where the statements declare the layout.
struct SQLModel {
    let file: ModelFile
    let key: AssetKey
    let summary: String
    let upstreams: [AssetKey]
    let tags: Set<String>
    /// Placeholder -> the value put in its place (`top_n` -> `50`, from `gold.mart_top_n`).
    let parameters: [String: String]
    let primaryKey: [String]
    /// Each index as its column terms (`["week"]`, `["coin_id", "close DESC"]`).
    let indexes: [[String]]
    /// Each check with the line that declares it.
    let checks: [(check: AssetCheck, line: Int)]
    let columnDescriptions: [String: String]
    let exports: [String]
    /// The SQL statements with parameters filled (`{{table}}` left for the build), each with its line.
    let statements: [(sql: String, line: Int)]

    /// Whether the SQL is a query alone, laid out by the header.
    var isQuery: Bool { statements.count == 1 && Self.isQuery(statements[0].sql) }

    /// Declared upstreams and columns are checked against the graph later (`ModelValidator`).
    /// - Throws: `DeclarationError` naming the line of a header that cannot be used.
    init(file: ModelFile, settings: WarehouseSettings) throws {
        self.file = file
        guard let asset = file.field("asset") else {
            throw DeclarationError(file: file.path, line: 1, problem: "has no '-- asset: gold.NAME' header", fix: "start the file with '-- asset: gold.\(Self.stem(file.path))'")
        }
        guard let key = AssetKey(parsing: asset.value), key.layer == .gold, CheckDeclaration.isIdentifier(key.name) else {
            throw DeclarationError(file: file.path, line: asset.line, problem: "'\(asset.value)' is not a gold asset name",
                                   fix: "write gold.NAME (letters, digits and _): a model is a gold table")
        }
        self.key = key
        let values = try Self.parameters(file, settings: settings)
        parameters = values
        let fill = { (text: String) in Self.fill(text, values) }
        summary = fill(file.field("description")?.value ?? "")
        upstreams = try Self.list(file.field("upstreams")).map { name in
            guard let upstream = AssetKey(parsing: name) else {
                throw DeclarationError(file: file.path, line: file.field("upstreams")!.line, problem: "'\(name)' is not an asset name",
                                       fix: "write layer.name, e.g. silver.coin_prices")
            }
            return upstream
        }
        tags = Set(Self.list(file.field("tags")))
        exports = Self.list(file.field("exports"))
        for export in exports where !(export.hasSuffix(".parquet") && RawKey.isValid(String(export.dropLast(8)))) {
            throw DeclarationError(file: file.path, line: file.field("exports")!.line, problem: "'\(export)' is not a Parquet file name",
                                   fix: "write NAME.parquet (letters, digits and _-.)")
        }
        primaryKey = Self.list(file.field("primary_key"))
        indexes = try Self.indexes(file.field("indexes"), file: file.path)
        var checks: [(AssetCheck, Int)] = []
        for field in file.all("checks") {
            do { checks += try CheckDeclaration.parseList(fill(field.value)).map { ($0, field.line) } } catch let error as CheckDeclarationError {
                throw DeclarationError(file: file.path, line: field.line, problem: error.problem, fix: error.fix)
            }
        }
        for field in file.all("check") {
            // `-- check: NAME = SELECT the failing rows ...`.
            let parts = field.value.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, CheckDeclaration.isIdentifier(parts[0]), Self.isQuery(parts[1]) else {
                throw DeclarationError(file: file.path, line: field.line, problem: "a SQL check is written 'check: NAME = SELECT ...' (the failing rows)",
                                       fix: "name the check and give the query that selects the failing rows; {{table}} is this model's table")
            }
            checks.append((AssetCheck(parts[0], .sql(fill(parts[1]))), field.line))
        }
        if let repeated = Dictionary(grouping: checks, by: { $0.0.name }).first(where: { $0.value.count > 1 }) {
            throw DeclarationError(file: file.path, line: repeated.value[1].1, problem: "two checks are named \(repeated.key)", fix: "name one of them: NAME = KIND(...)")
        }
        self.checks = checks
        var descriptions: [String: String] = [:]
        if let field = file.field("columns") {
            for entry in field.value.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
                let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, CheckDeclaration.isIdentifier(parts[0]) else {
                    throw DeclarationError(file: file.path, line: field.line, problem: "'\(entry)' is not 'column = description'", fix: "separate columns with ';', e.g. week = ISO week start; close = last close")
                }
                descriptions[parts[0]] = fill(parts[1])
            }
        }
        columnDescriptions = descriptions
        statements = file.statements.map { (fill($0.sql), $0.line) }
        guard !statements.isEmpty else {
            throw DeclarationError(file: file.path, line: file.firstSQLLine, problem: "has a header but no SQL", fix: "write the query under the header")
        }
        for statement in statements {
            if let placeholder = Self.placeholders(in: statement.sql).first(where: { $0 != "table" }) {
                throw DeclarationError(file: file.path, line: file.line(mentioning: "{{\(placeholder)}}", from: statement.line).clamped(statement.line),
                                       problem: "{{\(placeholder)}} is not a parameter of this model",
                                       fix: "declare it, e.g. '-- parameters: \(placeholder) = gold.mart_top_n' (a setting) or '\(placeholder) = 10'")
            }
        }
        if isQuery {
            return
        }
        guard statements.contains(where: { $0.sql.uppercased().hasPrefix("CREATE TABLE {{TABLE}}") }) else {
            throw DeclarationError(file: file.path, line: statements[0].line, problem: "the SQL is neither one query nor a rebuild that starts with CREATE TABLE {{table}}",
                                   fix: "write a single SELECT (the header lays out the table), or CREATE TABLE {{table}} (...), INSERT INTO {{table}} ... and CREATE INDEX statements")
        }
        for key in ["primary_key", "indexes"] {
            if let field = file.field(key) {
                throw DeclarationError(file: file.path, line: field.line, problem: "'\(key):' and a CREATE TABLE statement both lay out the table",
                                       fix: "declare the layout once: in CREATE TABLE and CREATE INDEX, or in the header over a query alone")
            }
        }
    }

    /// The version in the asset's fingerprint: what builds the table (statements, layout,
    /// parameter values), not its description or checks, so editing prose rebuilds nothing.
    var version: String {
        let layout = "pk=\(primaryKey.joined(separator: ","));idx=\(indexes.map { $0.joined(separator: ",") }.joined(separator: "|"))"
        let body = statements.map(\.sql).joined(separator: ";\n") + "\n" + layout
        return "model-1+sql:" + Fingerprint.sha256(body).prefix(16)
    }

    // MARK: - Header values

    static func isQuery(_ sql: String) -> Bool {
        let first = sql.prefix { !$0.isWhitespace && $0 != "(" }.uppercased()
        return ["SELECT", "WITH", "VALUES"].contains(first)
    }

    /// `NAME` from `.../NAME.sql`.
    static func stem(_ path: String) -> String {
        String((path.split(separator: "/").last ?? "model").replacingOccurrences(of: ".sql", with: ""))
    }

    /// Comma-separated names; empty when the header is absent.
    static func list(_ field: ModelFile.Field?) -> [String] {
        (field?.value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `(week), (coin_id, close DESC)`.
    static func indexes(_ field: ModelFile.Field?, file: String) throws -> [[String]] {
        guard let field else { return [] }
        return try CheckDeclaration.split(field.value, on: ",").filter { !$0.isEmpty }.map { group in
            guard group.hasPrefix("("), group.hasSuffix(")") else {
                throw DeclarationError(file: file, line: field.line, problem: "index '\(group)' is not a parenthesised column list", fix: "write indexes: (week), (coin_id, close DESC)")
            }
            let terms = group.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for term in terms {
                let words = term.split(separator: " ")
                guard (1...2).contains(words.count), CheckDeclaration.isIdentifier(String(words[0])), words.count == 1 || ["ASC", "DESC"].contains(words[1].uppercased()) else {
                    throw DeclarationError(file: file, line: field.line, problem: "'\(term)' in an index is not COLUMN [ASC|DESC]", fix: "write indexes: (week), (coin_id, close DESC)")
                }
            }
            return terms
        }
    }

    /// `top_n = gold.mart_top_n, days = 7`: each placeholder's value, from a setting or literal.
    static func parameters(_ file: ModelFile, settings: WarehouseSettings) throws -> [String: String] {
        guard let field = file.field("parameters") else { return [:] }
        let known = Dictionary(settings.rendered, uniquingKeysWith: { a, _ in a })
        var values: [String: String] = [:]
        for entry in field.value.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, CheckDeclaration.isIdentifier(parts[0]), parts[0] != "table" else {
                throw DeclarationError(file: file.path, line: field.line, problem: "'\(entry.trimmingCharacters(in: .whitespaces))' is not 'name = setting'",
                                       fix: "write e.g. parameters: top_n = gold.mart_top_n, days = 7")
            }
            if let value = known[parts[1]] { values[parts[0]] = value } else if Double(parts[1]) != nil { values[parts[0]] = parts[1] } else {
                throw DeclarationError(file: file.path, line: field.line, problem: "'\(parts[1])' is neither a setting nor a number",
                                       fix: "use a number or a setting that `warehouse config show` lists, e.g. gold.mart_top_n")
            }
        }
        return values
    }

    static func fill(_ text: String, _ parameters: [String: String]) -> String {
        parameters.reduce(text) { $0.replacingOccurrences(of: "{{\($1.key)}}", with: $1.value) }
    }

    /// The `{{name}}` placeholders left in a text.
    static func placeholders(in text: String) -> [String] {
        var names: [String] = [], rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) {
            names.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return names
    }
}

private extension Int {
    /// Not before `floor`.
    func clamped(_ floor: Int) -> Int { Swift.max(self, floor) }
}
