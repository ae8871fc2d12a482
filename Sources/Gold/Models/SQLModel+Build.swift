import Warehouse

extension SQLModel {
    /// The rebuild of the model's table and the statements that fill it. A query alone gets a
    /// table with the query's columns (declared types where SQLite knows them), the header's
    /// primary key, and its indexes after the swap.
    func rebuild(in database: Database) throws -> (rebuild: TableRebuild, fill: [String]) {
        guard isQuery else { return MartSQL.rebuild(table: key.name, statements: statements.map(\.sql)) }
        let query = statements[0].sql
        let columns = try database.resultColumns(of: query).map { column in
            "\"\(column.name.replacingOccurrences(of: "\"", with: "\"\""))\"" + (column.type.map { " \($0)" } ?? "")
        }
        let primaryKey = self.primaryKey.isEmpty ? [] : ["PRIMARY KEY (\(self.primaryKey.joined(separator: ", ")))"]
        let table = key.name
        let indexes = self.indexes.map { terms in
            let name = ([table] + terms.map { $0.split(separator: " ")[0].lowercased() }).joined(separator: "_")
            return "CREATE INDEX \(name) ON \(table)(\(terms.joined(separator: ", ")))"
        }
        let rebuild = TableRebuild(table: table, create: { "CREATE TABLE \($0) (\((columns + primaryKey).joined(separator: ", ")))" }, indexes: indexes)
        return (rebuild, ["INSERT INTO {{table}} " + query])
    }

    /// Builds the table in gold.sqlite (silver attached) and swaps it in with its record.
    func build(_ context: BuildContext) throws -> BuildOutcome {
        let database = try GoldDatabase.open(context)
        let (rebuild, fill) = try rebuild(in: database)
        let rows = try rebuild.run(in: database, fill: { name -> Int in
            for statement in fill { try database.execute(statement.replacingOccurrences(of: "{{table}}", with: name)) }
            return try database.scalar("SELECT count(*) FROM \(name)")?.int ?? 0
        }, finish: { rows in
            try context.record(in: database, rows: rows)
        })
        return BuildOutcome(rows: rows, recorded: true)
    }

    /// The asset the graph holds.
    func spec(columns: [String: String]) -> AssetSpec {
        AssetSpec(key: key, upstreams: upstreams, tags: tags, summary: summary, columns: columns, version: version,
                  checks: checks.map(\.check), exports: exports, source: file.path, build: build)
    }
}
