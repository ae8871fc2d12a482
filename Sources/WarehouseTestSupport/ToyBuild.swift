import Warehouse

/// The build of a toy asset in orchestrator tests, done as silver and gold builders do it: its
/// SQL and its materialization record in one transaction of its layer's database.
public enum ToyBuild {
    public static func run(_ context: BuildContext, _ sql: String, rows: Int = 1) throws -> BuildOutcome {
        let database = try context.openLayerDatabase()
        try database.transaction {
            try database.execute(sql)
            try context.record(in: database, rows: rows)
        }
        return BuildOutcome(rows: rows, recorded: true)
    }
}
