import Warehouse

/// Builds a mart that is pure SQL: runs its file's statements into the build table and
/// swaps it in with its indexes and its materialization record.
struct SQLMartBuilder {
    let context: BuildContext
    let sql: MartSQL
    let parameters: [String: String]

    func build() throws -> BuildOutcome {
        let database = try GoldDatabase.open(context)
        let (rebuild, fill) = sql.rebuild(parameters: parameters)
        let rows = try rebuild.run(in: database, fill: { name -> Int in
            for statement in fill { try database.execute(statement.replacingOccurrences(of: "{{table}}", with: name)) }
            return try database.scalar("SELECT count(*) FROM \(name)")?.int ?? 0
        }, finish: { rows in
            try context.record(in: database, rows: rows)
        })
        return BuildOutcome(rows: rows, recorded: true)
    }
}
