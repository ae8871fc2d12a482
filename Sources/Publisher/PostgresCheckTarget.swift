import Warehouse

/// The PostgreSQL the marts are published to, as a place checks run: the same checks as on
/// SQLite, compiled for PostgreSQL, on the tables in schemas `silver` and `gold`.
public struct PostgresCheckTarget: CheckTarget {
    let connection: PostgresConnection
    public var dialect: SQLDialect { .postgres }

    /// Checks on the tables of a connected publisher's database. Unqualified names in a check's
    /// SQL resolve in the asset's layer first (its `search_path`), as in its SQLite database.
    public init(_ publisher: Publisher, layer: Layer) throws {
        connection = publisher.connection
        try connection.query("SELECT set_config('search_path', $1, false)", ["\(layer.rawValue), public"])
    }

    public func failingRows(_ sql: String) throws -> (count: Int, sample: [String]) {
        let count = Int(try connection.query("SELECT count(*) FROM (\(sql)) AS failing").first?.first.flatMap { $0 } ?? "") ?? 0
        let sample = count == 0 ? [] : try connection.query("SELECT row_to_json(failing)::text FROM (\(sql)) AS failing LIMIT 5").compactMap { $0.first ?? nil }
        return (count, sample)
    }

    public func integers(_ sql: String) throws -> [Int] {
        try connection.query(sql).first?.map { $0.flatMap { Int($0) } ?? 0 } ?? []
    }
}
