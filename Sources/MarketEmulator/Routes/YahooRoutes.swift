import Foundation
import Warehouse

/// Yahoo Finance `/v8/finance/chart/{ticker}` with `period1`, `period2`, `interval=1d`.
struct YahooRoutes: Sendable {
    let stocks: StockSimulation
    let now: @Sendable () -> Int64

    func handle(_ request: HTTPRequest) -> HTTPResponse? {
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count == 4, parts[0] == "v8", parts[1] == "finance", parts[2] == "chart" else { return nil }
        let ticker = parts[3]
        guard !ticker.isEmpty, ticker.uppercased() == ticker, !ticker.contains("DELISTED") else {
            return .json(Array(#"{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}"#.utf8), status: 404)
        }
        guard request.query["interval"] ?? "1d" == "1d" else {
            return .json(Array(#"{"chart":{"result":null,"error":{"code":"Unprocessable Entity","description":"Only 1d is simulated"}}}"#.utf8), status: 422)
        }
        let listing = stocks.listing(ticker)
        let end = min(Int64(request.query["period2"] ?? "") ?? now(), now())
        let start = Int64(request.query["period1"] ?? "") ?? (end - 30 * 86_400)
        let genesis = MarketSimulation.genesisUnixSeconds
        let firstDay = max(0, Int((start - genesis) / 86_400) - 1), lastDay = Int((end - genesis) / 86_400)
        let bars = (firstDay...max(firstDay, lastDay)).compactMap { stocks.bar(listing, day: $0) }
            .filter { $0.timestamp >= start && $0.timestamp <= end }
        var w = JSONWriter(capacity: bars.count * 120 + 800)
        w.object { root in
            root.field("chart") { chart in
                chart.object { c in
                    c.field("result") { result in
                        result.array { list in
                            list.object { r in
                                r.field("meta") { meta in
                                    meta.object { m in
                                        m.field("currency") { $0.string(listing.currency) }
                                        m.field("symbol") { $0.string(ticker) }
                                        m.field("exchangeName") { $0.string(listing.exchange) }
                                        m.field("fullExchangeName") { $0.string(listing.fullExchange) }
                                        m.field("instrumentType") { $0.string(listing.instrumentType) }
                                        m.field("firstTradeDate") { $0.number(genesis) }
                                        m.field("regularMarketTime") { $0.number(bars.last?.timestamp ?? end) }
                                        m.field("gmtoffset") { $0.number(Int64(listing.offset(at: now()))) }
                                        m.field("timezone") { $0.string(listing.abbreviation(at: now())) }
                                        m.field("exchangeTimezoneName") { $0.string(listing.exchangeTimezone) }
                                        m.field("regularMarketPrice") { $0.optionalNumber(bars.last?.close) }
                                        m.field("chartPreviousClose") { $0.optionalNumber(bars.first?.open) }
                                        m.field("priceHint") { $0.number(Int64(listing.instrumentType == "CURRENCY" ? 4 : 2)) }
                                        m.field("dataGranularity") { $0.string("1d") }
                                        m.field("range") { $0.string("") }
                                    }
                                }
                                if !bars.isEmpty {
                                    r.field("timestamp") { t in t.array { for bar in bars { $0.number(bar.timestamp) } } }
                                }
                                r.field("indicators") { indicators in
                                    indicators.object { i in
                                        i.field("quote") { quote in
                                            quote.array { q in
                                                q.object { columns in
                                                    guard !bars.isEmpty else { return }
                                                    // Yahoo sends null for a missing value now and then.
                                                    func value(_ bar: StockSimulation.Bar, _ v: Double) -> Double? {
                                                        stocks.noise.uniform(7000, UInt64(bar.timestamp)) < 0.004 ? nil : v
                                                    }
                                                    columns.field("open") { a in a.array { for b in bars { $0.optionalNumber(value(b, b.open)) } } }
                                                    columns.field("high") { a in a.array { for b in bars { $0.number(b.high) } } }
                                                    columns.field("low") { a in a.array { for b in bars { $0.number(b.low) } } }
                                                    columns.field("close") { a in a.array { for b in bars { $0.optionalNumber(value(b, b.close)) } } }
                                                    columns.field("volume") { a in a.array { for b in bars { $0.number(b.volume) } } }
                                                }
                                            }
                                        }
                                        if !bars.isEmpty {
                                            i.field("adjclose") { adj in adj.array { a in a.object { o in o.field("adjclose") { l in l.array { for b in bars { $0.number(b.close) } } } } } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    c.field("error") { $0.null() }
                }
            }
        }
        return .json(w.bytes)
    }
}
