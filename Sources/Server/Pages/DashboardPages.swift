import Foundation
import Warehouse

/// The dashboard's pages, rendered on the server from the same data the API answers with.
struct DashboardPages {
    let api: WarehouseAPI
    var root: String { api.pipeline.layout.root.path }

    func page(_ title: String, _ active: String, _ body: String) -> APIResponse {
        .html(PageLayout.page(title: title, active: active, root: root, body: body))
    }

    /// A page whose data is missing says what to do instead of failing.
    func guarded(_ title: String, _ active: String, _ body: () throws -> String) -> APIResponse {
        do {
            return page(title, active, try body())
        } catch {
            let error = APIError.from(error)
            return APIResponse.html(PageLayout.page(title: title, active: active, root: root, body: """
                <div class="card"><div class="label">\(HTML.escape(error.error))</div><p>\(HTML.escape(error.detail))</p>\
                \(error.fix.map { "<p class=\"muted\">To fix this, \(HTML.escape($0)).</p>" } ?? "")</div>
                """), status: error.status)
        }
    }

    static func table(_ headers: [(String, Bool)], _ rows: [[String]], id: String? = nil) -> String {
        let head = headers.map { "<th\($0.1 ? " class=\"num\"" : "")>\($0.0)</th>" }.joined()
        let body = rows.map { row in
            "<tr>" + zip(row, headers).map { "<td\($1.1 ? " class=\"num\"" : "")>\($0)</td>" }.joined() + "</tr>"
        }.joined()
        return "<div class=\"scroll\"><table\(id.map { " id=\"\($0)\"" } ?? "")><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table></div>"
    }

    static func card(_ label: String, _ value: String, id: String? = nil) -> String {
        "<div class=\"card\"\(id.map { " id=\"\($0)\"" } ?? "")><div class=\"label\">\(label)</div><div class=\"value\">\(value)</div></div>"
    }

    /// The form that starts a run: the token is typed each time and never written into a page.
    func runForm(selection: String = "--all") -> String {
        guard api.token != nil else {
            return "<p class=\"muted\">This server is read-only: set WAREHOUSE_API_TOKEN when starting <code>warehouse serve</code> to start runs from here.</p>"
        }
        return """
            <form class="inline" method="post" action="/runs/start">
            <label>Selection <input name="select" value="\(HTML.escape(selection))" size="28" aria-label="selection"></label>
            <label><input type="checkbox" name="refresh" value="true"> refresh</label>
            <label>Token <input type="password" name="token" autocomplete="off" size="18" aria-label="API token"></label>
            <button type="submit">Start a run</button>
            </form>
            """
    }

    // MARK: Overview

    func overview() -> APIResponse {
        guarded("Overview", "/") {
            let health = try api.health()
            let last = health["last_run"] ?? .null
            let failing = health["failed_checks"]?.items ?? []
            let stale = health["stale_assets"]?.items ?? []
            let sources = health["sources"]?.items ?? []
            let fresh = sources.filter { $0["fresh"] == .bool(true) }.count
            var body = "<div class=\"cards\">"
            body += Self.card("Health", HTML.badge(health["status"]?.string ?? "unknown"), id: "health")
            if last != .null {
                let runID = last["run_id"]?.string ?? ""
                body += Self.card("Last run", "<a href=\"/runs/\(HTML.component(runID))\">\(HTML.badge(last["status"]?.string ?? ""))</a>", id: "last-run")
                body += Self.card("Duration", String(format: "%.1f s", last["seconds"]?.double ?? 0), id: "last-duration")
                body += Self.card("Started", HTML.escape((last["started_at"]?.string ?? "").replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")))
            } else {
                body += Self.card("Last run", "none yet", id: "last-run")
            }
            body += Self.card("Failing checks", "<a href=\"/quality\">\(failing.count)</a>", id: "failing-checks")
            body += Self.card("Stale assets", "<a href=\"/assets\">\(stale.count)</a>", id: "stale-assets")
            body += Self.card("Fresh sources", "\(fresh) of \(sources.count)", id: "fresh-sources")
            body += "</div>"
            if !failing.isEmpty {
                body += "<h2>Failing checks</h2>" + Self.table([("Asset", false), ("Check", false), ("Failing rows", true), ("Sample", false)], failing.map { check in
                    [HTML.escape(check["asset"]?.string ?? ""), HTML.escape(check["check"]?.string ?? ""), HTML.number(check["failing_rows"]?.double),
                     HTML.escape(check["sample"]?.items.first?.string ?? "")]
                })
            }
            body += "<h2>Sources</h2>" + Self.table([("Dataset", false), ("Newest fetch", false), ("Age", true), ("Policy", true), ("", false)], sources.map { source in
                [HTML.escape(source["dataset"]?.string ?? ""), HTML.escape(source["newest_fetch"]?.string ?? "never"),
                 source["age_seconds"]?.double.map { String(format: "%.1f h", $0 / 3600) } ?? "–",
                 String(format: "%.0f h", Double(source["policy_seconds"]?.int ?? 0) / 3600),
                 HTML.badge(source["fresh"] == .bool(true) ? "fresh" : "stale")]
            })
            let disk = health["disk"] ?? .null
            body += "<h2>Disk</h2><div class=\"cards\">" + ["raw_bytes": "Raw", "silver_bytes": "Silver", "gold_bytes": "Gold", "exports_bytes": "Exports"]
                .sorted { $0.key < $1.key }.map { Self.card($0.value, HTML.bytes(disk[$0.key]?.int ?? 0)) }.joined() + "</div>"
            body += "<h2>Run</h2>" + runForm()
            return body
        }
    }

    // MARK: Assets

    func assets() -> APIResponse {
        guarded("Assets", "/assets") {
            let statuses = try api.statuses()
            var states: [AssetKey: String] = [:]
            for status in statuses {
                states[status.key] = status.last.map { last in
                    last.status == .failed ? "failed_checks" : last.status == .pending ? "unchecked" : (status.step.willRun ? "stale" : "ok")
                } ?? "never"
            }
            var body = "<p class=\"muted\">Each node is coloured by its state: up to date, stale, unchecked, failed checks, never built (dashed).</p>"
            body += "<div class=\"scroll\">" + GraphDiagram(graph: api.catalog.graph, states: states).render() + "</div>"
            body += "<h2>Every asset</h2>" + Self.table([("Asset", false), ("Layer", false), ("Rows", true), ("Last built", false), ("State", false), ("Why", false)],
                                                         statuses.map { status in
                ["<a href=\"/assets/\(HTML.component(status.key.description))\">\(HTML.escape(status.key.description))</a>", status.key.layer.rawValue,
                 status.last.map { HTML.number(Double($0.rows)) } ?? "–", HTML.escape(status.last?.materializedAt ?? "never"),
                 HTML.badge(states[status.key] ?? "never"), HTML.escape(status.step.reason.description)]
            }, id: "assets")
            return body
        }
    }

    func asset(_ name: String) -> APIResponse {
        guarded(name, "/assets") {
            guard let key = AssetKey(parsing: name), let spec = api.catalog.graph[key] else {
                throw APIError.unknownAsset(name, closest: [])
            }
            let graph = api.catalog.graph
            var body = "<p>\(HTML.escape(spec.summary))</p><div class=\"cards\">"
            body += Self.card("Layer", key.layer.rawValue) + Self.card("Version", "<small>\(HTML.escape(spec.version))</small>")
            body += Self.card("Tags", spec.tags.sorted().map(HTML.escape).joined(separator: ", ")) + "</div>"
            let links = { (keys: [AssetKey]) in keys.isEmpty ? "none" : keys.map { "<a href=\"/assets/\(HTML.component($0.description))\">\(HTML.escape($0.description))</a>" }.joined(separator: ", ") }
            body += "<p>Upstreams: \(links(spec.upstreams.sorted()))<br>Downstreams: \(links((graph.downstreams[key] ?? []).sorted()))</p>"
            let history = try api.materializations(of: key)
            body += "<h2>Last materializations</h2>" + Self.table([("Run", false), ("At", false), ("Rows", true), ("Rejects", true), ("State", false), ("Problem", false)],
                                                                  history.map { row in
                ["<a href=\"/runs/\(HTML.component(row["run_id"]?.rendered ?? ""))\">\(HTML.escape(row["run_id"]?.rendered ?? ""))</a>", HTML.escape(row["materialized_at"]?.rendered ?? ""),
                 HTML.number(row["rows"]?.double), HTML.number(row["rejects"]?.double), HTML.badge(row["status"]?.rendered ?? ""), HTML.escape(row["problem"]?.rendered ?? "")]
            })
            let checks = (try api.checks()["checks"]?.items ?? []).filter { $0["asset"]?.string == key.description }
            if !spec.checks.isEmpty {
                body += "<h2>Checks</h2>" + Self.table([("Check", false), ("Thresholds", false), ("Latest", false), ("Failing rows", true)], spec.checks.map { check in
                    let latest = checks.first { $0["check"]?.string == check.name }
                    return [HTML.escape(check.name), HTML.escape(check.thresholds), latest.map { HTML.badge($0["status"]?.string ?? "") } ?? "not run",
                            HTML.number(latest?["failing_rows"]?.double)]
                })
            }
            guard key.layer != .bronze else { return body }
            let schema = try api.schema(key.description)
            body += "<h2>Columns</h2>" + Self.table([("Column", false), ("Type", false), ("Description", false)], (schema["columns"]?.items ?? []).map { column in
                [HTML.escape(column["name"]?.string ?? "") + ((schema["primary_key"]?.items ?? []).contains(column["name"] ?? .null) ? " <span class=\"muted\">key</span>" : ""),
                 HTML.escape(column["type"]?.string ?? ""), HTML.escape(column["description"]?.string ?? "")]
            }, id: "columns")
            let sample = try api.table(key.description, parameters: [("limit", "20")])
            let columns = (sample["columns"]?.items ?? []).compactMap(\.string)
            body += "<h2>Sample rows</h2>" + Self.table(columns.map { ($0, false) }, (sample["rows"]?.items ?? []).map { row in
                columns.map { HTML.escape(row[$0]?.string ?? "") }
            }, id: "sample")
            body += "<p><a href=\"/api/v1/tables/\(HTML.component(key.description))\">JSON</a>"
            for file in spec.exports { body += " · <a href=\"/exports/\(HTML.component(file))\">\(HTML.escape(file))</a>" }
            body += spec.exports.isEmpty ? " · Parquet: <code>warehouse export \(HTML.escape(key.description))</code>" : ""
            return body + "</p>"
        }
    }

    // MARK: Runs

    func runs() -> APIResponse {
        guarded("Runs", "/runs") {
            let runs = try api.runs(limit: "100")["runs"]?.items ?? []
            var body = runForm()
            body += "<h2>History</h2>" + Self.table([("Run", false), ("Started", false), ("Status", false), ("Built", true), ("Skipped", true), ("Failed", true),
                                                    ("Rows", true), ("Requests", true), ("Seconds", true)], runs.map { run in
                let id = run["run_id"]?.string ?? ""
                return ["<a href=\"/runs/\(HTML.component(id))\">\(HTML.escape(id))</a>", HTML.escape(run["started_at"]?.string ?? ""), HTML.badge(run["status"]?.string ?? ""),
                        HTML.number(run["assets_run"]?.double), HTML.number(run["assets_skipped"]?.double), HTML.number(run["assets_failed"]?.double),
                        HTML.number(run["rows"]?.double), HTML.number(run["requests"]?.double), String(format: "%.1f", run["seconds"]?.double ?? 0)]
            }, id: "runs")
            return body
        }
    }

    func run(_ id: String) -> APIResponse {
        guarded("Run \(id)", "/runs") {
            let run = try api.run(id)
            let assets = run["assets"]?.items ?? []
            var body = "<div class=\"cards\">" + Self.card("Status", HTML.badge(run["status"]?.string ?? ""), id: "run-status")
            body += Self.card("Started", HTML.escape(run["started_at"]?.string ?? "")) + Self.card("Seconds", String(format: "%.1f", run["seconds"]?.double ?? 0))
            body += Self.card("Rows", HTML.number(run["rows"]?.double)) + Self.card("Requests", HTML.number(run["requests"]?.double)) + "</div>"
            body += "<p class=\"muted\">\(HTML.escape(run["command"]?.string ?? ""))</p>"
            body += "<h2>Timeline</h2>" + Self.gantt(assets)
            body += "<h2>Assets</h2>" + Self.table([("Asset", false), ("Status", false), ("Why", false), ("Rows", true), ("Seconds", true), ("Error", false)], assets.map { asset in
                ["<a href=\"/assets/\(HTML.component(asset["asset"]?.string ?? ""))\">\(HTML.escape(asset["asset"]?.string ?? ""))</a>", HTML.badge(asset["status"]?.string ?? ""),
                 HTML.escape(asset["reason"]?.string ?? ""), HTML.number(asset["rows"]?.double), String(format: "%.2f", asset["seconds"]?.double ?? 0),
                 HTML.escape(String((asset["error"]?.string ?? "").prefix(200)))]
            }, id: "run-assets")
            let checks = (run["checks"]?.items ?? []).filter { $0["status"]?.string != "pass" }
            if !checks.isEmpty {
                body += "<h2>Checks that did not pass</h2>" + Self.table([("Asset", false), ("Check", false), ("Status", false), ("Failing rows", true)], checks.map { check in
                    [HTML.escape(check["asset"]?.string ?? ""), HTML.escape(check["check"]?.string ?? ""), HTML.badge(check["status"]?.string ?? ""), HTML.number(check["failing_rows"]?.double)]
                })
            }
            return body
        }
    }

    /// Assets run one after another: each bar starts where the previous ended.
    static func gantt(_ assets: [JSONBody]) -> String {
        let total = max(assets.compactMap { $0["seconds"]?.double }.reduce(0, +), 0.001)
        let rowHeight = 18.0, labelWidth = 230.0, width = 900.0
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(Double(assets.count) * rowHeight + 24))\" role=\"img\" aria-label=\"run timeline\"><title>run timeline</title>"
        var start = 0.0
        for (i, asset) in assets.enumerated() {
            let seconds = asset["seconds"]?.double ?? 0
            let y = Double(i) * rowHeight + 4
            let x = labelWidth + start / total * (width - labelWidth - 10)
            let w = max(1.5, seconds / total * (width - labelWidth - 10))
            let color = ["success": "var(--good)", "failed": "var(--bad)", "blocked": "var(--bad)"][asset["status"]?.string ?? ""] ?? "var(--muted)"
            svg += "<text x=\"0\" y=\"\(Int(y + 12))\">\(HTML.escape(asset["asset"]?.string ?? ""))</text>"
            svg += "<rect x=\"\(String(format: "%.1f", x))\" y=\"\(Int(y + 2))\" width=\"\(String(format: "%.1f", w))\" height=\"12\" rx=\"2\" fill=\"\(color)\"><title>\(String(format: "%.2f s", seconds))</title></rect>"
            start += seconds
        }
        svg += "<text x=\"\(Int(width - 10))\" y=\"\(Int(Double(assets.count) * rowHeight + 20))\" text-anchor=\"end\">\(String(format: "%.1f s", total))</text>"
        return "<div class=\"scroll\">" + svg + "</svg></div>"
    }
}
