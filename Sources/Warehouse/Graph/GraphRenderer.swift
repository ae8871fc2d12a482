/// Text renderings of the asset graph for `warehouse graph` and the docs.
public enum GraphFormat: String, CaseIterable, Sendable {
    case mermaid, dot
}

extension AssetGraph {
    /// The graph in Mermaid or Graphviz syntax: one node per asset, grouped by layer, edges
    /// upstream -> downstream. With `only`, just those assets, plus each one's direct upstreams
    /// outside the set drawn dashed as context, so a part of the graph still shows what it reads.
    public func render(_ format: GraphFormat, only: Set<AssetKey>? = nil) -> String {
        let shown = only ?? Set(order)
        let context = Set(shown.flatMap { specs[$0]?.upstreams ?? [] }).subtracting(shown)
        let nodes = order.filter { shown.contains($0) || context.contains($0) }
        let edges = order.filter(shown.contains).flatMap { key in specs[key]!.upstreams.sorted().map { ($0, key) } }
        func id(_ key: AssetKey) -> String { key.description.replacingOccurrences(of: ".", with: "_") }
        var lines: [String] = []
        switch format {
        case .mermaid:
            lines.append("graph LR")
            for layer in Layer.allCases {
                let keys = nodes.filter { $0.layer == layer }
                guard !keys.isEmpty else { continue }
                lines.append("  subgraph \(layer.rawValue)")
                for key in keys { lines.append("    \(id(key))[\"\(key)\"]" + (context.contains(key) ? ":::context" : "")) }
                lines.append("  end")
            }
            for (upstream, key) in edges { lines.append("  \(id(upstream)) --> \(id(key))") }
            if !context.isEmpty { lines.append("  classDef context stroke-dasharray: 4 4,color:#777") }
        case .dot:
            lines.append("digraph warehouse {")
            lines.append("  rankdir=LR;")
            for layer in Layer.allCases {
                let keys = nodes.filter { $0.layer == layer }
                guard !keys.isEmpty else { continue }
                lines.append("  subgraph cluster_\(layer.rawValue) {")
                lines.append("    label=\"\(layer.rawValue)\";")
                for key in keys { lines.append("    \"\(key)\"" + (context.contains(key) ? " [style=dashed, fontcolor=gray40]" : "") + ";") }
                lines.append("  }")
            }
            for (upstream, key) in edges { lines.append("  \"\(upstream)\" -> \"\(key)\";") }
            lines.append("}")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
