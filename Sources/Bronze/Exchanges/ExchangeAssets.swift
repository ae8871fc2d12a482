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

    /// The poll requests of one venue for the configured symbols (`BASE/QUOTE`), keyed by poll time.
    static func requests(venue: String, settings: WarehouseSettings, context: BuildContext) -> [RawRequest] {
        let stamp = ISO8601.format(context.clock.now).split(separator: "T")[1].prefix(8).replacingOccurrences(of: ":", with: "")
        return VenueREST.tickerRequests(venue: venue, symbols: settings.exchangeSymbols).map {
            RawRequest(dataset: RawDataset(asset: tickers), key: "\($0.key)@\(stamp)", path: $0.path, params: $0.query.map { QueryParam($0.name, $0.value) },
                       freshness: .recent(seconds: settings.tickerPollSeconds))
        }
    }
}
