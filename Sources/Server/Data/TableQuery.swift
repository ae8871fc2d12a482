import Foundation
import Warehouse

/// A page of a table's rows as `GET /tables/{asset}` asks for it: column filters
/// (`?coin_id=bitcoin`), range filters on date and time columns (`?date__gte=2026-01-01`,
/// `__gt`, `__lte`, `__lt`), ordering on an indexed column (`?order=date`, `?order=-date` for
/// descending), `limit` (1 to 10,000, default 100) and keyset pagination (`?after=<cursor>`
/// from the previous page's `next`). Identifiers come from the catalogue, values are bound.
struct TableQuery {
    static let maxLimit = 10_000
    static let reserved: Set<String> = ["limit", "order", "after"]

    let schema: Catalog.Schema
    var conditions: [String] = []
    var arguments: [SQLValue] = []
    var orderColumn: String
    var descending = false
    var limit = 100
    /// The columns a page is ordered by: the chosen one, then the primary key (unique, so pages never overlap).
    var sortColumns: [String] { [orderColumn] + schema.primaryKey.filter { $0 != orderColumn } }

    /// - Throws: `APIError.badParameter` (400) naming the parameter and the fix.
    init(schema: Catalog.Schema, parameters: [(String, String)]) throws {
        self.schema = schema
        orderColumn = schema.primaryKey.first ?? schema.columns.first?.name ?? "rowid"
        var after: String?
        var order: String?
        var fixed = Set<String>()
        for (name, value) in parameters {
            switch name {
            case "limit":
                guard let number = Int(value), (1...Self.maxLimit).contains(number) else {
                    throw APIError.badParameter("limit", "'\(value)' is not a whole number from 1 to \(Self.maxLimit)", fix: "ask for at most \(Self.maxLimit) rows a page and follow next")
                }
                limit = number
            case "order":
                order = value
            case "after":
                after = value
            default:
                try addFilter(name, value)
                if !name.contains("__") { fixed.insert(name) }
            }
        }
        if let order {
            let column = order.hasPrefix("-") ? String(order.dropFirst()) : order
            let orderable = schema.orderable(fixed: fixed)
            guard orderable.contains(column) else {
                throw APIError.badParameter("order", "\(schema.asset) can be ordered only where an index serves it, not by '\(column)' here",
                                            fix: "use one of \(orderable.joined(separator: ", ")), with - for descending (filtering a leading key column by equality opens the next)")
            }
            orderColumn = column
            descending = order.hasPrefix("-")
        }
        if let after { try addCursor(after, parameter: "after") }
    }

    private mutating func addFilter(_ name: String, _ value: String) throws {
        let parts = name.components(separatedBy: "__")
        let operators = ["gte": ">=", "gt": ">", "lte": "<=", "lt": "<"]
        let column = parts[0]
        guard schema.column(column) != nil, parts.count <= 2 else {
            let known = schema.columns.map(\.name)
            let close = known.min { EditDistance.between($0, column) < EditDistance.between($1, column) }
            throw APIError.badParameter(name, "\(schema.asset) has no column '\(column)'" + (close.map { "; did you mean \($0)?" } ?? ""),
                                        fix: "filter on one of \(known.joined(separator: ", ")) (see /schema), or use limit, order, after")
        }
        if parts.count == 2 {
            guard let op = operators[parts[1]] else {
                throw APIError.badParameter(name, "'\(parts[1])' is not a range operator", fix: "use \(column)__gte, __gt, __lte or __lt")
            }
            guard Catalog.isTimeColumn(column) else {
                throw APIError.badParameter(name, "range filters apply to date and time columns; \(column) is not one", fix: "filter \(column) by equality")
            }
            conditions.append("\(Catalog.quoted(column)) \(op) ?")
        } else {
            conditions.append("\(Catalog.quoted(column)) = ?")
        }
        arguments.append(.text(value))
    }

    /// The cursor of the row after which the next page starts.
    func cursor(after row: [String: SQLValue]) -> String {
        let values = JSONBody.array(sortColumns.map { JSONBody(row[$0] ?? .null) })
        return Data(values.bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private mutating func addCursor(_ text: String, parameter: String) throws {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let values = try? JSONValue.parse(data).array, values.count == sortColumns.count else {
            throw APIError.badParameter(parameter, "'\(text.prefix(40))' is not a cursor of this table and ordering", fix: "pass the next value of the previous page as it was")
        }
        let bound: [SQLValue] = values.map { value in
            switch value {
            case .number(let v): return v == v.rounded() && abs(v) < 9e15 ? .integer(Int64(v)) : .real(v)
            case .string(let s): return .text(s)
            default: return .null
            }
        }
        let columns = sortColumns.map(Catalog.quoted).joined(separator: ", ")
        conditions.append("(\(columns)) \(descending ? "<" : ">") (\(bound.map { _ in "?" }.joined(separator: ", ")))")
        arguments += bound
    }

    /// The SELECT of one page (one row more than the limit, to know whether there is a next page).
    var sql: String {
        let columns = schema.columns.map { Catalog.quoted($0.name) }.joined(separator: ", ")
        let direction = descending ? "DESC" : "ASC"
        return "SELECT \(columns) FROM \(Catalog.quoted(schema.asset.name))"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY " + sortColumns.map { "\(Catalog.quoted($0)) \(direction)" }.joined(separator: ", ")
            + " LIMIT \(limit + 1)"
    }
}
