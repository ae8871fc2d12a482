import Foundation
import Warehouse

/// `silver.exchange_ticks` from ticker polls: one row per exchange, symbol and poll, with the
/// exchange's own timestamp (NULL where the API gives none, as Kraken's ticker) and our
/// reception time (the snapshot's `fetched_at`), both in Unix milliseconds.
enum ExchangeTicksBuilder {
    static let table = TableRebuild(table: "exchange_ticks", create: { name in
        """
        CREATE TABLE \(name) (
            exchange TEXT NOT NULL, symbol TEXT NOT NULL, base TEXT NOT NULL, quote TEXT NOT NULL,
            bid REAL, ask REAL, last REAL, volume REAL,
            exchange_ts INTEGER, received_ts INTEGER NOT NULL,
            raw_file_id INTEGER NOT NULL,
            PRIMARY KEY (exchange, symbol, received_ts)
        ) WITHOUT ROWID
        """
    }, indexes: ["CREATE INDEX exchange_ticks_time ON exchange_ticks(received_ts)"])

    static func builder(_ context: BuildContext) -> SnapshotTableBuilder {
        SnapshotTableBuilder(context: context, dataset: SilverInputs.exchangeTickers, table: table,
                             columns: ["exchange", "symbol", "base", "quote", "bid", "ask", "last", "volume", "exchange_ts", "received_ts"]) { snapshot, body, meta, _ in
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
