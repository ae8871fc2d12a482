import Pipeline
import ArgumentParser
import Warehouse

extension GraphFormat: ExpressibleByArgument {}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the asset graph as Mermaid or Graphviz dot.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "mermaid or dot.")
    var format: GraphFormat = .mermaid

    @Flag(help: "Print the nodes and edges as JSON on stdout instead.")
    var json = false

    func run() throws {
        let graph = try global.pipeline().graph()
        guard json else {
            print(graph.render(format), terminator: "")
            return
        }
        print(Format.json([
            "nodes": graph.order.map { ["asset": $0.description, "layer": $0.layer.rawValue] },
            "edges": graph.order.flatMap { key in graph[key]!.upstreams.sorted().map { ["from": $0.description, "to": key.description] } },
        ]))
    }
}
