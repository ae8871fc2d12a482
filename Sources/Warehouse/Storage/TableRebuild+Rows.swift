extension TableRebuild {
    /// Rebuilds the table from the rows `produce` hands to `add` (values in `columns` order), and
    /// records the asset's materialization with their count in the same transaction: how a
    /// builder that computes its rows in Swift replaces its table.
    public func build(in database: Database, columns: [String], context: BuildContext,
                      _ produce: (_ add: ([SQLValue]) throws -> Void) throws -> Void) throws -> BuildOutcome {
        let rows = try run(in: database, fill: { name -> Int in
            let insert = try database.prepareInsert(into: name, columns: columns)
            var count = 0
            try produce { values in
                try insert.bind(values)
                try insert.run()
                count += 1
            }
            return count
        }, finish: { rows in
            try context.record(in: database, rows: rows)
        })
        return BuildOutcome(rows: rows, recorded: true)
    }
}
