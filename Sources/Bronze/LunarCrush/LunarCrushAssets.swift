import Foundation
import Warehouse

/// LunarCrush bronze asset: daily social time series (galaxy score, sentiment, social
/// dominance) for the top coins of the CoinGecko universe, asked for by symbol.
public enum LunarCrushAssets {
    public static let timeseries = AssetKey(.bronze, "lunarcrush_timeseries")

    public static func specs(settings: WarehouseSettings) -> [AssetSpec] {
        [
            BronzeAsset.spec(timeseries, summary: "LunarCrush /api4/public/coins/{symbol}/time-series/v2, daily buckets",
                             tags: ["crypto", "social"], upstreams: [CoinGeckoAssets.markets], source: "lunarcrush") { context in
                // Day-aligned range: the same request all day, so the raw cache answers reruns.
                let end = context.clock.today.startUnixSeconds
                let start = end - Int64(settings.socialDays) * 86_400
                return try CoinUniverseReader(context: context).topCoins(settings.socialCoins).filter { RawKey.isValid($0.id) }.map { coin in
                    RawRequest(dataset: RawDataset(asset: timeseries), key: coin.id,
                               path: "/api4/public/coins/\(coin.symbol.lowercased())/time-series/v2",
                               params: [QueryParam("bucket", "day"), QueryParam("start", "\(start)"), QueryParam("end", "\(end)")],
                               freshness: .today(maxAge: settings.freshness(of: timeseries.name)))
                }
            },
        ]
    }
}
