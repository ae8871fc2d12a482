import Bronze
import Foundation
import Gold
import Logging
import MarketEmulator
import Silver
import Warehouse

/// Wires the layers into one asset graph for a root: environment, settings, the sources
/// (the built-in emulator when no base URL is set) and the orchestrator.
final class WarehouseApp {
    let layout: WarehouseLayout
    let environment: [String: String]
    let settings: WarehouseSettings
    let clock: WarehouseClock
    let logger: Logger
    /// The in-process emulator, when the run uses it.
    private(set) var emulator: MarketEmulator?
    private var cachedGraph: AssetGraph?

    init(options: GlobalOptions) throws {
        let rootPath = options.root ?? ProcessInfo.processInfo.environment["WAREHOUSE_ROOT"] ?? "data"
        let root = URL(fileURLWithPath: rootPath, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        layout = WarehouseLayout(root: root)
        environment = Environment.load(root: layout.root)
        settings = try WarehouseSettings.from(environment: environment)
        clock = try WarehouseClock.fromEnvironment(environment)
        var logger = Logger(label: "warehouse")
        logger.logLevel = options.verbose ? .debug : .warning
        self.logger = logger
    }

    /// The CoinGecko endpoint: the configured one, or the emulator started on first use.
    func coingeckoEndpoint() throws -> SourceEndpoint {
        var environment = self.environment
        if (environment["COINGECKO_BASE_URL"] ?? "").isEmpty {
            let emulator = try self.emulator ?? MarketEmulator(seed: UInt64(environment["EMULATOR_SEED"] ?? "") ?? 42,
                                                               coinCount: Int(environment["EMULATOR_COINS"] ?? "") ?? 320,
                                                               clock: clock)
            self.emulator = emulator
            environment["COINGECKO_BASE_URL"] = emulator.baseURL
        }
        return SourceEndpoint.coingecko(environment: environment, requestsPerSecond: settings.coingeckoRequestsPerSecond)
    }

    /// Every asset of the product, validated.
    func graph() throws -> AssetGraph {
        if let cachedGraph { return cachedGraph }
        let graph = try AssetGraph(try Self.specs(coingecko: try coingeckoEndpoint(), settings: settings))
        cachedGraph = graph
        return graph
    }

    /// The product's assets, every layer, with the sources they fetch from.
    static func specs(coingecko: SourceEndpoint, settings: WarehouseSettings) throws -> [AssetSpec] {
        CoinGeckoAssets.specs(endpoint: coingecko, settings: settings) + SilverAssets.specs() + (try GoldAssets.specs(settings: settings))
    }

    func orchestrator() throws -> Orchestrator {
        Orchestrator(graph: try graph(), layout: layout, clock: clock, logger: logger)
    }
}
