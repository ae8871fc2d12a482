import Foundation
import Pipeline
import Warehouse

/// `warehouse docs`: a static site drawn from the manifest, readable offline from the file
/// system (no server, no network): an index with the whole lineage graph, and a page per
/// asset with its description, columns, upstreams and downstreams (its own lineage), checks
/// and their latest results, and its SQL. `manifest.json` is written beside it.
public struct DocsSite {
    let manifest: [String: Any]
    let graph: AssetGraph

    /// The marker that says a folder holds a site this command wrote, and which files.
    static let marker = ".warehouse-docs"

    public init(manifest: [String: Any], graph: AssetGraph) {
        self.manifest = manifest
        self.graph = graph
    }

    /// Writes the site into `folder` and returns the files written, relative to it. A file of
    /// an earlier site that is no longer part of it is removed; nothing else in the folder is touched.
    /// - Throws: `DocsSiteError.notASite` for a folder that holds files but no earlier site.
    @discardableResult
    public func write(to folder: URL) throws -> [String] {
        let markerURL = folder.appendingPathComponent(Self.marker)
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let previous = (try? String(contentsOf: markerURL, encoding: .utf8))?.split(separator: "\n").map(String.init)
        if !existing.isEmpty && previous == nil { throw DocsSiteError.notASite(folder.path) }
        var files: [(String, Data)] = [("index.html", Data(index().utf8))]
        for key in graph.order { files.append(("assets/\(key).html", Data(page(for: key).utf8))) }
        files.append(("manifest.json", try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("assets"), withIntermediateDirectories: true)
        for (path, data) in files { try AtomicFile.write(data, to: folder.appendingPathComponent(path)) }
        let written = files.map(\.0)
        for stale in (previous ?? []) where !written.contains(stale) {
            // Only a page of an earlier site, as this writes them: never a file the marker merely names.
            let url = folder.appendingPathComponent(stale)
            guard Self.isPage(stale), let text = try? String(contentsOf: url, encoding: .utf8),
                  text.contains("<meta name=\"generator\" content=\"\(PageLayout.generator)\">") else { continue }
            try? FileManager.default.removeItem(at: url)
        }
        try AtomicFile.write(Data(written.joined(separator: "\n").utf8), to: markerURL)
        return written
    }

    /// `assets/NAME.html`, the one kind of file an asset that left the graph leaves behind.
    static func isPage(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0] == "assets" && parts[1].hasSuffix(".html") && !parts[1].hasPrefix(".")
            && parts[1].allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) }
    }

    private var assets: [String: [String: Any]] { manifest["assets"] as? [String: [String: Any]] ?? [:] }

    private func state(_ key: AssetKey) -> String {
        guard let asset = assets[key.description], let last = asset["last_materialization"] as? [String: Any] else { return "never" }
        switch last["status"] as? String {
        case "failed": return "failed_checks"
        case "pending": return "unchecked"
        default: return (asset["stale"] as? Bool ?? false) ? "stale" : "ok"
        }
    }

    private var states: [AssetKey: String] { Dictionary(uniqueKeysWithValues: graph.order.map { ($0, state($0)) }) }

    private func layout(_ title: String, depth: Int, body: String) -> String {
        let up = String(repeating: "../", count: depth)
        let root = (manifest["metadata"] as? [String: Any])?["root"] as? String ?? ""
        return PageLayout.page(title: title, active: "", root: root, body: body,
                               sections: [("\(up)index.html", "Lineage"), ("\(up)manifest.json", "manifest.json")])
    }

    func index() -> String {
        var body = "<p class=\"muted\">Generated from the asset declarations of this root. Each node links to its page and is coloured by its state.</p>"
        body += "<div class=\"scroll\" id=\"lineage\">" + GraphDiagram(graph: graph, states: states, link: { "assets/\($0).html" }).render() + "</div>"
        body += "<h2>Assets</h2>" + DashboardPages.table([("Asset", false), ("Description", false), ("Declared in", false), ("Checks", true), ("State", false)],
                                                          graph.order.map { key in
            let asset = assets[key.description] ?? [:]
            return ["<a href=\"assets/\(key).html\">\(HTML.escape(key.description))</a>", HTML.escape(asset["description"] as? String ?? ""),
                    HTML.escape(asset["source"] as? String ?? "Swift"), String((asset["checks"] as? [Any])?.count ?? 0), HTML.badge(state(key))]
        }, id: "assets")
        return layout("Warehouse docs", depth: 0, body: body)
    }

    func page(for key: AssetKey) -> String {
        let asset = assets[key.description] ?? [:]
        let link = { (name: String) in "<a href=\"\(HTML.escape(name)).html\">\(HTML.escape(name))</a>" }
        let list = { (names: [String]) in names.isEmpty ? "none" : names.map(link).joined(separator: ", ") }
        var body = "<p>\(HTML.escape(asset["description"] as? String ?? ""))</p><div class=\"cards\">"
        body += DashboardPages.card("Layer", key.layer.rawValue) + DashboardPages.card("State", HTML.badge(state(key)))
        body += DashboardPages.card("Tags", ((asset["tags"] as? [String]) ?? []).map(HTML.escape).joined(separator: ", "))
        body += DashboardPages.card("Declared in", "<small>\(HTML.escape(asset["source"] as? String ?? "Swift"))</small>") + "</div>"
        body += "<p id=\"upstreams\">Upstreams: \(list(asset["upstreams"] as? [String] ?? []))</p>"
        body += "<p id=\"downstreams\">Downstreams: \(list(asset["downstreams"] as? [String] ?? []))</p>"
        let lineage = graph.ancestors(of: key).union(graph.descendants(of: key)).union([key])
        body += "<h2>Lineage</h2><div class=\"scroll\" id=\"lineage\">"
            + GraphDiagram(graph: graph, states: states, only: lineage, link: { "\($0).html" }).render() + "</div>"
        if let columns = asset["columns"] as? [[String: Any]], !columns.isEmpty {
            body += "<h2>Columns</h2>" + DashboardPages.table([("Column", false), ("Type", false), ("Description", false)], columns.map { column in
                [HTML.escape(column["name"] as? String ?? ""), HTML.escape(column["type"] as? String ?? ""), HTML.escape(column["description"] as? String ?? "")]
            }, id: "columns")
        }
        if let checks = asset["checks"] as? [[String: Any]], !checks.isEmpty {
            body += "<h2>Checks</h2>" + DashboardPages.table([("Check", false), ("Declaration", false), ("Thresholds", false), ("Latest", false), ("Failing rows", true)],
                                                             checks.map { check in
                let latest = check["latest"] as? [String: Any]
                return [HTML.escape(check["name"] as? String ?? ""), "<code>\(HTML.escape(check["declaration"] as? String ?? ""))</code>",
                        HTML.escape(check["thresholds"] as? String ?? ""), latest.map { HTML.badge($0["status"] as? String ?? "") } ?? "not run",
                        (latest?["failing_rows"] as? Int).map(String.init) ?? "–"]
            }, id: "checks")
        }
        if let sql = asset["sql"] as? String {
            body += "<h2>SQL</h2><pre class=\"sql\" id=\"sql\"><code>\(HTML.escape(sql))</code></pre>"
        }
        return layout(key.description, depth: 1, body: body)
    }
}

/// A docs folder that cannot be written.
public enum DocsSiteError: WarehouseError {
    case notASite(String)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .notASite(let path):
            return ("\(path) holds files that are not a docs site this command wrote, and none of them is replaced", "choose an empty or new folder with --out")
        }
    }
}
