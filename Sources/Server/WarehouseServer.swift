import Foundation
import HTTPTypes
import Hummingbird
import Pipeline
import Warehouse

/// `warehouse serve`: the JSON API under `/api/v1` and the dashboard, on Hummingbird. The router
/// is built by a function (`router()`), so tests run the same requests in memory and over
/// loopback. Every answer is made by `WarehouseAPI` or `DashboardPages`; this type only maps
/// HTTP onto them.
public final class WarehouseServer: @unchecked Sendable {
    let api: WarehouseAPI
    let pages: DashboardPages
    let metrics = ServerMetrics()

    /// - Parameter token: `WAREHOUSE_API_TOKEN`; nil or empty makes the server read-only.
    public init(pipeline: Pipeline, token: String?) throws {
        // Once, before the read-only connections: an older root gets this version's bookkeeping tables.
        try pipeline.upgradeDatabases()
        api = try WarehouseAPI(pipeline: pipeline, token: token, metrics: metrics)
        pages = DashboardPages(api: api)
    }

    /// The largest request body accepted (a run request or the run form).
    static let maxBody = 64 * 1024

    /// Every route.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        let routes = RouteTable()
        router.add(middleware: ErrorMiddleware(root: api.pipeline.layout.root.path, routes: routes))
        let api = self.api, pages = self.pages
        let v1 = router.group("api/v1")
        func get(_ path: RouterPath, _ group: RouterGroup<BasicRequestContext>? = nil,
                 _ answer: @escaping @Sendable (Request, BasicRequestContext) throws -> APIResponse) {
            routes.add("GET", (group == nil ? "" : "/api/v1") + "/" + path.description)
            (group ?? router.group("")).get(path) { request, context in Self.response(api.answer { try answer(request, context) }) }
        }
        func json(_ path: RouterPath, _ answer: @escaping @Sendable (Request, BasicRequestContext) throws -> JSONBody) {
            get(path, v1) { request, context in .json(try answer(request, context)) }
        }
        json("assets") { _, _ in try api.assets() }
        get("graph", v1) { request, _ in try api.graph(format: request.uri.queryParameters["format"].map(String.init)) }
        json("runs") { request, _ in try api.runs(limit: Self.query(request, "limit")) }
        json("runs/:id") { _, context in try api.run(try Self.path(context, "id")) }
        json("checks") { _, _ in try api.checks() }
        json("checks/history") { request, _ in try api.checkHistory(limit: Self.query(request, "limit")) }
        json("rejects") { request, _ in try api.rejects(asset: Self.query(request, "asset")) }
        json("tables") { _, _ in try api.tables() }
        json("tables/:asset") { request, context in try api.table(try Self.path(context, "asset"), parameters: Self.parameters(request)) }
        json("tables/:asset/schema") { _, context in try api.schema(try Self.path(context, "asset")) }
        json("latest/:asset") { request, context in try api.latest(try Self.path(context, "asset"), parameters: Self.parameters(request)) }
        json("coins") { request, _ in try api.coins(search: Self.query(request, "search"), limit: Self.query(request, "limit")) }
        json("coins/:coin/history") { request, context in try api.coinHistory(try Self.path(context, "coin"), window: Self.query(request, "window")) }
        json("analytics") { _, _ in try api.analytics() }
        json("segments") { _, _ in try api.segments() }
        json("dashboard/:canonical") { _, context in try api.dashboard(try Self.path(context, "canonical")) }
        json("stocks") { _, _ in try api.stocks() }
        json("stocks/:ticker") { _, context in try api.stock(try Self.path(context, "ticker")) }
        json("drift") { _, _ in try api.drift() }
        json("exchanges") { _, _ in try api.exchanges() }
        json("health") { _, _ in try api.health() }
        get("openapi.json", v1) { _, _ in APIResponse(status: 200, contentType: "application/json", body: OpenAPIDocument.bytes) }
        get("metrics", v1) { _, _ in
            let runLog = try? Database(path: api.pool.path(.runLog), readOnly: true)
            return .text(try api.metrics.render(runLog: runLog), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        routes.add("POST", "/api/v1/runs")
        routes.add("POST", "/runs/start")
        v1.post("runs") { request, _ in
            let body = try await Self.body(request)
            return Self.response(api.answer { try api.startRun(body: body, authorization: request.headers[.authorization]) })
        }
        get("") { _, _ in pages.overview() }
        get("assets") { _, _ in pages.assets() }
        get("assets/:asset") { _, context in pages.asset(try Self.path(context, "asset")) }
        get("runs") { _, _ in pages.runs() }
        get("runs/:id") { _, context in pages.run(try Self.path(context, "id")) }
        get("markets") { request, _ in
            pages.markets(coin: Self.query(request, "coin"), window: Self.query(request, "window"), sort: Self.query(request, "sort"), direction: Self.query(request, "dir"))
        }
        get("exchanges") { _, _ in pages.exchanges() }
        get("quality") { _, _ in pages.quality() }
        get("exports/:file") { _, context in try Self.export(try Self.path(context, "file"), layout: api.pipeline.layout) }
        router.post("runs/start") { request, _ in
            let form = Self.form(try await Self.body(request))
            return Self.response(api.answer {
                do {
                    let refresh = form["refresh"] == "true"
                    let selection = (form["select"] ?? "").split(separator: " ").map(String.init)
                    let request = JSONBody.object([("select", .array(selection.map(JSONBody.string))), ("refresh", .bool(refresh))]).bytes
                    let answer = try api.startRun(body: request, authorization: "Bearer " + (form["token"] ?? ""))
                    let runID = try JSONValue.parse(Data(answer.body))["run_id"]?.text ?? ""
                    return .redirect(to: "/runs/\(HTML.component(runID))")
                } catch let error as APIError {
                    return pages.page("Run not started", "/runs", "<p>\(HTML.escape(error.detail)).</p><p class=\"muted\">To fix this, \(HTML.escape(error.fix ?? "try again")).</p>")
                        .with(status: error.status)
                }
            })
        }
        return router
    }

    /// The application on `host:port` (port 0 picks a free one; `onRunning` is told which).
    public func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "warehouse"),
                    onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
    }

    // MARK: HTTP mapping

    static func response(_ answer: APIResponse) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = answer.contentType
        headers[.cacheControl] = "no-store"
        for (name, value) in answer.headers { if let field = HTTPField.Name(name) { headers[field] = value } }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// A path parameter, percent-decoded.
    static func path(_ context: BasicRequestContext, _ name: String) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }

    static func query(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[name[...]].map(String.init)
    }

    /// Every query parameter, names percent-decoded as the values are.
    static func parameters(_ request: Request) -> [(String, String)] {
        request.uri.queryParameters.map { (String($0.key).removingPercentEncoding ?? String($0.key), String($0.value)) }
    }

    static func body(_ request: Request) async throws -> [UInt8] {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: maxBody)
            return Array(buffer.readableBytesView)
        } catch {
            throw HTTPError(.contentTooLarge, message: "request bodies are at most \(maxBody) bytes")
        }
    }

    /// An `application/x-www-form-urlencoded` body.
    static func form(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            if let name = parts.first { fields[name] = parts.count > 1 ? parts[1] : "" }
        }
        return fields
    }

    /// A standard export file from ROOT/exports (a plain name, no path).
    static func export(_ name: String, layout: WarehouseLayout) throws -> APIResponse {
        guard !name.contains("/"), !name.hasPrefix("."), name.hasSuffix(".parquet") || name.hasSuffix(".csv"),
              let data = FileManager.default.contents(atPath: layout.exportsDirectory.appendingPathComponent(name).path) else {
            throw APIError.notFound("no export \(name)", fix: "the standard exports are written by the runs that build their marts")
        }
        return APIResponse(status: 200, contentType: name.hasSuffix(".csv") ? "text/csv" : "application/vnd.apache.parquet", body: [UInt8](data),
                           headers: [("Content-Disposition", "attachment; filename=\"\(name)\"")])
    }
}

extension APIResponse {
    func with(status: Int) -> APIResponse {
        var copy = self
        copy.status = status
        return copy
    }
}

/// Answers what no route answers (an unknown path, a method a path does not take, a body too
/// large) in the API's JSON error shape under `/api/`, and as a page elsewhere.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let root: String
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            // A path that exists for other methods answers 405 with the methods it takes.
            let allowed = error.status == .notFound ? routes.methods(for: request.uri.path) : []
            if !allowed.isEmpty {
                let apiError = APIError(status: 405, error: "method not allowed", detail: "\(request.uri.path) takes \(allowed.joined(separator: ", "))",
                                        fix: "see /api/v1/openapi.json")
                var answer = request.uri.path.hasPrefix("/api/") ? APIResponse.error(apiError)
                    : APIResponse.html(PageLayout.page(title: "Method not allowed", active: "", root: root, body: "<p>\(HTML.escape(apiError.detail)).</p>"), status: 405)
                answer.headers.append(("Allow", allowed.joined(separator: ", ")))
                return WarehouseServer.response(answer)
            }
            let status = error.status.code
            let detail = status == 404 ? "no route \(request.method) \(request.uri.path)" : (error.body ?? error.status.reasonPhrase)
            let apiError = APIError(status: status, error: error.status.reasonPhrase.lowercased(), detail: detail,
                                    fix: status == 404 || status == 405 ? "see /api/v1/openapi.json for the routes" : nil)
            if request.uri.path.hasPrefix("/api/") { return WarehouseServer.response(.error(apiError)) }
            let page = PageLayout.page(title: error.status.reasonPhrase, active: "", root: root,
                                       body: "<p>\(HTML.escape(detail)).</p><p><a href=\"/\">Overview</a></p>")
            return WarehouseServer.response(APIResponse.html(page, status: status))
        }
    }
}

/// The routes by method and path pattern (`/api/v1/runs/{id}`), to tell a wrong method from a wrong path.
final class RouteTable: @unchecked Sendable {
    private var routes: [(method: String, segments: [Substring])] = []
    private let lock = NSLock()

    func add(_ method: String, _ path: String) {
        lock.lock()
        routes.append((method, path.split(separator: "/")))
        lock.unlock()
    }

    /// The methods some route takes at `path`, sorted.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        lock.lock()
        defer { lock.unlock() }
        let methods = routes.filter { route in
            route.segments.count == segments.count && zip(route.segments, segments).allSatisfy { $0.hasPrefix("{") || $0.hasPrefix(":") || $0 == $1 }
        }.map(\.method)
        return Array(Set(methods)).sorted()
    }
}

/// Counts every answered request by route and status, with its latency (`GET /api/v1/metrics`).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            metrics.record(route: context.endpointPath ?? "unmatched", status: status, seconds: seconds)
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as HTTPError {
            status = error.status.code
            throw error
        }
    }
}
