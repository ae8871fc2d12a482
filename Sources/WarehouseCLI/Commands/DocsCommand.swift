import ArgumentParser
import Foundation
import Pipeline
import Server
import Warehouse

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write the docs site (a page per asset, the lineage graph, manifest.json), or print the manifest, the data dictionary or Datasette's metadata.",
        discussion: """
            warehouse docs                      writes ROOT/docs/ (open index.html; no server, no network)
            warehouse docs --out site           writes ./site/
            warehouse docs --format json        prints the manifest (schema \(Manifest.schema))
            warehouse docs --format markdown    prints the data dictionary
            warehouse docs --datasette > metadata.json; datasette serve data/silver.sqlite data/gold.sqlite -m metadata.json
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case html, json, markdown, datasette
    }

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The folder the site is written to (default: ROOT/docs). A folder holding other files is refused.", valueName: "DIR"))
    var out: String?

    @Option(help: "html writes the site; json, markdown and datasette print to stdout.")
    var format: OutputFormat = .html

    @Flag(help: "Print Datasette's metadata.json (the same as --format datasette).")
    var datasette = false

    func validate() throws {
        if out != nil && (datasette || format != .html) { throw ValidationError("--out writes the html site; --format \(datasette ? "datasette" : format.rawValue) prints to stdout.") }
    }

    func run() throws {
        let app = try global.pipeline()
        let graph = try app.graph()
        switch datasette ? .datasette : format {
        case .datasette: print(Format.json(DataDictionary(graph: graph, layout: app.layout).datasette()))
        case .markdown: print(DataDictionary(graph: graph, layout: app.layout).markdown(), terminator: "")
        case .json: print(Format.json(try Manifest(app).json(generatedAt: app.clock.now)))
        case .html:
            let folder = out.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) }
                ?? app.layout.root.appendingPathComponent("docs")
            let files = try DocsSite(manifest: try Manifest(app).json(generatedAt: app.clock.now), graph: graph).write(to: folder)
            print("Wrote \(files.count) files to \(folder.standardizedFileURL.path)/ (open index.html).")
        }
    }
}
