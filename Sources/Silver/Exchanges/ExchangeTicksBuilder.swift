import Foundation
import Warehouse

/// `silver.exchange_ticks`: one row per ticker an exchange sent, from the stream segments
/// `warehouse collect` writes (`source` ws) and from ticker polls (`source` poll), with the
/// exchange's own timestamp (NULL where the venue sends none, as Kraken's v2 stream and REST
/// ticker) and our reception time, both Unix milliseconds, and the raw file and line it came
/// from. Built incrementally: a closed segment is parsed once and its rows appended.
enum ExchangeTicksBuilder {
    static let layout = TableLayout("exchange_ticks", [
        .init("exchange", .text, notNull: true, "binance, kraken or coinbase"),
        .init("symbol", .text, notNull: true, "unified BASE/QUOTE (XBT is BTC; USD and USDT stay distinct unless exchanges.quote_as says otherwise; a Kraken venue suffix kept)"),
        .init("base", .text, notNull: true, "base asset"), .init("quote", .text, notNull: true, "quote asset as the venue quotes it"),
        .init("bid", .real, "best bid"), .init("ask", .real, "best ask"), .init("last", .real, "last trade price"),
        .init("mid", .real, "(bid + ask) / 2, else the last price"),
        .init("volume", .real, "24h volume in the base asset"),
        .init("exchange_ts", .integer, "the exchange's own time, Unix milliseconds (NULL where the venue sends none)"),
        .init("received_ts", .integer, notNull: true, "when the message or poll was received, Unix milliseconds"),
        .init("source", .text, notNull: true, "ws (a stream message) or poll (a REST ticker)"),
        .init("raw_line", .integer, notNull: true, "the line of the segment (ws) or the ticker's position in the body (poll), from 1"),
        .rawFile,
    ], primaryKey: ["exchange", "symbol", "received_ts", "raw_file_id", "raw_line"], indexes: [.init("exchange_ticks_time", on: ["received_ts"])], withoutRowID: true)

    /// The datasets read: the polls, and each venue's stream segments.
    static func datasets(venues: [String]) -> [RawDataset] {
        [SilverInputs.exchangeTickers] + venues.map { RawDataset(source: $0, dataset: StreamSegment.tickerDataset) }
    }

    /// - Parameter quoteAs: quotes counted as another in `symbol` (`USDT` -> `USD`).
    static func builder(_ context: BuildContext, venues: [String], quoteAs: [String: String] = [:]) throws -> AppendOnlyBuilder {
        let store = context.raw
        let polls = SnapshotSource.oldestFirst(try store.snapshots(of: SilverInputs.exchangeTickers), store: store)
        let segments = SnapshotSource.oldestFirst(try venues.flatMap { try store.segments(of: RawDataset(source: $0, dataset: StreamSegment.tickerDataset)) }, store: store)
        return AppendOnlyBuilder(context: context, layout: layout, sources: polls + segments) { source, body in
            source.snapshot.isSegment ? try segmentRows(source, body, quoteAs: quoteAs) : try pollRows(source.snapshot, body, source.meta, quoteAs: quoteAs)
        }
    }

    /// A venue symbol's unified columns (symbol, base, quote), nil when no known quote ends it:
    /// worked out once per symbol and file, since a stream repeats a handful of symbols.
    typealias Unified = (symbol: SQLValue, base: SQLValue, quote: SQLValue)?

    /// Adds a ticker's row to `parsed`, or rejects it there saying why.
    private static func add(_ ticker: StreamTicker, at locator: ParsedRows.Locator, to parsed: inout ParsedRows, exchange: SQLValue, received: Int64,
                            source: SQLValue, line: Int, quoteAs: [String: String], symbols: inout [String: Unified]) {
        let unified: Unified
        if let known = symbols[ticker.symbol] { unified = known } else {
            unified = ExchangeSymbol.split(ticker.symbol, exchange: exchange.string ?? "").map { base, quote in
                // A venue suffix (Kraken's `AAVE/USD:BTNL`) names a different market: keep it.
                let venue = ticker.symbol.firstIndex(of: ":").map { String(ticker.symbol[$0...]) } ?? ""
                return (.text("\(base)/\(quoteAs[quote] ?? quote)\(venue)"), .text(base), .text(quote))
            }
            symbols[ticker.symbol] = unified
        }
        guard let unified else { return parsed.reject(locator.description, "symbol \(ticker.symbol) has no known quote currency") }
        guard ticker.bid != nil || ticker.ask != nil || ticker.last != nil else { return parsed.reject(locator.description, "no bid, ask or last price") }
        func unpriced(_ name: String, _ value: Double?) -> Bool {
            guard let value, !(value > 0 && value < 1e15) else { return false }
            parsed.reject(locator.description, "\(name) \(value) of \(ticker.symbol) is not a price above 0")
            return true
        }
        if unpriced("bid", ticker.bid) || unpriced("ask", ticker.ask) || unpriced("last", ticker.last) { return }
        let mid = ticker.bid.flatMap { bid in ticker.ask.map { (bid + $0) / 2 } } ?? ticker.last
        parsed.add(locator) { values in
            values.append(exchange); values.append(unified.symbol); values.append(unified.base); values.append(unified.quote)
            values.append(ticker.bid.sqlValue); values.append(ticker.ask.sqlValue); values.append(ticker.last.sqlValue); values.append(mid.sqlValue)
            values.append(ticker.volume.sqlValue); values.append(ticker.exchangeMillis.map(SQLValue.integer) ?? .null)
            values.append(.integer(received)); values.append(source); values.append(.integer(Int64(line)))
        }
    }

    private static let ws = SQLValue.text("ws"), poll = SQLValue.text("poll")

    /// The ticks of one closed segment: stream messages, and the REST answers polled into it
    /// (lines marked `poll`); events and control messages hold none. Each message is unescaped
    /// into one reused buffer and read there, no String made of it; a message with one bad
    /// ticker is rejected whole.
    static func segmentRows(_ source: SnapshotSource, _ body: Data, quoteAs: [String: String] = [:]) throws -> ParsedRows {
        let exchangeName = source.snapshot.dataset.source
        let exchange = SQLValue.text(exchangeName)
        var parsed = ParsedRows()
        var symbols: [String: Unified] = [:]
        var message: [UInt8] = [], tickers: [StreamTicker] = []
        StreamSegment.forEachLine(in: body) { bytes, number in
            do {
                var raw: (raw: UnsafeRawBufferPointer, escaped: Bool)?
                let line = try StreamSegment.parse(bytes, message: &raw)
                guard let raw else { return }
                message.removeAll(keepingCapacity: true)
                if raw.escaped {
                    do { try JSONCursor(bytes).decodeEscaped(raw.raw, into: &message) } catch {
                        return parsed.reject("line \(number)", "the line's message string holds a broken escape (a \\ not followed by \", \\, /, b, f, n, r, t or four hex digits)")
                    }
                } else {
                    message.append(contentsOf: raw.raw)
                }
                if let poll = line.poll {
                    let product = poll.split(separator: "/").dropFirst().first.map(String.init) ?? ""
                    try polledTickers(exchange: exchangeName, coinbaseProduct: product, body: Data(message)) { name, ticker in
                        let place = "line \(number) \(name)"
                        switch ticker {
                        case .success(let ticker):
                            add(ticker, at: .text(place), to: &parsed, exchange: exchange, received: line.receivedMillis, source: Self.poll, line: number,
                                quoteAs: quoteAs, symbols: &symbols)
                        case .failure(let error): parsed.reject(place, error.message)
                        }
                    }
                    return
                }
                tickers.removeAll(keepingCapacity: true)
                guard try message.withUnsafeBytes({ try StreamMessageReader.read($0, venue: exchangeName) { tickers.append($0) } }) == nil else { return }
                for ticker in tickers {
                    add(ticker, at: .line(number), to: &parsed, exchange: exchange, received: line.receivedMillis, source: Self.ws, line: number,
                        quoteAs: quoteAs, symbols: &symbols)
                }
            } catch {
                parsed.reject("line \(number)", "\(error)")
            }
        }
        return parsed
    }

    /// The tickers of one REST poll snapshot of `bronze.exchange_tickers`.
    static func pollRows(_ snapshot: RawSnapshot, _ body: Data, _ meta: SnapshotSource.Meta?, quoteAs: [String: String] = [:]) throws -> ParsedRows {
        let entity = RawKey.entity(of: snapshot.key).split(separator: "-")
        let exchange = String(entity.first ?? "")
        guard case .integer(let received) = SilverValues.millis(iso: meta?.fetchedAt) else {
            throw SilverParseError(message: "no fetched_at in the metadata: the reception time is unknown")
        }
        var parsed = ParsedRows()
        var position = 0
        var symbols: [String: Unified] = [:]
        try polledTickers(exchange: exchange, coinbaseProduct: entity.dropFirst().joined(separator: "-"), body: body) { locator, ticker in
            position += 1
            switch ticker {
            case .success(let ticker):
                add(ticker, at: .text(locator), to: &parsed, exchange: .text(exchange), received: received, source: Self.poll, line: position,
                    quoteAs: quoteAs, symbols: &symbols)
            case .failure(let error): parsed.reject(locator, error.message)
            }
        }
        return parsed
    }

    /// Calls `each` with every ticker of a REST ticker answer (Binance `/api/v3/ticker/24hr`,
    /// Kraken `/0/public/Ticker`, Coinbase `/products/{id}/ticker`, Advanced Trade's shape too),
    /// named by symbol or position, or with why an entry is not a ticker.
    /// - Throws: `SilverParseError` for a body that is not JSON, a venue's error answer, or an unknown exchange.
    static func polledTickers(exchange: String, coinbaseProduct: String, body: Data,
                              _ each: (String, Result<StreamTicker, SilverParseError>) throws -> Void) throws {
        let document = try SilverValues.document(body, expecting: "a ticker object or array")
        func ticker(_ symbol: String, bid: Double?, ask: Double?, last: Double?, volume: Double?, exchangeTs: SQLValue) -> Result<StreamTicker, SilverParseError> {
            .success(StreamTicker(symbol: symbol, bid: bid, ask: ask, last: last, volume: volume, exchangeMillis: exchangeTs.int.map(Int64.init)))
        }
        switch exchange {
        case "binance":
            let items = document.array ?? [document]
            for (i, item) in items.enumerated() {
                guard let symbol = item["symbol"]?.text else { try each("[\(i)]", .failure(SilverParseError(message: "ticker has no symbol"))); continue }
                let closeTime = item["closeTime"]?.number
                guard closeTime == nil || InputNumber.unixMilliseconds(closeTime!) != nil else {
                    try each(symbol, .failure(SilverParseError(message: "closeTime \(closeTime!) is not a Unix time in milliseconds between 1970 and 2200")))
                    continue
                }
                try each(symbol, ticker(symbol, bid: item["bidPrice"]?.number, ask: item["askPrice"]?.number, last: item["lastPrice"]?.number,
                                        volume: item["volume"]?.number, exchangeTs: closeTime.flatMap(InputNumber.unixMilliseconds).map(SQLValue.integer) ?? .null))
            }
        case "kraken":
            if let errors = document["error"]?.array, let first = errors.first?.text { throw SilverParseError(message: "Kraken answered an error: \(first)") }
            guard case .object(let result)? = document["result"] else { throw SilverParseError(message: "no \"result\" object: not a Kraken ticker body") }
            for (pair, entry) in result.sorted(by: { $0.key < $1.key }) {
                try each(pair, ticker(pair, bid: entry["b"]?.array?.first?.number, ask: entry["a"]?.array?.first?.number,
                                      last: entry["c"]?.array?.first?.number, volume: entry["v"]?.array.flatMap { $0.count > 1 ? $0[1].number : nil }, exchangeTs: .null))
            }
        case "coinbase":
            if let trades = document["trades"]?.array {   // Advanced Trade shape
                try each(coinbaseProduct, ticker(coinbaseProduct, bid: document["best_bid"]?.number, ask: document["best_ask"]?.number, last: trades.first?["price"]?.number,
                                                 volume: nil, exchangeTs: SilverValues.millis(iso: trades.first?["time"]?.text)))
            } else {
                try each(coinbaseProduct, ticker(coinbaseProduct, bid: document["bid"]?.number, ask: document["ask"]?.number, last: document["price"]?.number,
                                                 volume: document["volume"]?.number, exchangeTs: SilverValues.millis(iso: document["time"]?.text)))
            }
        default:
            throw SilverParseError(message: "unknown exchange '\(exchange)' in the raw key; expected binance, kraken or coinbase-BASE-QUOTE")
        }
    }
}
