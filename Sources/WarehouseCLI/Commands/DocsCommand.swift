import ArgumentParser
import Foundation
import Pipeline
import Warehouse

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Print the data dictionary: every table's columns and what they mean (Markdown), or Datasette's metadata.json.",
        discussion: "warehouse docs --datasette > metadata.json; datasette serve data/silver.sqlite data/gold.sqlite -m metadata.json shows the descriptions and hides the bookkeeping tables.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print Datasette's metadata.json instead of Markdown.")
    var datasette = false

    func run() throws {
        let app = try global.pipeline()
        let dictionary = DataDictionary(graph: try app.graph(), layout: app.layout)
        print(datasette ? Format.json(dictionary.datasette()) : dictionary.markdown(), terminator: datasette ? "\n" : "")
    }
}
