import ArgumentParser
import Foundation
import Pipeline
import Staging
import Warehouse

extension StageRequest.Format: ExpressibleByArgument {}

struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Hand exchange ticks to other tools: export a window of silver.exchange_ticks with its run metadata.",
        subcommands: [StageExportCommand.self])
}

struct StageExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the last N hours of exchange ticks to DIR/staging/<prefix>_<YYYYMMDD_HHMMSS>_last_<N>h[_filters].<format> with a run metadata JSON beside it.",
        discussion: """
            The window is [end - N hours, end), by reception time; end is now unless --end says otherwise, and names the file (UTC). The unique exchanges and assets present are printed; --list-only prints them and writes nothing. Beside the file, <file>.meta.json records the window, the filters, the rows per exchange and asset, the raw files the rows came from, the tool version and the file's sha256 (docs/staging_run_contract.md).
            silver.sqlite is only read; run `warehouse materialize tag:exchanges+` first to take in the newest closed segments. An existing file of the same name is replaced only when it is an earlier staging export.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The window's length in hours (1 or more).")
    var hours: Int

    @Option(help: "sqlite, csv or json.")
    var format: StageRequest.Format = .sqlite

    @Option(help: ArgumentHelp("Only these exchanges, comma-separated.", valueName: "binance,kraken"))
    var exchanges: String?

    @Option(help: ArgumentHelp("Only these base assets, comma-separated.", valueName: "BTC,ETH"))
    var assets: String?

    @Flag(help: "Print the exchanges and assets in the window and write nothing.")
    var listOnly = false

    @Option(help: ArgumentHelp("Write under DIR/staging (default: the warehouse root).", valueName: "DIR"))
    var out: String?

    @Option(help: "The file name's first part.")
    var prefix = "ticks"

    @Option(help: ArgumentHelp("The window's end instead of now, ISO 8601 (e.g. 2026-12-03T12:00:00Z).", valueName: "TIME"))
    var end: String?

    @Flag(help: "Print the run metadata (or, with --list-only, the lists) as JSON on stdout.")
    var json = false

    func run() throws {
        let pipeline = try global.pipeline()
        var windowEnd = pipeline.clock.now
        if let end {
            guard let parsed = ISO8601.parse(end) else {
                throw UsageError(problem: "--end '\(end)' is not an ISO 8601 time", fix: "write it like 2026-12-03T12:00:00Z")
            }
            windowEnd = parsed
        }
        let request = StageRequest(hours: hours, end: windowEnd, exchanges: Self.list(exchanges), assets: Self.list(assets), format: format, prefix: prefix)
        let exporter = StageExporter(layout: pipeline.layout, toolVersion: WarehouseVersion.text)
        let outFolder = out.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL }
        if listOnly {
            let inventory = try exporter.inventory(request)
            if json {
                print(Format.json(["exchanges": inventory.exchanges, "assets": inventory.assets, "rows": inventory.rows,
                                   "rows_by_exchange": inventory.rowsByExchange, "rows_by_asset": inventory.rowsByAsset]))
            } else {
                printLists(request, inventory)
            }
            return
        }
        let run = try exporter.export(request, out: outFolder, now: pipeline.clock.now)
        if json {
            print(String(decoding: run.metadataJSON, as: UTF8.self), terminator: "")
            return
        }
        printLists(request, run.inventory)
        print("Wrote \(Format.count(run.inventory.rows)) ticks (\(Format.count(run.bytes)) bytes, sha256 \(run.sha256)) to \(run.file.path)")
        print("Run metadata: \(run.metadataFile.path)")
    }

    private func printLists(_ request: StageRequest, _ inventory: StageInventory) {
        let start = ISO8601.format(Date(timeIntervalSince1970: Double(request.startMillis) / 1000))
        print("Window \(start) to \(ISO8601.format(request.end)) (last \(request.hours) h): \(Format.count(inventory.rows)) ticks")
        if inventory.rows == 0 {
            print("No ticks in this window\(request.exchanges == nil && request.assets == nil ? "" : " for these filters"); `warehouse materialize tag:exchanges+` takes in newly collected segments.")
        }
        print("Exchanges (\(inventory.exchanges.count)): \(inventory.exchanges.map { "\($0) \(Format.count(inventory.rowsByExchange[$0] ?? 0))" }.joined(separator: ", "))")
        print("Assets (\(inventory.assets.count)): \(inventory.assets.map { "\($0) \(Format.count(inventory.rowsByAsset[$0] ?? 0))" }.joined(separator: ", "))")
    }

    private static func list(_ text: String?) -> [String]? {
        text.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
    }
}
