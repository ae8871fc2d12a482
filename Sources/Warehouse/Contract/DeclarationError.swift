/// A line of a file the user declares assets or checks in (a model's `.sql`, a `checks/*.toml`)
/// that cannot be used: the file, the line, what is wrong and the fix. Raised while the graph
/// is assembled, before anything runs; the CLI exits 2 on it.
public struct DeclarationError: WarehouseError, Equatable {
    /// The file as the user knows it (`models/weekly_rollup.sql`, `sql/crypto_analytics_mart.sql`).
    public let file: String
    /// 1-based; 0 when the problem is the file as a whole.
    public let line: Int
    public let issue: String
    public let remedy: String

    public init(file: String, line: Int, problem: String, fix: String) {
        self.file = file
        self.line = line
        self.issue = problem
        self.remedy = fix
    }

    public var parts: (problem: String, fix: String?) { ("\(file)\(line > 0 ? " line \(line)" : ""): \(issue)", remedy) }
}
