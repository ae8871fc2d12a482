import ArgumentParser
import Foundation
import Pipeline
import Warehouse

/// `warehouse ls`: what a selection resolves to, before running anything.
struct LsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "Print the assets a selection resolves to (every asset when none is given), in dependency order.",
        discussion: SelectionOptions.grammar)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: SelectionOptions

    @Flag(help: "Print JSON on stdout: each asset's layer, tags, upstreams and the file that declares it.")
    var json = false

    func run() throws {
        let app = try global.pipeline()
        let graph = try app.graph()
        let keys = try selection.resolve(with: app, everything: true)
        guard json else {
            for key in keys { print(key) }
            return
        }
        print(Format.json(keys.map { key -> [String: Any] in
            let spec = graph[key]!
            return ["asset": key.description, "layer": key.layer.rawValue, "tags": spec.tags.sorted(),
                    "upstreams": spec.upstreams.map(\.description), "source": spec.source as Any]
        }))
    }
}
