import Foundation
import Warehouse

/// Why a publish to PostgreSQL did not happen. Whatever the cause, PostgreSQL keeps the
/// version it had (every asset is published in one transaction) and the next publish redoes it.
public enum PublishError: WarehouseError {
    /// The server could not be reached or refused the login.
    case connect(target: String, message: String)
    /// A statement failed on the server.
    case statement(target: String, sql: String, message: String, sqlState: String?)
    /// An asset to publish has no table in its layer database yet.
    case notMaterialized(asset: AssetKey, database: String)
    /// A value PostgreSQL cannot hold as it is (a NUL character in text).
    case unrepresentable(table: String, column: String, reason: String)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .connect(let target, let message):
            return ("cannot connect to PostgreSQL at \(target): \(message.trimmed)",
                    "check the server is running and the URL's host, port, user and database; the password comes from WAREHOUSE_PG_PASSWORD or .env")
        case .statement(let target, let sql, let message, let sqlState):
            let state = sqlState.map { " (SQLSTATE \($0))" } ?? ""
            return ("PostgreSQL at \(target) refused \(sql.prefix(160))\(state): \(message.trimmed)",
                    "nothing was changed by this publish; correct the cause and run `warehouse publish` again")
        case .notMaterialized(let asset, let database):
            return ("\(asset) has no table in \(database) yet", "run `warehouse materialize \(asset)` first")
        case .unrepresentable(let table, let column, let reason):
            return ("\(table) column \(column) \(reason)", "correct the source rows (see `warehouse check \(table)`) and publish again")
        }
    }

    public var exitStatus: WarehouseExitStatus {
        switch self {
        case .notMaterialized: .usage
        default: .failed
        }
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
