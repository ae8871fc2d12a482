import ArgumentParser
import Foundation
import Warehouse

extension TableExporter.Format: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a silver or gold table to Parquet (GZIP, typed columns, statistics) or CSV.",
        discussion: "Rows stream in primary-key order, a row group at a time, so memory stays flat for large tables. The file appears whole: it is written aside and renamed.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The asset to export, e.g. gold.research_dataset or silver.coin_prices.")
    var asset: String

    @Option(help: "parquet or csv.")
    var format: TableExporter.Format = .parquet

    @Option(help: ArgumentHelp("Output file (default ROOT/exports/<table>.<format>).", valueName: "FILE"))
    var out: String?

    @Option(help: ArgumentHelp("Write a Hive-style folder partitioned by this column (Parquet only), e.g. date.", valueName: "COLUMN"))
    var partitionBy: String?

    func validate() throws {
        if partitionBy != nil && format != .parquet { throw ValidationError("--partition-by goes with --format parquet.") }
    }

    func run() throws {
        let app = try WarehouseApp(options: global)
        guard let key = AssetKey(parsing: asset), key.layer != .bronze else {
            throw UsageError(description: "'\(asset)' is not a silver or gold asset. To fix this, name one as `warehouse assets` lists it, e.g. gold.research_dataset.")
        }
        let path = app.layout.database(for: key.layer).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw UsageError(description: "\(path) does not exist. To fix this, materialize the asset first: `warehouse materialize +\(key)`.")
        }
        let url = out.map { URL(fileURLWithPath: $0) }
            ?? app.layout.exportsDirectory.appendingPathComponent(partitionBy == nil ? "\(key.name).\(format.rawValue)" : key.name)
        let started = Date()
        let rows: Int
        do {
            rows = try TableExporter(database: try Database(path: path, readOnly: true), table: key.name)
                .export(to: url, format: format, partitionBy: partitionBy)
        } catch let error as ExportError {
            throw UsageError(description: error.description)
        }
        print("Exported \(Format.count(rows)) rows of \(key) to \(url.path) in \(Format.seconds(Date().timeIntervalSince(started))).")
    }
}
