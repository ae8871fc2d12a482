import ArgumentParser

/// `warehouse`: the command-line entry point.
struct WarehouseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warehouse",
        abstract: "Build a local market-data warehouse: raw JSON (bronze) -> SQLite staging (silver) -> indexed marts (gold).",
        discussion: """
            Every table is an asset in a graph. `materialize` builds a selection in dependency order and skips what is up to date. A built-in market emulator on 127.0.0.1 stands in for every API whose <SOURCE>_BASE_URL is not set (none is, by default), so everything works offline.

            Start here:
              warehouse materialize --all
              warehouse assets
              warehouse materialize silver.coin_prices+ --plan
              sqlite3 data/gold.sqlite 'select * from crypto_analytics_mart limit 5'
            """,
        version: WarehouseVersion.text,
        subcommands: [LsCommand.self, AssetsCommand.self, GraphCommand.self, MaterializeCommand.self, CheckCommand.self, RunsCommand.self, RetryCommand.self, ScheduleCommand.self,
                      RawCommand.self, ExportCommand.self, PublishCommand.self, BaselineCommand.self, ConfigCommand.self, DocsCommand.self, ServeCommand.self, CollectCommand.self, StageCommand.self, EmulatorCommand.self, BenchCommand.self]
    )
}
