import Warehouse

/// What a staging window holds: the exchanges and base assets present, the rows of each, and
/// the raw files the rows came from. `--list-only` prints it; an export writes it into the run
/// metadata.
public struct StageInventory: Equatable, Sendable {
    /// A raw file that contributed rows.
    public struct SourceFile: Equatable, Sendable {
        /// Relative to the warehouse root, e.g. `raw/2026-12-03/binance/ws_ticker/main-120000.jsonl`.
        public let path: String
        /// The file's sha256 as silver recorded it when it read the file (nil when it recorded none).
        public let sha256: String?
        public let rows: Int
    }

    /// Rows per exchange and base asset.
    public let rowsByExchangeAsset: [String: [String: Int]]
    /// Sorted by path.
    public let sourceFiles: [SourceFile]

    /// The exchanges present, sorted.
    public var exchanges: [String] { rowsByExchangeAsset.keys.sorted() }
    /// The base assets present, sorted.
    public var assets: [String] { Set(rowsByExchangeAsset.values.flatMap(\.keys)).sorted() }
    public var rowsByExchange: [String: Int] { rowsByExchangeAsset.mapValues { $0.values.reduce(0, +) } }
    public var rowsByAsset: [String: Int] {
        rowsByExchangeAsset.values.reduce(into: [:]) { totals, assets in for (asset, rows) in assets { totals[asset, default: 0] += rows } }
    }
    public var rows: Int { rowsByExchange.values.reduce(0, +) }
}
