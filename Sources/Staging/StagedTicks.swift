import Warehouse

/// The table a staging export holds, whatever its format: silver's `exchange_ticks` columns
/// with the raw file named by its path (not silver's internal id) and the reception time also
/// written out in ISO 8601, so a file read on its own says where every row came from.
public enum StagedTicks {
    /// The columns, their order in every format, and the SQLite format's key and index.
    public static let layout = TableLayout("exchange_ticks", [
        .init("exchange", .text, notNull: true, "binance, kraken or coinbase"),
        .init("symbol", .text, notNull: true, "unified BASE/QUOTE (XBT is BTC; USD and USDT distinct)"),
        .init("base", .text, notNull: true, "base asset"), .init("quote", .text, notNull: true, "quote asset"),
        .init("bid", .real, "best bid"), .init("ask", .real, "best ask"), .init("last", .real, "last trade price"),
        .init("mid", .real, "(bid + ask) / 2, else the last price"),
        .init("volume", .real, "24h volume in the base asset"),
        .init("exchange_ts", .integer, "the exchange's own time, Unix milliseconds (NULL where the venue sends none)"),
        .init("received_ts", .integer, notNull: true, "when the message or poll was received, Unix milliseconds"),
        .init("received_at", .text, notNull: true, "received_ts as ISO 8601 UTC with milliseconds"),
        .init("source", .text, notNull: true, "ws (a stream message) or poll (a REST ticker)"),
        .init("raw_file", .text, notNull: true, "the raw file the row came from, relative to the warehouse root"),
        .init("raw_line", .integer, notNull: true, "the line of the segment (ws) or the ticker's position in the body (poll), from 1"),
    ], primaryKey: ["exchange", "symbol", "received_ts", "raw_file", "raw_line"], indexes: [.init("exchange_ticks_time", on: ["received_ts"])], withoutRowID: true)

    /// The column names in order.
    public static var columnNames: [String] { layout.columns.map(\.name) }
}
