import ArgumentParser
import Foundation
import Pipeline
import Warehouse

extension TableExporter.Format: ExpressibleByArgument {}
extension ParquetCodec: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a silver or gold table to Parquet (ZSTD by default, typed columns, statistics) or CSV.",
        discussion: """
            Rows stream in primary-key order, a row group at a time, so memory stays flat for large tables. The file appears whole: it is written aside and renamed.

            --out naming a folder (or ending in /) writes FOLDER/<table>.<format> inside it. An existing file is replaced only when it is an earlier export of this warehouse, or with --force; a folder only when it is an earlier partitioned export. Warehouse databases and the raw layer are never written to.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The asset to export, e.g. gold.research_dataset or silver.coin_prices.")
    var asset: String

    @Option(help: "parquet or csv.")
    var format: TableExporter.Format = .parquet

    @Option(help: ArgumentHelp("Output file or folder (default ROOT/exports/<table>.<format>).", valueName: "PATH"))
    var out: String?

    @Flag(help: "Print what was written as JSON on stdout.")
    var json = false

    @Flag(help: "Replace an existing file at --out even when it is not an earlier export.")
    var force = false

    @Option(help: "Parquet page compression: zstd, snappy, gzip or none.")
    var compression: ParquetCodec = .zstd

    @Option(help: ArgumentHelp("Write a Hive-style folder partitioned by this column (Parquet only), e.g. date; month or year split by the date column.", valueName: "COLUMN"))
    var partitionBy: String?

    func validate() throws {
        if partitionBy != nil && format != .parquet { throw ValidationError("--partition-by goes with --format parquet.") }
    }

    func run() throws {
        let app = try global.pipeline()
        guard let key = AssetKey(parsing: asset), key.layer != .bronze else {
            throw UsageError(problem: "'\(asset)' is not a silver or gold asset", fix: "name one as `warehouse assets` lists it, e.g. gold.research_dataset")
        }
        let path = app.layout.database(for: key.layer).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw UsageError(problem: "\(path) does not exist", fix: "materialize the asset first: `warehouse materialize +\(key)`")
        }
        let started = Date()
        let ledger = ExportLedger(runLog: try RunLog(layout: app.layout))
        let destination = try ExportDestination.resolve(out: out, name: partitionBy == nil ? "\(key.name).\(format.rawValue)" : key.name,
                                                        folder: partitionBy != nil, force: force, layout: app.layout, ledger: ledger)
        let database = try Database(path: path, readOnly: true)
        let version = try MaterializationLog.latest(key, in: database)
        let metadata = try app.graph()[key].map { TableExporter.metadata(of: $0, version: version) } ?? [:]
        let rows = try TableExporter(database: database, table: key.name, metadata: metadata)
            .export(to: destination, format: format, partitionBy: partitionBy, ledger: ledger, codec: compression)
        let seconds = Date().timeIntervalSince(started)
        print(json ? Format.json(["asset": key.description, "rows": rows, "path": destination.url.path, "format": format.rawValue, "seconds": seconds])
                   : "Exported \(Format.count(rows)) rows of \(key) to \(destination.url.path) in \(Format.seconds(seconds)).")
    }
}
