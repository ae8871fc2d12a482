import Foundation
import Pipeline
import Warehouse

/// The JSON API under `/api/v1`, independent of the HTTP framework: each endpoint takes its
/// path and query parameters and answers an `APIResponse`. Reads go through read-only pooled
/// connections; every identifier in SQL is checked against the catalogue, every value bound.
final class WarehouseAPI: @unchecked Sendable {
    let pipeline: Pipeline
    let catalog: Catalog
    let pool: ReadPool
    let launcher: RunLauncher
    let metrics: ServerMetrics
    /// `WAREHOUSE_API_TOKEN`; nil makes the server read-only.
    let token: String?
    /// How long a computed plan or health answer is used before it is refreshed (in the background).
    static let planLifetime: TimeInterval = 2
    var plan: RefreshingValue<[AssetStatus]>!
    var measuredHealth: RefreshingValue<JSONBody>!

    init(pipeline: Pipeline, token: String?, metrics: ServerMetrics) throws {
        self.pipeline = pipeline
        catalog = Catalog(graph: try pipeline.graph())
        pool = ReadPool(layout: pipeline.layout)
        launcher = RunLauncher(pipeline: pipeline)
        self.metrics = metrics
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        plan = RefreshingValue(lifetime: Self.planLifetime) { [unowned self] in try self.pipeline.assetStatuses(readsOnly: true) }
        measuredHealth = RefreshingValue(lifetime: Self.planLifetime) { [unowned self] in try self.measureHealth() }
    }

    /// Runs an endpoint, turning what it throws into the JSON error answer.
    func answer(_ body: () throws -> APIResponse) -> APIResponse {
        do { return try body() } catch { return .error(APIError.from(error)) }
    }

    // MARK: Assets, graph, runs, checks

    /// Every asset's state. Planning lists every raw folder, so the plan may be up to
    /// `planLifetime` old (plus one refresh).
    func statuses() throws -> [AssetStatus] { try plan.get() }

    /// Every asset with its layer, upstreams, last materialization, and whether it is stale and why.
    func assets() throws -> JSONBody {
        .object([("assets", .array(try statuses().map(Self.asset)))])
    }

    static func asset(_ status: AssetStatus) -> JSONBody {
        let last: JSONBody = status.last.map { record in
            .object([("run_id", .string(record.runID)), ("at", .string(record.materializedAt)), ("rows", .integer(Int64(record.rows))),
                     ("rejects", .integer(Int64(record.rejects))), ("status", .string(record.status.rawValue)), ("problem", .optional(record.problem))])
        } ?? .null
        return .object([
            ("asset", .string(status.key.description)), ("layer", .string(status.key.layer.rawValue)), ("summary", .string(status.spec.summary)),
            ("upstreams", .array(status.spec.upstreams.map { .string($0.description) })), ("tags", .array(status.spec.tags.sorted().map(JSONBody.string))),
            ("stale", .bool(status.step.willRun)), ("reason", .string(status.step.reason.description)), ("last_materialization", last),
        ])
    }

    /// Nodes and edges, or the Mermaid / Graphviz text.
    func graph(format: String?) throws -> APIResponse {
        let graph = catalog.graph
        switch format {
        case nil, "json":
            let nodes = graph.order.map { key in JSONBody.object([("id", .string(key.description)), ("layer", .string(key.layer.rawValue))]) }
            let edges = graph.order.flatMap { key in
                graph[key]!.upstreams.sorted().map { JSONBody.object([("from", .string($0.description)), ("to", .string(key.description))]) }
            }
            return .json(.object([("nodes", .array(nodes)), ("edges", .array(edges))]))
        case let name?:
            guard let format = GraphFormat(rawValue: name) else {
                throw APIError.badParameter("format", "'\(name)' is not a graph format", fix: "use json, mermaid or dot")
            }
            return .text(graph.render(format))
        }
    }

    static let runColumns = ["run_id", "started_at", "finished_at", "status", "command", "assets_run", "assets_skipped", "assets_failed",
                             "rows", "rejects", "requests", "cache_hits", "bytes_fetched", "seconds", "checks_failed"]

    func runs(limit: String?) throws -> JSONBody {
        let count = try Self.limit(limit, default: 50, max: 1_000)
        guard pool.exists(.runLog) else { return .object([("runs", .array([]))]) }
        return try pool.with(.runLog) { database in
            .object([("runs", .array(try RunLog.runs(in: database, limit: count).map { JSONBody(row: $0, columns: Self.runColumns) }))])
        }
    }

    /// A run with every asset's result and the checks it ran.
    func run(_ id: String) throws -> JSONBody {
        let stored: JSONBody? = pool.exists(.runLog) ? try pool.with(.runLog) { database -> JSONBody? in
            guard let run = try RunLog.run(id, in: database) else { return nil }
            let assets = try RunLog.assets(ofRun: id, in: database).map {
                JSONBody(row: $0, columns: ["asset", "status", "reason", "rows", "rejects", "requests", "cache_hits", "bytes_fetched", "seconds", "error"])
            }
            let checks = try RunLog.checks(ofRun: id, in: database).map(Self.check)
            guard case .object(var fields) = JSONBody(row: run, columns: Self.runColumns) else { return nil }
            fields += [("assets", .array(assets)), ("checks", .array(checks))]
            return .object(fields)
        } : nil
        if let stored { return stored }
        if launcher.running == id {
            return .object([("run_id", .string(id)), ("status", .string("starting")), ("assets", .array([])), ("checks", .array([]))])
        }
        throw APIError.notFound("no run \(id)", fix: "list the runs with GET /api/v1/runs")
    }

    static func check(_ row: [String: SQLValue]) -> JSONBody {
        let sample = (row["sample"]?.string ?? "").split(separator: "\n").map { JSONBody.string(String($0)) }
        return .object([("asset", JSONBody(row["asset"] ?? .null)), ("check", JSONBody(row["check_name"] ?? .null)),
                        ("status", JSONBody(row["status"] ?? .null)), ("failing_rows", JSONBody(row["failing_rows"] ?? .null)),
                        ("total_rows", JSONBody(row["total_rows"] ?? .null)), ("thresholds", JSONBody(row["thresholds"] ?? .null)),
                        ("run_id", JSONBody(row["run_id"] ?? .null)), ("sample", .array(sample))])
    }

    /// The latest result of every check, with its failing rows.
    func checks() throws -> JSONBody {
        guard pool.exists(.runLog) else { return .object([("checks", .array([]))]) }
        return try pool.with(.runLog) { .object([("checks", .array(try RunLog.latestChecks(in: $0).map(Self.check)))]) }
    }

    // MARK: Tables

    /// The silver and gold tables with the rows each holds (from its last materialization).
    func tables() throws -> JSONBody {
        let statuses = try statuses().filter { $0.key.layer != .bronze }
        return .object([("tables", .array(statuses.map { status in
            .object([("asset", .string(status.key.description)), ("summary", .string(status.spec.summary)),
                     ("rows", status.last.map { .integer(Int64($0.rows)) } ?? .null), ("built", .bool(status.last != nil))])
        }))])
    }

    func schema(_ name: String) throws -> JSONBody {
        let key = try catalog.asset(named: name)
        let schema = try pool.with(Catalog.file(of: key)) { try catalog.schema(of: key, in: $0) }
        return .object([
            ("asset", .string(key.description)), ("summary", .string(catalog.graph[key]?.summary ?? "")),
            ("columns", .array(schema.columns.map { column in
                .object([("name", .string(column.name)), ("type", .string(column.type)), ("not_null", .bool(column.notNull)),
                         ("description", .optional(column.description))])
            })),
            ("primary_key", .array(schema.primaryKey.map(JSONBody.string))),
            ("indexes", .array(schema.indexes.map { index in
                .object([("name", .string(index.name)), ("columns", .array(index.columns.map(JSONBody.string))), ("unique", .bool(index.unique))])
            })),
            ("orderable", .array(schema.orderable().map(JSONBody.string))),
        ])
    }

    /// A page of a table's rows (see `TableQuery`).
    func table(_ name: String, parameters: [(String, String)]) throws -> JSONBody {
        let key = try catalog.asset(named: name)
        return try pool.with(Catalog.file(of: key)) { database in
            let query = try TableQuery(schema: try catalog.schema(of: key, in: database), parameters: parameters)
            let columns = query.schema.columns.map(\.name)
            var rows = try database.namedRows(query.sql, query.arguments)
            var next: JSONBody = .null
            if rows.count > query.limit {
                rows.removeLast()
                next = .string(query.cursor(after: rows.last!))
            }
            return .object([("asset", .string(key.description)), ("columns", .array(columns.map(JSONBody.string))),
                            ("rows", .array(rows.map { JSONBody(row: $0, columns: columns) })), ("count", .integer(Int64(rows.count))), ("next", next)])
        }
    }

    /// The newest row of every entity: per value of the primary key's other columns, the row with the latest time.
    func latest(_ name: String, parameters: [(String, String)]) throws -> JSONBody {
        let key = try catalog.asset(named: name)
        return try pool.with(Catalog.file(of: key)) { database in
            let schema = try catalog.schema(of: key, in: database)
            guard let time = schema.timeColumn else {
                throw APIError.badParameter("asset", "\(key) has no time column in its primary key, so it has no newest row per entity",
                                            fix: "read it with GET /api/v1/tables/\(key)")
            }
            let entity = schema.primaryKey.dropLast().map(Catalog.quoted)
            let query = try TableQuery(schema: schema, parameters: parameters.filter { $0.0 != "order" && $0.0 != "after" })
            let columns = schema.columns.map(\.name)
            let table = Catalog.quoted(key.name)
            let filter = query.conditions.isEmpty ? "" : " WHERE " + query.conditions.joined(separator: " AND ")
            let sql = entity.isEmpty
                ? "SELECT \(columns.map(Catalog.quoted).joined(separator: ", ")) FROM \(table) WHERE \(Catalog.quoted(time)) = (SELECT max(\(Catalog.quoted(time))) FROM \(table)\(filter))\(filter.replacingOccurrences(of: " WHERE ", with: " AND ")) LIMIT \(query.limit)"
                : "SELECT \(columns.map(Catalog.quoted).joined(separator: ", ")) FROM \(table) WHERE (\(entity.joined(separator: ", ")), \(Catalog.quoted(time))) IN (SELECT \(entity.joined(separator: ", ")), max(\(Catalog.quoted(time))) FROM \(table)\(filter) GROUP BY \(entity.joined(separator: ", "))) ORDER BY \(entity.joined(separator: ", ")) LIMIT \(query.limit)"
            let arguments = entity.isEmpty ? query.arguments + query.arguments : query.arguments
            let rows = try database.namedRows(sql, arguments)
            return .object([("asset", .string(key.description)), ("time_column", .string(time)),
                            ("rows", .array(rows.map { JSONBody(row: $0, columns: columns) })), ("count", .integer(Int64(rows.count)))])
        }
    }

    /// A `limit`-style parameter.
    static func limit(_ text: String?, default value: Int, max: Int, name: String = "limit") throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), (1...max).contains(number) else {
            throw APIError.badParameter(name, "'\(text)' is not a whole number from 1 to \(max)", fix: "pass \(name)=\(value) or another number up to \(max)")
        }
        return number
    }
}
