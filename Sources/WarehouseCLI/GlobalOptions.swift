import ArgumentParser
import Pipeline

/// Options every command that touches a warehouse accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Warehouse root folder (default: $WAREHOUSE_ROOT, else ./data).", valueName: "DIR"))
    var root: String?

    @Flag(name: .long, help: "Log retries, timings and per-asset details to stderr.")
    var verbose = false

    @Flag(name: .long, help: "Print only errors and the final `Done.` line (materialize, check).")
    var quiet = false
}

extension GlobalOptions {
    /// The product wired for the chosen root.
    func pipeline() throws -> Pipeline { try Pipeline(root: root, verbose: verbose) }
}
