import Warehouse

/// Checks every model against the graph before anything runs, with SQLite's own parser: an
/// empty in-memory copy of the warehouse's schemas (every silver and gold table with its
/// columns) in which each model's SQL and checks are prepared, never run. What a query really
/// reads must be what its header declares; bad SQL, an unknown column or table and a cycle are
/// errors naming the file and line.
struct ModelValidator {
    private let scratch: Database
    private let known: [AssetKey]

    /// - Parameter tables: every non-model silver and gold asset, with its columns.
    init(tables: [AssetSpec]) throws {
        scratch = try Database(path: ":memory:")
        try scratch.execute("ATTACH ':memory:' AS silver")
        known = tables.map(\.key)
        for spec in tables where spec.key.layer != .bronze {
            try create(spec.key, columns: spec.columns.keys.sorted())
        }
    }

    private func create(_ key: AssetKey, columns: [String]) throws {
        let schema = key.layer == .silver ? "silver" : "main"
        try scratch.execute("CREATE TABLE \(schema).\"\(key.name)\" (\(columns.map { "\"\($0)\"" }.joined(separator: ", ")))")
    }

    /// Validates the models in dependency order, and gives each one's columns with their descriptions.
    /// - Throws: `DeclarationError` for the first model that cannot be used.
    func validate(_ models: [SQLModel]) throws -> [AssetKey: [String: String]] {
        let modelKeys = Set(models.map(\.key))
        let everything = known + models.map(\.key)
        for model in models {
            for upstream in model.upstreams where !everything.contains(upstream) || upstream.layer == .bronze {
                let line = model.file.field("upstreams")?.line ?? 1
                if upstream.layer == .bronze {
                    throw DeclarationError(file: model.file.path, line: line, problem: "\(upstream) is a bronze dataset (raw files), which SQL cannot read",
                                           fix: "read the silver table staged from it")
                }
                let hint = AssetGraph.closest(to: upstream, in: everything).map { "did you mean \($0)? " } ?? ""
                throw DeclarationError(file: model.file.path, line: line, problem: "upstream \(upstream) is not an asset", fix: "\(hint)run `warehouse ls` for the asset names")
            }
        }
        var columns: [AssetKey: [String: String]] = [:]
        var pending = models
        while !pending.isEmpty {
            guard let index = pending.firstIndex(where: { model in model.upstreams.allSatisfy { !modelKeys.contains($0) || columns[$0] != nil } }) else {
                let names = pending.map { "\($0.key) (\($0.file.path))" }.joined(separator: ", ")
                throw DeclarationError(file: pending[0].file.path, line: pending[0].file.field("upstreams")?.line ?? 1,
                                       problem: "these models read each other in a cycle: \(names)", fix: "remove one of the upstreams so the models form a chain")
            }
            let model = pending.remove(at: index)
            columns[model.key] = try validate(model)
        }
        return columns
    }

    private func validate(_ model: SQLModel) throws -> [String: String] {
        let file = model.file, table = model.key.name
        var reads = Set<TableRead>()
        var readLines: [AssetKey: Int] = [:]
        func prepare(_ sql: String, line: Int) throws {
            let effects: StatementEffects
            do { effects = try scratch.effects(of: sql) } catch let error as DatabaseError { throw declarationError(error, model: model, statementLine: line) }
            if effects.followedByAnotherStatement {
                throw DeclarationError(file: file.path, line: line, problem: "two statements share a line",
                                       fix: "end each statement with ; at the end of its line, so each is checked on its own")
            }
            // A model builds its own table and nothing else.
            if let change = effects.changes.first(where: { !($0.table == table && ["insert", "create table", "create index"].contains($0.action)) }) {
                throw DeclarationError(file: file.path, line: line, problem: "the SQL would \(change.action) \(change.table.isEmpty ? "" : "\(change.table) ")and a model only builds its own table",
                                       fix: "remove that statement: a model's SQL fills {{table}} and indexes it")
            }
            for read in effects.reads { readLines[key(read)] = readLines[key(read)] ?? line }
            reads.formUnion(effects.reads)
        }
        if model.isQuery {
            let query = model.statements[0]
            try prepare(query.sql, line: query.line)
            let result = try scratch.resultColumns(of: query.sql).map(\.name)
            if let repeated = Dictionary(grouping: result, by: { $0.lowercased() }).first(where: { $0.value.count > 1 }) {
                throw DeclarationError(file: file.path, line: query.line, problem: "the query returns two columns named \(repeated.key)", fix: "give each column its own name with AS")
            }
            let layout = [("primary_key", model.primaryKey)] + model.indexes.map { ("indexes", $0.map { String($0.split(separator: " ")[0]) }) }
            for (header, names) in layout {
                if let missing = names.first(where: { name in !result.contains { $0.lowercased() == name.lowercased() } }) {
                    throw DeclarationError(file: file.path, line: file.field(header)?.line ?? 1, problem: "\(header) names \(missing), which the query does not return",
                                           fix: "use columns of the query: \(result.joined(separator: ", "))")
                }
            }
            try create(model.key, columns: result)
        } else {
            for statement in model.statements {
                let sql = statement.sql.replacingOccurrences(of: "{{table}}", with: table)
                if statement.sql.uppercased().hasPrefix("CREATE TABLE") {
                    try prepare(sql, line: statement.line)
                    do { try scratch.execute(sql) } catch let error as DatabaseError { throw declarationError(error, model: model, statementLine: statement.line) }
                } else {
                    try prepare(sql, line: statement.line)
                }
            }
        }
        reads = reads.filter { !($0.schema == "main" && $0.table == table) }
        let read = Set(reads.map(key))
        if let undeclared = read.subtracting(model.upstreams).sorted().first {
            throw DeclarationError(file: file.path, line: file.line(mentioning: undeclared.name, from: readLines[undeclared] ?? 1),
                                   problem: "the SQL reads \(undeclared), which the header does not declare",
                                   fix: "add \(undeclared) to the '-- upstreams:' line, so it is built first")
        }
        if let unread = model.upstreams.first(where: { !read.contains($0) }) {
            throw DeclarationError(file: file.path, line: file.field("upstreams")?.line ?? 1,
                                   problem: "upstream \(unread) is declared but the SQL does not read it",
                                   fix: "remove it from '-- upstreams:', or read it in the query")
        }
        let names = try scratch.rows("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0[0].string }
        for (check, line) in model.checks {
            do { _ = try scratch.tablesRead(by: check.failingRowsSQL(table: table, asset: model.key, today: Day(ordinal: 0))) } catch let error as DatabaseError {
                throw DeclarationError(file: file.path, line: line, problem: "check \(check.name) does not fit the table: \(error.message)",
                                       fix: "name columns the table has: \(names.joined(separator: ", "))")
            }
        }
        if let field = file.field("columns"), let unknown = model.columnDescriptions.keys.sorted().first(where: { !names.contains($0) }) {
            throw DeclarationError(file: file.path, line: field.line, problem: "'columns:' describes \(unknown), which the table does not have",
                                   fix: "describe columns the table has: \(names.joined(separator: ", "))")
        }
        return Dictionary(uniqueKeysWithValues: names.map { ($0, model.columnDescriptions[$0] ?? "") })
    }

    private func key(_ read: TableRead) -> AssetKey { AssetKey(read.schema == "silver" ? .silver : .gold, read.table) }

    /// SQLite's complaint, at the line of the statement that mentions what it names.
    private func declarationError(_ error: DatabaseError, model: SQLModel, statementLine: Int) -> DeclarationError {
        let message = error.message
        var word: String?
        if let colon = message.range(of: ": ", options: .backwards), message.hasPrefix("no such") {
            word = String(message[colon.upperBound...]).split(separator: ".").last.map(String.init)
        } else if let open = message.firstIndex(of: "\""), let close = message[message.index(after: open)...].firstIndex(of: "\"") {
            word = String(message[message.index(after: open)..<close])
        }
        let line = word.map { model.file.line(mentioning: $0, from: statementLine) } ?? statementLine
        var fix = "correct the SQL; gold tables are read as NAME or main.NAME, silver tables as silver.NAME"
        if message.hasPrefix("no such table: gold."), let word {
            fix = "gold tables are read without a schema in gold.sqlite: write \(word) or main.\(word)"
        } else if message.hasPrefix("no such table"), let word {
            let asked = message.contains("silver.") ? AssetKey(.silver, word) : AssetKey(.gold, word)
            if let close = AssetGraph.closest(to: asked, in: known) { fix = "did you mean \(close)? Gold tables are read as NAME or main.NAME, silver tables as silver.NAME" }
        }
        return DeclarationError(file: model.file.path, line: max(line, statementLine), problem: "the SQL does not prepare: \(message)", fix: fix)
    }
}
