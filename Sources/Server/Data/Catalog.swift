import Foundation
import Warehouse

/// The tables the API may read: the silver and gold assets of the graph, and what each holds
/// (columns, types, primary key, indexes, descriptions). Every identifier that reaches SQL is
/// one of these, checked, and quoted.
/// Built once at start and only read after: safe to share though `AssetGraph` holds build closures.
struct Catalog: @unchecked Sendable {
    /// A table's layout as SQLite reports it, with the asset's column descriptions.
    struct Schema: Sendable {
        struct Column: Sendable {
            let name: String
            let type: String
            let notNull: Bool
            let description: String?
        }
        struct Index: Sendable {
            let name: String
            let columns: [String]
            let unique: Bool
        }
        let asset: AssetKey
        let columns: [Column]
        let primaryKey: [String]
        let indexes: [Index]

        func column(_ name: String) -> Column? { columns.first { $0.name == name } }

        /// Columns a result may be ordered by, an index serving the order: in the primary key or
        /// an index, the first column not fixed by an equality filter (with `coin_id` fixed,
        /// `ts` of the key (coin_id, ts)).
        func orderable(fixed: Set<String> = []) -> [String] {
            let keys = [primaryKey] + indexes.map(\.columns)
            return Array(Set(keys.compactMap { $0.first { !fixed.contains($0) } })).sorted()
        }

        /// The column that dates a row (its time in the primary key), when there is one.
        var timeColumn: String? { primaryKey.last.flatMap { Catalog.isTimeColumn($0) ? $0 : nil } }
    }

    let graph: AssetGraph
    /// The silver and gold assets, in graph order.
    let tables: [AssetKey]

    init(graph: AssetGraph) {
        self.graph = graph
        tables = graph.order.filter { $0.layer != .bronze }
    }

    /// The table asset a path names (`gold.crypto_analytics_mart`).
    /// - Throws: `APIError.unknownAsset` (404) with the closest names.
    func asset(named name: String) throws -> AssetKey {
        if let key = AssetKey(parsing: name), tables.contains(key) { return key }
        let closest = tables.map { ($0, EditDistance.between(name, $0.description)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            .prefix(3).filter { $0.1 <= max(3, name.count / 2) }.map(\.0)
        throw APIError.unknownAsset(name, closest: Array(closest))
    }

    /// The file an asset's table lives in.
    static func file(of key: AssetKey) -> ReadPool.File { key.layer == .silver ? .silver : .gold }

    /// The layout of an asset's table.
    /// - Throws: `APIError` 404 when the table has not been built.
    func schema(of key: AssetKey, in database: Database) throws -> Schema {
        let info = try database.rows("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid", [.text(key.name)])
        guard !info.isEmpty else {
            throw APIError.notFound("\(key) has no table yet", fix: "materialize it: warehouse materialize +\(key)")
        }
        let descriptions = graph[key]?.columns ?? [:]
        let columns = info.compactMap { row -> Schema.Column? in
            guard let name = row[0].string, name != "raw_file_id" else { return nil }
            return Schema.Column(name: name, type: row[1].string ?? "", notNull: row[2].int == 1, description: descriptions[name])
        }
        let primaryKey = info.filter { ($0[3].int ?? 0) > 0 }.sorted { ($0[3].int ?? 0) < ($1[3].int ?? 0) }.compactMap { $0[0].string }
        var indexes: [Schema.Index] = []
        for index in try database.rows("SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY name", [.text(key.name)]) {
            guard let name = index[0].string, index[2].string != "pk" else { continue }
            let columns = try database.rows("SELECT name FROM pragma_index_info(?) ORDER BY seqno", [.text(name)]).compactMap { $0[0].string }
            indexes.append(Schema.Index(name: name, columns: columns, unique: index[1].int == 1))
        }
        return Schema(asset: key, columns: columns, primaryKey: primaryKey, indexes: indexes)
    }

    /// Whether a column holds dates or times by its name: `date`, `ts`, `*_date`, `*_ts`, `*_at`.
    static func isTimeColumn(_ name: String) -> Bool {
        name == "date" || name == "ts" || name == "week" || name.hasSuffix("_date") || name.hasSuffix("_ts") || name.hasSuffix("_at")
    }

    /// An identifier as SQL: double-quoted (it was checked against the catalogue first).
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
