import Foundation
import Warehouse

/// Every bronze asset, each source with its own fetcher (host, secrets, rate limit).
public enum BronzeAssets {
    /// The endpoints of every source; the emulator's base URL stands in for those not configured.
    public struct Endpoints {
        public var coingecko: SourceEndpoint
        public var defillama: SourceEndpoint
        public var lunarcrush: SourceEndpoint
        public var yahoo: SourceEndpoint
        public var exchanges: [String: SourceEndpoint]

        /// Reads `<SOURCE>_BASE_URL`, keys and rate limits from the environment and settings.
        public init(environment: [String: String], settings: WarehouseSettings) {
            coingecko = .coingecko(environment: environment, rateLimits: settings.rateLimits)
            defillama = .defillama(environment: environment, rateLimits: settings.rateLimits)
            lunarcrush = .lunarcrush(environment: environment, rateLimits: settings.rateLimits)
            yahoo = .yahoo(environment: environment, rateLimits: settings.rateLimits)
            exchanges = Dictionary(uniqueKeysWithValues: ["binance", "kraken", "coinbase"].map {
                ($0, SourceEndpoint.exchange($0, environment: environment, rateLimits: settings.rateLimits))
            })
        }
    }

    public static func specs(endpoints: Endpoints, settings: WarehouseSettings) -> [AssetSpec] {
        let retry = RetryPolicy(baseDelay: settings.retryBaseSeconds)
        func fetcher(_ endpoint: SourceEndpoint) -> Fetcher {
            Fetcher(endpoint: endpoint, retry: retry, concurrency: settings.fetchConcurrency)
        }
        return CoinGeckoAssets.specs(fetcher: fetcher(endpoints.coingecko), settings: settings)
            + DefiLlamaAssets.specs(fetcher: fetcher(endpoints.defillama), settings: settings)
            + LunarCrushAssets.specs(fetcher: fetcher(endpoints.lunarcrush), settings: settings)
            + YahooAssets.specs(fetcher: fetcher(endpoints.yahoo), settings: settings)
            + ExchangeAssets.specs(fetchers: endpoints.exchanges.mapValues(fetcher), settings: settings)
    }
}
