import ArgumentParser
import Pipeline
import Warehouse

/// The selection every command that picks assets takes: dbt's grammar, plus `--exclude`.
struct SelectionOptions: ParsableArguments {
    @Argument(help: "Assets to select (see SELECTION below).")
    var selection: [String] = []

    @Option(help: ArgumentHelp("Assets to leave out, in the same grammar (repeatable).", valueName: "SELECTION"))
    var exclude: [String] = []

    /// What the grammar says, for every command's discussion.
    static let grammar = """
        SELECTION (dbt's grammar; a space unions, a comma intersects):
          NAME              one asset: silver.coin_prices, or just coin_prices
          NAME+  NAME+1     it and everything downstream (or 1 hop down)
          +NAME  2+NAME     it and everything upstream (or 2 hops up)
          @NAME             it, everything downstream, and everything those read
          layer:silver      a whole layer
          tag:crypto        assets with a tag
          path:models/      assets declared by files under a folder (or a glob)
          state:modified    assets whose SQL or code changed since their last build (state:new: never built)
          result:error      assets that failed in the last run (success, skipped, blocked; warn, fail for checks)
          'silver.*'        a glob (quote it for the shell)
          tag:crypto,layer:gold   both at once
          --exclude SEL     leave out what SEL selects
        """

    /// The assets selected in graph order; every asset when nothing is named and `everything` is true.
    func resolve(with app: Pipeline, everything: Bool = false) throws -> [AssetKey] {
        if selection.isEmpty && everything && exclude.isEmpty { return try app.graph().order }
        let terms = selection.isEmpty && everything ? ["*"] : selection
        return try app.resolve(try Selection(parsing: terms, exclude: exclude))
    }
}
