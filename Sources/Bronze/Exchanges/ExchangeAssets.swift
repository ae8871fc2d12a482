import Foundation
import Warehouse

/// The exchange tickers bronze asset: one poll of Binance, Kraken and Coinbase for the
/// configured symbols. Keys carry the poll time (`binance@101500`), so polls accumulate;
/// a poll is reused for `tickerPollSeconds`, and `--refresh` polls again.
public enum ExchangeAssets {
    public static let tickers = AssetKey(.bronze, "exchange_tickers")

    /// Each venue is its own source (own host and rate limit), fetched from the run's `SourceFetchers`.
    public static func specs(settings: WarehouseSettings) -> [AssetSpec] {
        let venues = settings.exchanges
        return [
            AssetSpec(
                key: tickers, tags: ["crypto", "exchanges"], summary: "Ticker polls of \(venues.joined(separator: ", ")) with reception times",
                version: BronzeAsset.version,
                inputs: { context in
                    let all = venues.flatMap { requests(venue: $0, settings: settings, context: context) }
                    let missing = Fetcher.uncached(all, store: context.raw, clock: context.clock)
                    return ["requests": missing.isEmpty ? "polled within \(settings.tickerPollSeconds)s" : "\(missing.count) polls due"]
                },
                build: { context in
                    var outcome = BuildOutcome(rows: 0)
                    var failures: [Error] = []
                    for venue in venues {
                        do {
                            let fetcher = try context.resource(SourceFetchers.self).fetcher(for: venue)
                            let stats = try fetcher.fetch(requests(venue: venue, settings: settings, context: context), context: context)
                            outcome.add(stats)
                        } catch {
                            failures.append(error)   // one venue down must not stop the others
                        }
                    }
                    if let first = failures.first { throw first }
                    outcome.rows = try context.raw.snapshots(of: RawDataset(asset: tickers)).count
                    outcome.inputsAfter = ["requests": "polled within \(settings.tickerPollSeconds)s"]
                    return outcome
                }),
        ]
    }

    /// The poll requests of one venue for the configured symbols (`BASE/QUOTE`).
    static func requests(venue: String, settings: WarehouseSettings, context: BuildContext) -> [RawRequest] {
        let stamp = ISO8601.format(context.clock.now).split(separator: "T")[1].prefix(8).replacingOccurrences(of: ":", with: "")
        let dataset = RawDataset(asset: tickers)
        let pairs = settings.exchangeSymbols.compactMap { symbol -> (String, String)? in
            let sides = symbol.uppercased().split(separator: "/").map(String.init)
            return sides.count == 2 ? (sides[0], sides[1]) : nil
        }
        func poll(_ key: String, _ path: String, _ params: [QueryParam]) -> RawRequest {
            RawRequest(dataset: dataset, key: "\(key)@\(stamp)", path: path, params: params, freshness: .recent(seconds: settings.tickerPollSeconds))
        }
        switch venue {
        case "binance":
            let symbols = pairs.filter { ["USDT", "USDC", "BUSD"].contains($0.1) }.map { "\"\($0.0)\($0.1)\"" }
            return symbols.isEmpty ? [] : [poll("binance", "/api/v3/ticker/24hr", [QueryParam("symbols", "[\(symbols.joined(separator: ","))]")])]
        case "kraken":
            let names = pairs.map { ($0.0 == "BTC" ? "XBT" : $0.0) + $0.1 }
            return names.isEmpty ? [] : [poll("kraken", "/0/public/Ticker", [QueryParam("pair", names.joined(separator: ","))])]
        case "coinbase":
            return pairs.map { poll("coinbase-\($0.0)-\($0.1)", "/products/\($0.0)-\($0.1)/ticker", []) }
        default:
            return []
        }
    }
}
