import Foundation
import Logging

/// Everything a builder needs from the orchestrator for one asset in one run.
public final class BuildContext {
    public let key: AssetKey
    public let layout: WarehouseLayout
    public let runID: String
    public let clock: WarehouseClock
    /// Days asked for with `--partition` / `--from --to`, if any.
    public let partition: PartitionRange?
    /// `--refresh`: ignore caches and rebuild.
    public let refresh: Bool
    public let logger: Logger
    /// Reports progress of long builds (done, total) to whoever shows it.
    public let progress: (Int, Int) -> Void
    /// What the run hands its builds (the sources' fetchers, ...).
    public let resources: BuildResources
    /// The fingerprint this build will be recorded under (set before `build`).
    public internal(set) var fingerprint = ""
    /// The inputs behind that fingerprint.
    public internal(set) var inputs: [String: String] = [:]
    /// The asset's version (code and SQL); a build may extend its previous table only when the
    /// previous materialization had the same one.
    public let version: String

    /// Made by the orchestrator for each build; public so an asset's builder can be tested alone.
    public init(key: AssetKey, version: String, layout: WarehouseLayout, runID: String, clock: WarehouseClock,
                partition: PartitionRange? = nil, refresh: Bool = false, logger: Logger = Logger(label: "warehouse"),
                resources: BuildResources = BuildResources(), progress: @escaping (Int, Int) -> Void = { _, _ in }) {
        self.resources = resources
        self.key = key
        self.version = version
        self.layout = layout
        self.runID = runID
        self.clock = clock
        self.partition = partition
        self.refresh = refresh
        self.progress = progress
        var logger = logger
        logger[metadataKey: "asset"] = "\(key)"
        logger[metadataKey: "run"] = "\(runID)"
        self.logger = logger
    }

    /// A resource the run was handed.
    /// - Throws: `BuildResourceError.missing` when the run was given none of that type.
    public func resource<Resource>(_ type: Resource.Type) throws -> Resource { try resources.get(type) }

    /// The team's shared raw cache, when the root has one (`[raw.remote]`).
    public var sharedCache: (any SharedRawCache)? { resources.find((any SharedRawCache).self) }

    /// The raw layer of this root.
    public var raw: RawStore { RawStore(layout: layout) }

    /// Waits, when an upstream's checks are still running beside this build, for them to pass
    /// (see `record`); set by the orchestrator.
    var commitGate: () throws -> Void = {}

    /// Whether the run checkpoints this build's database itself (`BackgroundCheckpoints`), so
    /// the build's own connection need not; set by the orchestrator.
    var runCheckpoints = false

    /// Writes this build's materialization record. Silver and gold builders call it inside
    /// the transaction that replaces their data, then return `recorded: true`.
    ///
    /// The build commits only after its upstream's checks passed: when they are still running
    /// beside it, this waits for them, and throws `UpstreamChecksFailed` (rolling the
    /// transaction back) when an error check failed.
    public func record(in database: Database, rows: Int, rejects: Int = 0) throws {
        try commitGate()
        try MaterializationLog.insert(MaterializationRecord(
            asset: key, runID: runID, materializedAt: ISO8601.format(clock.now), fingerprint: fingerprint,
            version: version, inputs: inputs, rows: rows, rejects: rejects), into: database)
    }

    /// Whether this build may extend `table` in place instead of rebuilding it: no `--refresh`,
    /// the table exists, and its last materialization was made by this version of the code.
    /// (The builder still checks that its inputs only grew.)
    public func mayExtend(_ table: String, in database: Database) throws -> Bool {
        guard !refresh, try database.tableExists(table) else { return false }
        return try MaterializationLog.latest(key, in: database)?.version == version
    }

    /// Opens the layer's own database, with the materialization table in place. In a run, its
    /// commits do not checkpoint: the orchestrator does, beside the next build.
    public func openLayerDatabase() throws -> Database {
        let database = try Database(path: layout.database(for: key.layer).path)
        if runCheckpoints { _ = try database.withoutAutomaticCheckpoints() }
        try MaterializationLog.prepare(database)
        return database
    }
}
