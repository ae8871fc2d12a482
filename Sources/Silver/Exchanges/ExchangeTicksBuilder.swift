import Foundation
import Warehouse

/// `silver.exchange_ticks` from ticker polls: one row per exchange, symbol and poll, with the
/// exchange's own timestamp (NULL where the API gives none, as Kraken's ticker) and our
/// reception time (the snapshot's `fetched_at`), both in Unix milliseconds.
enum ExchangeTicksBuilder {
    static let layout = TableLayout("exchange_ticks", [
        .init("exchange", .text, notNull: true, "binance, kraken or coinbase"),
        .init("symbol", .text, notNull: true, "normalised BASE/QUOTE (a Kraken venue suffix kept)"),
        .init("base", .text, notNull: true, "base asset"), .init("quote", .text, notNull: true, "quote asset"),
        .init("bid", .real, "best bid"), .init("ask", .real, "best ask"), .init("last", .real, "last trade price"),
        .init("volume", .real, "24h volume in the base asset"),
        .init("exchange_ts", .integer, "the exchange's own time, Unix milliseconds (NULL where the API gives none)"),
        .init("received_ts", .integer, notNull: true, "when the poll was received, Unix milliseconds"),
        .rawFile,
    ], primaryKey: ["exchange", "symbol", "received_ts"], indexes: [.init("exchange_ticks_time", on: ["received_ts"])], withoutRowID: true)

    static func builder(_ context: BuildContext) -> SnapshotTableBuilder {
        SnapshotTableBuilder(context: context, dataset: SilverInputs.exchangeTickers, layout: layout) { snapshot, body, meta, _ in
            let exchange = String(RawKey.entity(of: snapshot.key).split(separator: "-").first ?? "")
            guard case .integer(let received) = SilverValues.millis(iso: meta?.fetchedAt) else {
                throw SilverParseError(message: "no fetched_at in the metadata: the reception time is unknown")
            }
            let document = try SilverValues.document(body, expecting: "a ticker object or array")
            var parsed = ParsedRows()
            func add(_ rawSymbol: String, bid: Double?, ask: Double?, last: Double?, volume: Double?, exchangeTs: SQLValue, locator: String) {
                guard let (base, quote) = ExchangeSymbol.split(rawSymbol, exchange: exchange) else {
                    parsed.reject(locator, "symbol \(rawSymbol) has no known quote currency")
                    return
                }
                guard bid != nil || ask != nil || last != nil else {
                    parsed.reject(locator, "no bid, ask or last price")
                    return
                }
                // A venue suffix (Kraken's `AAVE/USD:BTNL`) names a different market: keep it.
                let venue = rawSymbol.firstIndex(of: ":").map { String(rawSymbol[$0...]) } ?? ""
                parsed.add(locator, [.text(exchange), .text("\(base)/\(quote)\(venue)"), .text(base), .text(quote), bid.sqlValue, ask.sqlValue,
                                    last.sqlValue, volume.sqlValue, exchangeTs, .integer(received)])
            }
            switch exchange {
            case "binance":
                let items = document.array ?? [document]
                for (i, item) in items.enumerated() {
                    guard let symbol = item["symbol"]?.text else { parsed.reject("[\(i)]", "ticker has no symbol"); continue }
                    let closeTime = item["closeTime"]?.number
                    guard closeTime == nil || InputNumber.unixMilliseconds(closeTime!) != nil else {
                        parsed.reject(symbol, "closeTime \(closeTime!) is not a Unix time in milliseconds between 1970 and 2200")
                        continue
                    }
                    add(symbol, bid: item["bidPrice"]?.number, ask: item["askPrice"]?.number, last: item["lastPrice"]?.number,
                        volume: item["volume"]?.number, exchangeTs: closeTime.flatMap(InputNumber.unixMilliseconds).map(SQLValue.integer) ?? .null, locator: symbol)
                }
            case "kraken":
                if let errors = document["error"]?.array, let first = errors.first?.text { throw SilverParseError(message: "Kraken answered an error: \(first)") }
                guard case .object(let result)? = document["result"] else { throw SilverParseError(message: "no \"result\" object: not a Kraken ticker body") }
                for (pair, ticker) in result.sorted(by: { $0.key < $1.key }) {
                    add(pair, bid: ticker["b"]?.array?.first?.number, ask: ticker["a"]?.array?.first?.number,
                        last: ticker["c"]?.array?.first?.number, volume: ticker["v"]?.array.flatMap { $0.count > 1 ? $0[1].number : nil },
                        exchangeTs: .null, locator: pair)
                }
            case "coinbase":
                let product = RawKey.entity(of: snapshot.key).split(separator: "-").dropFirst().joined(separator: "-")
                if let trades = document["trades"]?.array {   // Advanced Trade shape
                    add(product, bid: document["best_bid"]?.number, ask: document["best_ask"]?.number, last: trades.first?["price"]?.number,
                        volume: nil, exchangeTs: SilverValues.millis(iso: trades.first?["time"]?.text), locator: product)
                } else {
                    add(product, bid: document["bid"]?.number, ask: document["ask"]?.number, last: document["price"]?.number,
                        volume: document["volume"]?.number, exchangeTs: SilverValues.millis(iso: document["time"]?.text), locator: product)
                }
            default:
                throw SilverParseError(message: "unknown exchange '\(exchange)' in the raw key; expected binance, kraken or coinbase-BASE-QUOTE")
            }
            return parsed
        }
    }
}
