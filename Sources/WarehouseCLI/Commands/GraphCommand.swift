import Pipeline
import ArgumentParser
import Foundation
import Warehouse

extension GraphFormat: ExpressibleByArgument {}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the asset graph (or the part a selection picks) as Mermaid or Graphviz dot.",
        discussion: """
            With a selection, only those assets are drawn, each with its direct upstreams dashed as context.
            --diagrams DIR writes the exchange system's stage diagrams (DIR/<n>_<stage>/assets.mmd, and the collector's protocol in 2_ingestion), as docs/diagrams holds them.

            """ + SelectionOptions.grammar)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var select: SelectionOptions

    @Option(help: "mermaid or dot.")
    var format: GraphFormat = .mermaid

    @Flag(help: "Print the nodes and edges as JSON on stdout instead.")
    var json = false

    @Option(help: ArgumentHelp("Write the stage diagrams (Mermaid) under this folder instead of printing.", valueName: "DIR"))
    var diagrams: String?

    func validate() throws {
        if diagrams != nil, !select.selection.isEmpty || json {
            throw ValidationError("--diagrams writes every stage's diagram: leave out the selection and --json.")
        }
    }

    func run() throws {
        let pipeline = try global.pipeline()
        if let diagrams {
            let folder = URL(fileURLWithPath: diagrams, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            for path in try StageDiagrams(pipeline: pipeline).write(to: folder) { print("Wrote \(path)") }
            return
        }
        let graph = try pipeline.graph()
        let keys = select.selection.isEmpty && select.exclude.isEmpty ? graph.order : try select.resolve(with: pipeline, everything: true)
        let shown = Set(keys)
        guard json else {
            print(graph.render(format, only: keys.count == graph.order.count ? nil : shown), terminator: "")
            return
        }
        print(Format.json([
            "nodes": keys.map { ["asset": $0.description, "layer": $0.layer.rawValue] },
            "edges": keys.flatMap { key in graph[key]!.upstreams.sorted().filter(shown.contains).map { ["from": $0.description, "to": key.description] } },
        ]))
    }
}
