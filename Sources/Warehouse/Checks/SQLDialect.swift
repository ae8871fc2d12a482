/// The SQL a check compiles to, for the database it runs on. The queries are written in the
/// subset SQLite and PostgreSQL share (`WHERE false`, named derived tables); what differs is
/// where tables are: in SQLite an asset's own layer is the database's `main` schema and silver
/// is attached to gold as `silver`, in PostgreSQL every layer is a schema of its name.
public enum SQLDialect: String, Sendable {
    case sqlite, postgres

    /// The name a check on `asset` uses for the table of `key`.
    public func table(_ key: AssetKey, from asset: AssetKey) -> String {
        switch self {
        case .sqlite: key.layer == asset.layer ? "main.\"\(key.name)\"" : "\(key.layer.rawValue).\"\(key.name)\""
        case .postgres: "\(key.layer.rawValue).\"\(key.name)\""
        }
    }

    /// Days from one `YYYY-MM-DD` column to a later one.
    public func daysBetween(_ later: String, _ earlier: String) -> String {
        switch self {
        case .sqlite: "julianday(\(later)) - julianday(\(earlier))"
        case .postgres: "(\(later)::date - \(earlier)::date)"
        }
    }
}
