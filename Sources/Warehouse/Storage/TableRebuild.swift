/// Replaces a table whole, in one transaction: the new content is built in `<name>__build`,
/// then swapped in under the real name with its indexes, together with whatever `finish`
/// writes (rejects, the materialization record). A reader sees the old table or the new one,
/// never half; a crash at any point leaves the old one.
public struct TableRebuild {
    public let table: String
    /// `CREATE TABLE` for a given table name (the build name, then never the real one).
    public let create: (String) -> String
    /// `CREATE INDEX` statements run after the swap, against the real name.
    public let indexes: [String]

    public init(table: String, create: @escaping (String) -> String, indexes: [String] = []) {
        self.table = table
        self.create = create
        self.indexes = indexes
    }

    /// The scratch table's name.
    public var buildName: String { "\(table)__build" }

    /// Runs the rebuild: `fill` writes rows into the scratch table (its name is passed) and
    /// returns a result; `finish` runs last inside the same transaction.
    public func run<T>(in database: Database, fill: (String) throws -> T, finish: (T) throws -> Void) throws -> T {
        // Legacy rename: a view over the table (gold's analysts' views) keeps naming it and is not
        // re-checked, which a view over a mart not built yet would fail.
        try database.execute("PRAGMA legacy_alter_table=ON")
        return try database.transaction {
            try database.execute("DROP TABLE IF EXISTS \(buildName)")
            try database.execute(create(buildName))
            let result = try fill(buildName)
            try database.execute("DROP TABLE IF EXISTS \(table)")
            try database.execute("ALTER TABLE \(buildName) RENAME TO \(table)")
            for index in indexes { try database.execute(index) }
            try finish(result)
            return result
        }
    }
}
