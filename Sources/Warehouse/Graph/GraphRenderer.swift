/// Text renderings of the asset graph for `warehouse graph` and the docs.
public enum GraphFormat: String, CaseIterable, Sendable {
    case mermaid, dot
}

extension AssetGraph {
    /// The graph in Mermaid or Graphviz syntax: one node per asset, grouped by layer, edges upstream -> downstream.
    public func render(_ format: GraphFormat) -> String {
        func id(_ key: AssetKey) -> String { key.description.replacingOccurrences(of: ".", with: "_") }
        var lines: [String] = []
        switch format {
        case .mermaid:
            lines.append("graph LR")
            for layer in Layer.allCases {
                let keys = order.filter { $0.layer == layer }
                guard !keys.isEmpty else { continue }
                lines.append("  subgraph \(layer.rawValue)")
                for key in keys { lines.append("    \(id(key))[\"\(key)\"]") }
                lines.append("  end")
            }
            for key in order { for upstream in specs[key]!.upstreams.sorted() { lines.append("  \(id(upstream)) --> \(id(key))") } }
        case .dot:
            lines.append("digraph warehouse {")
            lines.append("  rankdir=LR;")
            for layer in Layer.allCases {
                let keys = order.filter { $0.layer == layer }
                guard !keys.isEmpty else { continue }
                lines.append("  subgraph cluster_\(layer.rawValue) {")
                lines.append("    label=\"\(layer.rawValue)\";")
                for key in keys { lines.append("    \"\(key)\";") }
                lines.append("  }")
            }
            for key in order { for upstream in specs[key]!.upstreams.sorted() { lines.append("  \"\(upstream)\" -> \"\(key)\";") } }
            lines.append("}")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
