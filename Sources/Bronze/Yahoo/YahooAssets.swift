import Foundation
import Warehouse

/// Yahoo Finance bronze asset: daily bars per ticker (stocks and FX such as `USDINR=X`),
/// fetched incrementally: only the days raw does not hold yet.
public enum YahooAssets {
    public static let chart = AssetKey(.bronze, "yahoo_chart")

    public static func specs(settings: WarehouseSettings) -> [AssetSpec] {
        [
            BronzeAsset.spec(chart, summary: "Yahoo Finance /v8/finance/chart/{ticker}: daily OHLCV and adjusted close",
                             tags: ["stocks"], source: "yahoo") { context in
                let history = HistoryWindows(dataset: RawDataset(asset: chart), fromParam: "period1", toParam: "period2",
                                             minSpan: 5 * 86_400, maxSpan: nil,
                                             maxAge: settings.freshness(of: chart.name), context: context)
                let wanted = history.wanted(historyDays: settings.stockHistoryDays)
                guard wanted.0 < wanted.1 else { return [] }
                let coverage = try history.coverage()
                return (settings.tickers + settings.fxTickers).filter(RawKey.isValid).flatMap { ticker in
                    history.requests(for: ticker, covered: coverage[ticker] ?? [], wanted: wanted) { key, from, to, reachesNow in
                        RawRequest(dataset: RawDataset(asset: chart), key: key,
                                   path: "/v8/finance/chart/\(ticker.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-"))) ?? ticker)",
                                   params: [QueryParam("period1", "\(from)"), QueryParam("period2", "\(to)"), QueryParam("interval", "1d"),
                                            QueryParam("events", "div,split")],
                                   freshness: reachesNow ? .today(maxAge: settings.freshness(of: chart.name)) : .forever)
                    }
                }
            },
        ]
    }
}
