import Foundation
import Warehouse

/// Every bronze asset. The assets name their source (`coingecko`, `kraken`, ...); the fetcher of
/// each comes from the run's `SourceFetchers` when a build fetches, so the graph holds no endpoint.
public enum BronzeAssets {
    public static func specs(settings: WarehouseSettings) -> [AssetSpec] {
        CoinGeckoAssets.specs(settings: settings) + DefiLlamaAssets.specs(settings: settings) + LunarCrushAssets.specs(settings: settings)
            + YahooAssets.specs(settings: settings) + ExchangeAssets.specs(settings: settings) + StreamAssets.specs(settings: settings)
    }

    /// A source's endpoint as the environment configures it: `<SOURCE>_BASE_URL`, its key, the
    /// rate limit from the settings.
    /// - Throws: `ConfigurationError` for a malformed base URL or a real API without its key.
    public static func endpoint(for source: String, environment: [String: String], settings: WarehouseSettings) throws -> SourceEndpoint {
        switch source {
        case "coingecko": return try .coingecko(environment: environment, rateLimits: settings.rateLimits)
        case "defillama": return try .defillama(environment: environment, rateLimits: settings.rateLimits)
        case "lunarcrush": return try .lunarcrush(environment: environment, rateLimits: settings.rateLimits)
        case "yahoo": return try .yahoo(environment: environment, rateLimits: settings.rateLimits)
        default: return try .exchange(source, environment: environment, rateLimits: settings.rateLimits)
        }
    }

    /// Every source's endpoint (for `config show`), in `WarehouseSettings.sources` order.
    public static func endpoints(environment: [String: String], settings: WarehouseSettings) throws -> [SourceEndpoint] {
        try WarehouseSettings.sources.map { try endpoint(for: $0, environment: environment, settings: settings) }
    }
}
