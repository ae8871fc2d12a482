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
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: layout.root.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw ConfigurationError(setting: options.root != nil ? "--root \(rootPath)" : "WAREHOUSE_ROOT=\(rootPath)",
                                     problem: "\(layout.root.path) is a file, not a folder",
                                     fix: "point it at a folder (one that does not exist yet is created)")
        }
        environment = try Environment.load(root: layout.root)
        settings = try WarehouseSettings.load(root: layout.root, environment: environment)
        clock = try WarehouseClock.fromEnvironment(environment)
        var logger = Logger(label: "warehouse")
        logger.logLevel = options.verbose ? .debug : .warning
        self.logger = logger
    }

    /// Every source's endpoint. Sources without a `<SOURCE>_BASE_URL` are served by the
    /// built-in emulator, started on first use; a `COINGECKO_PRO_API_KEY` alone means the real
    /// pro API.
    func endpoints() throws -> BronzeAssets.Endpoints {
        var environment = self.environment
        let unset = WarehouseSettings.baseURLVariables.filter(servedByEmulator)
        if !unset.isEmpty {
            let settings = try EmulatorSettings(environment: environment)
            let emulator = try self.emulator ?? MarketEmulator(seed: settings.seed, coinCount: settings.coins, clock: clock)
            self.emulator = emulator
            for variable in unset { environment[variable] = emulator.baseURL }
            if unset.contains("LUNARCRUSH_BASE_URL"), (environment["LUNARCRUSH_API_KEY"] ?? "").isEmpty {
                environment["LUNARCRUSH_API_KEY"] = "emulator"
            }
        }
        return try BronzeAssets.Endpoints(environment: environment, settings: settings)
    }

    /// Whether the source of a `<SOURCE>_BASE_URL` variable is served by the built-in emulator:
    /// the variable is unset, and for CoinGecko no pro API key asks for the real pro host.
    func servedByEmulator(_ variable: String) -> Bool {
        guard (environment[variable] ?? "").isEmpty else { return false }
        return !(variable == "COINGECKO_BASE_URL" && !(environment["COINGECKO_PRO_API_KEY"] ?? "").isEmpty)
    }

    /// Every asset of the product, validated.
    func graph() throws -> AssetGraph {
        if let cachedGraph { return cachedGraph }
        let graph = try AssetGraph(try Self.specs(endpoints: try endpoints(), settings: settings))
        cachedGraph = graph
        return graph
    }

    /// The product's assets, every layer, with the sources they fetch from.
    static func specs(endpoints: BronzeAssets.Endpoints, settings: WarehouseSettings) throws -> [AssetSpec] {
        BronzeAssets.specs(endpoints: endpoints, settings: settings) + SilverAssets.specs(settings: settings) + (try GoldAssets.specs(settings: settings))
    }

    func orchestrator() throws -> Orchestrator {
        Orchestrator(graph: try graph(), layout: layout, clock: clock, logger: logger)
    }
}
