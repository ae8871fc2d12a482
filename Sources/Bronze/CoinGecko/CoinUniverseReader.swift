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
        for snapshot in try store.newestSnapshots(of: RawDataset(asset: CoinGeckoAssets.markets), on: context.clock.today) {
            for row in try Self.parse(snapshot, store: store).array ?? [] {
                guard let id = row["id"]?.text, seen.insert(id).inserted else { continue }
                coins.append(Coin(id: id, symbol: row["symbol"]?.text ?? id))
            }
        }
        return Array(coins.prefix(count))
    }

    /// The ids in a day's `status=inactive` coin list (empty when that day has none).
    public func inactiveCoins(on day: Day) throws -> [String] {
        guard let snapshot = try context.raw.newest(of: RawDataset(asset: CoinGeckoAssets.coinsList), key: "inactive", on: day) else { return [] }
        return (try Self.parse(snapshot, store: context.raw).array ?? []).compactMap { $0["id"]?.text }
    }

    /// A snapshot's JSON; one that does not parse (another tool wrote it) is named.
    static func parse(_ snapshot: RawSnapshot, store: RawStore) throws -> JSONValue {
        do {
            return try JSONValue.parse(store.body(of: snapshot))
        } catch let error as RawStoreError {
            throw error
        } catch {
            throw RawStoreError.unreadable(path: snapshot.relativePath, reason: "not valid JSON (\(error))")
        }
    }
}
