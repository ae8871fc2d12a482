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
        /// - Throws: `ConfigurationError` naming a base URL variable that is not a URL.
        public init(environment: [String: String], settings: WarehouseSettings) throws {
            coingecko = try .coingecko(environment: environment, rateLimits: settings.rateLimits)
            defillama = try .defillama(environment: environment, rateLimits: settings.rateLimits)
            lunarcrush = try .lunarcrush(environment: environment, rateLimits: settings.rateLimits)
            yahoo = try .yahoo(environment: environment, rateLimits: settings.rateLimits)
            exchanges = Dictionary(uniqueKeysWithValues: try ["binance", "kraken", "coinbase"].map {
                ($0, try SourceEndpoint.exchange($0, environment: environment, rateLimits: settings.rateLimits))
            })
        }

        /// Every endpoint, CoinGecko first and the exchanges last.
        public var all: [SourceEndpoint] { [coingecko, defillama, lunarcrush, yahoo] + exchanges.values.sorted { $0.source < $1.source } }
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
