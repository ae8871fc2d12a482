/// A database checks run on: a layer's SQLite file, or a database the marts are published to.
public protocol CheckTarget {
    var dialect: SQLDialect { get }
    /// The failing rows a query selects: how many, and up to five rendered for people.
    func failingRows(_ sql: String) throws -> (count: Int, sample: [String])
    /// The integers of the one row a query returns (NULL as 0).
    func integers(_ sql: String) throws -> [Int]
}

/// A layer's database (gold with silver attached, so relationships can point into silver).
struct SQLiteCheckTarget: CheckTarget {
    let database: Database
    var dialect: SQLDialect { .sqlite }

    func failingRows(_ sql: String) throws -> (count: Int, sample: [String]) {
        let statement = try database.prepare("SELECT * FROM (\(sql)) AS failing")
        var failing = 0
        var sample: [String] = []
        while try statement.step() {
            failing += 1
            if sample.count < 5 {
                sample.append((0..<statement.columnCount).filter { statement.columnName($0) != "raw_file_id" }
                    .map { "\(statement.columnName($0))=\(statement.value(at: $0).rendered)" }.joined(separator: ", "))
            }
        }
        return (failing, sample)
    }

    func integers(_ sql: String) throws -> [Int] {
        try database.rows(sql).first?.map { $0.int ?? 0 } ?? []
    }
}
