import Foundation
import Warehouse

/// Reads the coin universe from today's raw CoinGecko snapshots (bronze reading bronze): the
/// markets pages in rank order and the inactive coin list. Connectors of other sources use it
/// to pick which coins to ask about.
public struct CoinUniverseReader {
    public struct Coin: Equatable {
        public let id: String
        public let symbol: String
    }

    let context: BuildContext

    public init(context: BuildContext) { self.context = context }

    /// The first `count` coins of today's /coins/markets pages (empty before they are fetched).
    public func topCoins(_ count: Int) throws -> [Coin] {
        var coins: [Coin] = []
        var seen = Set<String>()
        let store = context.raw
        for snapshot in try store.snapshots(of: RawDataset(asset: CoinGeckoAssets.markets), on: context.clock.today) {
            for row in try JSONValue.parse(store.body(of: snapshot)).array ?? [] {
                guard let id = row["id"]?.text, seen.insert(id).inserted else { continue }
                coins.append(Coin(id: id, symbol: row["symbol"]?.text ?? id))
            }
        }
        return Array(coins.prefix(count))
    }

    /// The ids in a day's `status=inactive` coin list (empty when that day has none).
    public func inactiveCoins(on day: Day) throws -> [String] {
        guard let snapshot = context.raw.snapshot(of: RawDataset(asset: CoinGeckoAssets.coinsList), key: "inactive", on: day) else { return [] }
        return (try JSONValue.parse(context.raw.body(of: snapshot)).array ?? []).compactMap { $0["id"]?.text }
    }
}
