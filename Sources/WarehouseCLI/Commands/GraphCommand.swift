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

    func run() throws {
        print(try global.pipeline().graph().render(format), terminator: "")
    }
}
