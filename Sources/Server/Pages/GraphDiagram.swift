import Warehouse

/// The asset graph drawn as a layered diagram, bronze on the left to gold on the right: a
/// column per depth (the longest path from a source), each node a link to its asset page,
/// coloured by its state.
struct GraphDiagram {
    let graph: AssetGraph
    /// Asset -> state (`ok`, `stale`, `failed_checks`, `unchecked`, `never`).
    let states: [AssetKey: String]
    /// The assets drawn (a lineage); nil draws them all.
    var only: Set<AssetKey>? = nil
    /// Where a node links to: the dashboard's asset page, or a static docs page.
    var link: (AssetKey) -> String = { "/assets/\(HTML.component($0.description))" }

    static let nodeWidth = 210.0, nodeHeight = 26.0, columnGap = 60.0, rowGap = 10.0

    func render() -> String {
        let drawn = graph.order.filter { only?.contains($0) ?? true }
        var depth: [AssetKey: Int] = [:]
        for key in drawn { depth[key] = (graph[key]!.upstreams.compactMap { depth[$0] }.max() ?? -1) + 1 }
        let columns = Dictionary(grouping: drawn) { depth[$0]! }
        let maxRows = columns.values.map(\.count).max() ?? 1
        let width = Double(columns.count) * (Self.nodeWidth + Self.columnGap) + 20
        let height = Double(maxRows) * (Self.nodeHeight + Self.rowGap) + 20
        var position: [AssetKey: (x: Double, y: Double)] = [:]
        for (column, keys) in columns {
            let offset = (Double(maxRows - keys.count) * (Self.nodeHeight + Self.rowGap)) / 2
            for (row, key) in keys.sorted(by: { ($0.layer, $0.name) < ($1.layer, $1.name) }).enumerated() {
                position[key] = (10 + Double(column) * (Self.nodeWidth + Self.columnGap), 10 + offset + Double(row) * (Self.nodeHeight + Self.rowGap))
            }
        }
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" class=\"graph\" role=\"img\" aria-label=\"asset graph\"><title>asset graph</title>"
        for key in drawn {
            guard let to = position[key] else { continue }
            for upstream in graph[key]!.upstreams {
                guard let from = position[upstream] else { continue }
                let x1 = from.x + Self.nodeWidth, y1 = from.y + Self.nodeHeight / 2, x2 = to.x, y2 = to.y + Self.nodeHeight / 2
                let mid = (x1 + x2) / 2
                svg += "<path class=\"edge\" d=\"M\(Int(x1)),\(Int(y1)) C\(Int(mid)),\(Int(y1)) \(Int(mid)),\(Int(y2)) \(Int(x2)),\(Int(y2))\"/>"
            }
        }
        for key in drawn {
            guard let at = position[key] else { continue }
            let state = states[key] ?? "never"
            let stroke = ["ok": "var(--good)", "stale": "var(--warn)", "unchecked": "var(--warn)", "failed_checks": "var(--bad)"][state] ?? "var(--muted)"
            let fill = ["bronze": "var(--bronze)", "silver": "var(--silver)", "gold": "var(--gold)"][key.layer.rawValue]!
            svg += """
                <a href="\(link(key))" class="node" data-asset="\(key)" data-state="\(state)">\
                <rect x="\(Int(at.x))" y="\(Int(at.y))" width="\(Int(Self.nodeWidth))" height="\(Int(Self.nodeHeight))" rx="6" \
                fill="\(fill)" fill-opacity=".16" stroke="\(stroke)"\(state == "never" ? " stroke-dasharray=\"4 3\"" : "")/>\
                <text x="\(Int(at.x + 8))" y="\(Int(at.y + 17))">\(HTML.escape(key.description))</text></a>
                """
        }
        return svg + "</svg>"
    }
}
