import Bronze
import Bucket
import Foundation
import Gold
import Logging
import MarketEmulator
import Silver
import Warehouse

/// The product wired for one root: its settings, the asset graph of every layer, and the
/// sources its runs fetch from. The CLI and the server both work through it.
///
/// Declaring, listing and planning start nothing: the graph holds no endpoint. A run's builds
/// get their fetchers from `SourceFetchers` (a build resource), which resolves a source the
/// first time a build fetches from it: a `<SOURCE>_BASE_URL` from the environment as it is, or
/// the built-in emulator, started then, for every source left unset.
public final class Pipeline: @unchecked Sendable {
    public let layout: WarehouseLayout
    /// The process environment with the `.env` files under it.
    public let environment: [String: String]
    public let settings: WarehouseSettings
    public let clock: WarehouseClock
    public let logger: Logger
    private var cachedGraph: AssetGraph?
    private var startedEmulator: MarketEmulator?
    private let lock = NSLock()

    /// - Parameters:
    ///   - root: `--root`; nil reads `WAREHOUSE_ROOT`, else `./data`.
    ///   - processEnvironment: the environment the `.env` files add to (the process's by default).
    ///   - clock: the time runs believe it is; nil reads `WAREHOUSE_NOW`, else the system clock (a scheduler passes each job's).
    /// - Throws: `ConfigurationError` for a root that is a file, or a settings file or variable that cannot be used.
    public init(root: String?, verbose: Bool = false, processEnvironment: [String: String] = ProcessInfo.processInfo.environment,
                clock: WarehouseClock? = nil) throws {
        let rootPath = root ?? processEnvironment["WAREHOUSE_ROOT"] ?? "data"
        layout = WarehouseLayout(root: URL(fileURLWithPath: rootPath, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)))
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: layout.root.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw ConfigurationError(setting: root != nil ? "--root \(rootPath)" : "WAREHOUSE_ROOT=\(rootPath)",
                                     problem: "\(layout.root.path) is a file, not a folder",
                                     fix: "point it at a folder (one that does not exist yet is created)")
        }
        environment = try Environment.load(root: layout.root, processEnvironment: processEnvironment)
        settings = try WarehouseSettings.load(root: layout.root, environment: environment)
        self.clock = try clock ?? WarehouseClock.fromEnvironment(environment)
        var logger = Logger(label: "warehouse")
        logger.logLevel = verbose ? .debug : .warning
        self.logger = logger
        // Checked now, before anything runs; used when a fetch needs them.
        _ = try EmulatorSettings(environment: environment)
        for variable in WarehouseSettings.baseURLVariables {
            if let base = environment[variable], !base.isEmpty { try SourceEndpoint.checkBaseURL(base, variable: variable) }
        }
    }

    deinit { startedEmulator?.stop() }

    /// The emulator, when a build has started it.
    public var emulator: MarketEmulator? {
        lock.lock()
        defer { lock.unlock() }
        return startedEmulator
    }

    /// Every asset of the product, validated. Starts nothing.
    public func graph() throws -> AssetGraph {
        lock.lock()
        defer { lock.unlock() }
        if let cachedGraph { return cachedGraph }
        let graph = try AssetGraph(try Self.specs(settings: settings, root: layout.root, environment: environment))
        cachedGraph = graph
        return graph
    }

    /// The product's assets, every layer: the built-in ones and the models under `root/models/`,
    /// with the checks of `root/checks/*.toml` applied.
    /// - Throws: `DeclarationError` naming the file and line of a model that cannot be used.
    public static func specs(settings: WarehouseSettings, root: URL? = nil,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [AssetSpec] {
        let upstreams = BronzeAssets.specs(settings: settings) + SilverAssets.specs(settings: settings)
        let all = upstreams + (try GoldAssets.specs(settings: settings, root: root, upstreams: upstreams, environment: environment))
        guard let root else { return all }
        return try CheckFiles.apply(try CheckFiles.load(root: root), to: all)
    }

    /// An orchestrator over the graph whose builds fetch through `SourceFetchers`.
    public func orchestrator() throws -> Orchestrator {
        let resources = BuildResources()
        resources.register(SourceFetchers(settings: settings) { [unowned self] source in try self.endpoint(for: source) })
        if let remote = settings.rawRemote {
            resources.register(try BucketRawCache.connect(remote, environment: environment, retryBaseSeconds: settings.retryBaseSeconds) as any SharedRawCache)
        }
        return Orchestrator(graph: try graph(), layout: layout, clock: clock, logger: logger, resources: resources)
    }

    /// Brings the root's existing databases up to this version's bookkeeping schema (the
    /// migrations a run would apply), for readers such as the server that open them read-only.
    public func upgradeDatabases() throws {
        if FileManager.default.fileExists(atPath: layout.runLogDatabase.path) { _ = try RunLog(layout: layout) }
        try SilverAssets.upgrade(layout)
        try GoldAssets.upgrade(layout)
    }

    /// Whether the source of a `<SOURCE>_BASE_URL` variable is served by the built-in emulator:
    /// the variable is unset, and for CoinGecko no pro API key asks for the real pro host.
    public func servedByEmulator(_ variable: String) -> Bool {
        guard (environment[variable] ?? "").isEmpty else { return false }
        return !(variable == "COINGECKO_BASE_URL" && !(environment["COINGECKO_PRO_API_KEY"] ?? "").isEmpty)
    }

    /// A source's endpoint: from the environment, or the emulator (started on first use).
    func endpoint(for source: String) throws -> SourceEndpoint {
        var environment = self.environment
        let variable = "\(source.uppercased())_BASE_URL"
        if servedByEmulator(variable) {
            environment[variable] = try runningEmulator().baseURL
            if source == "lunarcrush", (environment["LUNARCRUSH_API_KEY"] ?? "").isEmpty { environment["LUNARCRUSH_API_KEY"] = "emulator" }
        }
        return try BronzeAssets.endpoint(for: source, environment: environment, settings: settings)
    }

    /// The built-in emulator, started on first use.
    func runningEmulator() throws -> MarketEmulator {
        lock.lock()
        defer { lock.unlock() }
        if let startedEmulator { return startedEmulator }
        let emulatorSettings = try EmulatorSettings(environment: environment)
        let emulator = try MarketEmulator(seed: emulatorSettings.seed, coinCount: emulatorSettings.coins, clock: clock, streams: emulatorSettings.streams)
        startedEmulator = emulator
        return emulator
    }
}
