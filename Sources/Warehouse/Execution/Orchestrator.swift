import Foundation
import Logging

/// Plans and runs materializations over an asset graph: dependency order, staleness by
/// fingerprint (version + inputs + upstream fingerprints, as SQLMesh does), and a failure
/// that stops its downstream but not its siblings.
public final class Orchestrator {
    public let graph: AssetGraph
    public let layout: WarehouseLayout
    public let clock: WarehouseClock
    public let logger: Logger
    /// Handed to every build (the sources' fetchers, ...); planning never touches them.
    public let resources: BuildResources
    /// Open the layer databases read-only (a server that plans and lists, never builds).
    public var readsOnly = false
    /// Asked before each asset: once true, the run stops there (a daemon told to stop finishes
    /// the asset it is building, and the rest are recorded as not run).
    public var stopRequested: () -> Bool = { false }
    private var databases: [Layer: Database] = [:]

    public init(graph: AssetGraph, layout: WarehouseLayout, clock: WarehouseClock, logger: Logger, resources: BuildResources = BuildResources()) {
        self.graph = graph
        self.layout = layout
        self.clock = clock
        self.logger = logger
        self.resources = resources
    }

    /// The newest successful materialization of an asset, from its layer's database.
    public func lastMaterialization(of key: AssetKey) throws -> MaterializationRecord? {
        guard let database = try database(for: key.layer, create: false) else { return nil }
        return try MaterializationLog.latest(key, in: database)
    }

    /// What a run of `keys` would do, without writing anything: every asset in order with
    /// the reason it would run or that it is up to date.
    public func plan(_ keys: [AssetKey], refresh: Bool = false, partition: PartitionRange? = nil) throws -> [PlanStep] {
        var known: [AssetKey: String] = [:]
        var pending = Set<AssetKey>()
        var steps: [PlanStep] = []
        for key in keys {
            let context = makeContext(key, runID: "plan", partition: partition, refresh: refresh, observer: SilentObserver())
            let evaluation = try evaluate(key, context: context, known: known, pending: pending, refresh: refresh)
            if evaluation.reason.rebuilds { pending.insert(key) } else { known[key] = evaluation.fingerprint }
            steps.append(PlanStep(key: key, reason: evaluation.reason))
        }
        return steps
    }

    /// Materializes the stale assets among `keys` (all of them with `refresh`), in order.
    /// Records the run in the run log; never throws for an asset's failure, which is in the summary.
    /// - Parameters:
    ///   - runID: the run's id, when the caller must know it before the run starts (the server answers with it).
    ///   - trigger: what started it, recorded with it.
    public func materialize(_ keys: [AssetKey], refresh: Bool = false, partition: PartitionRange? = nil,
                            command: String, trigger: RunTrigger = .manual, runID: String? = nil, observer: RunObserver) throws -> RunSummary {
        let runLog = try RunLog(layout: layout)
        let runID = runID ?? Self.newRunID(clock.now)
        let started = Date()
        try runLog.begin(runID: runID, command: command, trigger: trigger, at: clock.now)
        var known: [AssetKey: String] = [:]
        var failed = Set<AssetKey>()
        var unavailable = Set<AssetKey>()
        var results: [AssetRunResult] = []
        var checks: [CheckResult] = []
        let checker = CheckRunner(layout: layout, today: clock.today)
        func conclude(_ result: AssetRunResult, index: Int) throws {
            if result.status == .failed || result.status == .blocked { failed.insert(result.key) }
            try runLog.record(result, runID: runID)
            results.append(result)
            if result.status == .blocked { observer.assetFinished(result, index: index, total: keys.count) }
        }
        // The last built asset's checks, running while the next asset builds; concluded before any later result.
        var inFlight: ChecksInFlight?
        let checkpoints = BackgroundCheckpoints()
        defer { checkpoints.waitAll() }
        func land() throws {
            guard let job = inFlight else { return }
            inFlight = nil
            let result = try finish(job.spec, job.built, outcomes: job.results(), runID: runID, runLog: runLog, checks: &checks)
            if result.status == .failed { known[job.spec.key] = nil }
            try conclude(result, index: job.index)
        }
        for (index, key) in keys.enumerated() {
            try holdLayerDatabasesOpen()
            let spec = graph[key]!
            let result: AssetRunResult
            if stopRequested() {
                result = AssetRunResult(key: key, status: .skipped, reason: "not run: the run was stopped before it", outcome: nil, seconds: 0, error: nil)
                observer.assetFinished(result, index: index, total: keys.count)
            } else if let broken = spec.upstreams.first(where: failed.contains) {
                result = AssetRunResult(key: key, status: .blocked, reason: "upstream \(broken) failed", outcome: nil, seconds: 0, error: nil)
            } else if let unusable = try unusableUpstream(of: spec, selected: Set(keys)) {
                result = AssetRunResult(key: key, status: .blocked, reason: unusable, outcome: nil, seconds: 0, error: nil)
            } else if let missing = try spec.upstreams.first(where: unavailable.contains).map({ "upstream \($0) was not built" })
                        ?? unbuiltUpstream(of: spec, selected: Set(keys)) {
                unavailable.insert(key)
                // Not an error of this run: the user selected around an upstream table that is not ready.
                result = AssetRunResult(key: key, status: .skipped, reason: "\(missing); select +\(key) to build it",
                                        outcome: nil, seconds: 0, error: nil)
                observer.assetFinished(result, index: index, total: keys.count)
            } else {
                // An asset built on the one whose checks are still running commits only once they passed.
                let gate = inFlight.flatMap { spec.upstreams.contains($0.spec.key) ? $0 : nil }
                checkpoints.wait(for: layout.database(for: key.layer).path)
                let built = run(spec, index: index, total: keys.count, runID: runID, partition: partition, refresh: refresh,
                                known: &known, gate: gate, observer: observer)
                try land()
                if built.status == .success {
                    if key.layer != .bronze { checkpoints.start(layout.database(for: key.layer).path) }
                    inFlight = ChecksInFlight(spec, built: built, index: index, checker: checker)
                    continue
                }
                result = built
            }
            try land()
            try conclude(result, index: index)
        }
        try land()
        let summary = RunSummary(runID: runID, results: results, seconds: Date().timeIntervalSince(started), checks: checks)
        try runLog.finish(summary, at: clock.now)
        checkpoints.waitAll()
        try checkpoint(runLog: runLog)
        return summary
    }

    /// Keeps a connection to every layer database that exists open for the whole run. While one
    /// is open, the builders' own connections share its WAL index; were it closed in between, the
    /// next connection would rebuild the index from the whole WAL under exclusive locks, and a
    /// reader arriving then would be told the database is locked.
    private func holdLayerDatabasesOpen() throws {
        for layer in [Layer.silver, .gold] where databases[layer] == nil {
            _ = try database(for: layer, create: false)?.scalar("SELECT count(*) FROM sqlite_master")
        }
    }

    /// Hands what the run wrote back from each WAL to its database file, without blocking any
    /// reader, so the WAL does not keep the run's pages and the next writer restarts it.
    private func checkpoint(runLog: RunLog) throws {
        try runLog.database.checkpoint()
        for layer in [Layer.silver, .gold] { try database(for: layer, create: false)?.checkpoint() }
    }

    /// Writes the asset's exports from its table; the error, if one failed.
    private func export(_ spec: AssetSpec, version record: MaterializationRecord, ledger: ExportLedger) -> Error? {
        guard !spec.exports.isEmpty else { return nil }
        do {
            let database = try Database(path: layout.database(for: spec.key.layer).path, readOnly: true)
            for file in spec.exports {
                let destination = try ExportDestination.resolve(out: nil, name: file, folder: false, force: false, layout: layout, ledger: ledger)
                try TableExporter(database: database, table: spec.key.name, metadata: TableExporter.metadata(of: spec, version: record))
                    .export(to: destination, format: .parquet, ledger: ledger)
            }
            return nil
        } catch {
            return error
        }
    }

    /// Completes a materialization whose data is committed (pending) with its checks' `outcomes`:
    /// when no error check failed, writes its exports. The record becomes `complete`, or
    /// `failed` with the failing checks; a failed export leaves it pending, so the next run
    /// writes the exports again. Exports are written only from data that passed its error checks.
    private func finish(_ spec: AssetSpec, _ built: AssetRunResult, outcomes: [CheckResult], runID: String, runLog: RunLog,
                        checks: inout [CheckResult]) throws -> AssetRunResult {
        let key = spec.key
        guard let database = try database(for: key.layer, create: true), let record = try MaterializationLog.latest(key, in: database) else {
            return built
        }
        func failure(_ message: String) -> AssetRunResult {
            AssetRunResult(key: key, status: .failed, reason: built.reason, outcome: built.outcome, seconds: built.seconds, error: message)
        }
        try runLog.record(outcomes, runID: runID)
        checks += outcomes
        let errors = outcomes.filter { $0.status == .error }
        if !errors.isEmpty {
            // The data stays readable; asset_status marks it failed, and nothing downstream is built from it.
            let problem = "error check failed: " + errors.map(\.summary).joined(separator: " | ")
            try MaterializationLog.settle(key, runID: record.runID, as: .failed, problem: problem, in: database)
            return failure(problem)
        }
        if let error = export(spec, version: record, ledger: ExportLedger(runLog: runLog)) {
            return failure("export failed: \(error)")
        }
        try MaterializationLog.settle(key, runID: record.runID, as: .complete, in: database)
        return built
    }

    /// Why a silver or gold upstream outside the selection cannot be built on: its last build
    /// failed an error check. Bronze upstreams do not count: silver reads raw files, whoever wrote them.
    private func unusableUpstream(of spec: AssetSpec, selected: Set<AssetKey>) throws -> String? {
        for upstream in spec.upstreams where upstream.layer != .bronze && !selected.contains(upstream) {
            if let last = try lastMaterialization(of: upstream), last.status == .failed {
                return "upstream \(upstream) failed an error check in run \(last.runID); fix it and run `warehouse materialize \(upstream)+`"
            }
        }
        return nil
    }

    /// A silver or gold upstream outside the selection that has never been materialized, or
    /// whose checks never finished.
    private func unbuiltUpstream(of spec: AssetSpec, selected: Set<AssetKey>) throws -> String? {
        for upstream in spec.upstreams where upstream.layer != .bronze && !selected.contains(upstream) {
            guard let last = try lastMaterialization(of: upstream) else { return "upstream \(upstream) was never built and is not selected" }
            if last.status == .pending { return "upstream \(upstream) has not finished its checks and is not selected" }
        }
        return nil
    }

    /// Builds one asset; with a `gate`, the build commits only after that upstream's checks passed.
    private func run(_ spec: AssetSpec, index: Int, total: Int, runID: String, partition: PartitionRange?, refresh: Bool,
                     known: inout [AssetKey: String], gate: ChecksInFlight?, observer: RunObserver) -> AssetRunResult {
        let key = spec.key
        let started = Date()
        let context = makeContext(key, runID: runID, partition: partition, refresh: refresh, observer: observer)
        context.runCheckpoints = true
        if let gate { context.commitGate = gate.requirePassed }
        do {
            let evaluation = try evaluate(key, context: context, known: known, pending: [], refresh: refresh)
            if !evaluation.reason.rebuilds {
                // Kept as it is (up to date, or only its checks left): still nothing to offer downstream
                // when the upstream it stands on fails its checks.
                try context.commitGate()
            }
            guard evaluation.reason.isStale else {
                known[key] = evaluation.fingerprint
                let result = AssetRunResult(key: key, status: .skipped, reason: evaluation.reason.description, outcome: nil,
                                            seconds: Date().timeIntervalSince(started), error: nil)
                observer.assetFinished(result, index: index, total: total)
                return result
            }
            if case .unfinished = evaluation.reason, let last = try lastMaterialization(of: key) {
                // The data is there; only its checks and exports are left to do.
                known[key] = evaluation.fingerprint
                let result = AssetRunResult(key: key, status: .success, reason: evaluation.reason.description,
                                            outcome: BuildOutcome(rows: last.rows, rejects: last.rejects, recorded: true),
                                            seconds: Date().timeIntervalSince(started), error: nil)
                observer.assetFinished(result, index: index, total: total)
                return result
            }
            observer.assetStarted(key, reason: evaluation.reason, index: index, total: total)
            context.inputs = evaluation.inputs
            context.fingerprint = evaluation.fingerprint
            var outcome = try spec.build(context)
            if let after = outcome.inputsAfter {
                context.inputs = after.merging(evaluation.inputs.filter { $0.key.hasPrefix("asset:") }) { new, _ in new }
                context.fingerprint = Self.fingerprint(version: spec.version, inputs: context.inputs)
            }
            if !outcome.recorded {
                precondition(key.layer == .bronze, "\(key) must record its materialization in its own transaction")
                let database = try self.database(for: key.layer, create: true)!
                try context.record(in: database, rows: outcome.rows, rejects: outcome.rejects)
                outcome.recorded = true
            }
            known[key] = context.fingerprint
            let result = AssetRunResult(key: key, status: .success, reason: evaluation.reason.description, outcome: outcome,
                                        seconds: Date().timeIntervalSince(started), error: nil)
            logger.info("materialized", metadata: ["asset": "\(key)", "run": "\(runID)", "rows": "\(outcome.rows)"])
            observer.assetFinished(result, index: index, total: total)
            return result
        } catch let blocked as UpstreamChecksFailed {
            // Rolled back: as if it had waited for the checks (the run reports it as blocked).
            return AssetRunResult(key: key, status: .blocked, reason: blocked.description, outcome: nil,
                                  seconds: Date().timeIntervalSince(started), error: nil)
        } catch {
            let result = AssetRunResult(key: key, status: .failed, reason: "error", outcome: nil,
                                        seconds: Date().timeIntervalSince(started), error: "\(error)")
            logger.info("asset failed", metadata: ["asset": "\(key)", "run": "\(runID)", "error": "\(error)"])
            observer.assetFinished(result, index: index, total: total)
            return result
        }
    }

    private struct Evaluation {
        let inputs: [String: String]
        let fingerprint: String
        let reason: StaleReason
    }

    private func evaluate(_ key: AssetKey, context: BuildContext, known: [AssetKey: String], pending: Set<AssetKey>,
                          refresh: Bool) throws -> Evaluation {
        let spec = graph[key]!
        var inputs = try spec.inputs(context)
        for upstream in spec.upstreams {
            inputs["asset:\(upstream)"] = try known[upstream] ?? lastMaterialization(of: upstream)?.fingerprint ?? "never"
        }
        let fingerprint = Self.fingerprint(version: spec.version, inputs: inputs)
        let waiting = spec.upstreams.filter(pending.contains)
        let reason: StaleReason
        if refresh {
            reason = .forced
        } else if let last = try lastMaterialization(of: key) {
            if last.version != spec.version {
                reason = .versionChanged(from: last.version, to: spec.version)
            } else if !waiting.isEmpty {
                reason = .upstreamPending(waiting.sorted())
            } else if last.fingerprint != fingerprint {
                let names = Set(inputs.keys).union(last.inputs.keys).filter { inputs[$0] != last.inputs[$0] }.sorted()
                reason = .inputsChanged(names.isEmpty ? ["fingerprint"] : names)
            } else if last.status == .failed {
                reason = .failedChecks(runID: last.runID)
            } else if last.status == .pending {
                reason = .unfinished(runID: last.runID)
            } else {
                reason = .upToDate
            }
        } else {
            reason = .neverBuilt
        }
        return Evaluation(inputs: inputs, fingerprint: fingerprint, reason: reason)
    }

    static func fingerprint(version: String, inputs: [String: String]) -> String {
        var hasher = Fingerprint()
        hasher.add(version)
        for name in inputs.keys.sorted() { hasher.add(name); hasher.add(inputs[name]!) }
        return hasher.finish()
    }

    private func makeContext(_ key: AssetKey, runID: String, partition: PartitionRange?, refresh: Bool,
                             observer: RunObserver) -> BuildContext {
        BuildContext(key: key, version: graph[key]!.version, layout: layout, runID: runID, clock: clock,
                     partition: partition, refresh: refresh, logger: logger, resources: resources) { done, total in
            observer.assetProgress(key, done: done, total: total)
        }
    }

    private func database(for layer: Layer, create: Bool) throws -> Database? {
        if let open = databases[layer] { return open }
        let path = layout.database(for: layer).path
        guard create || FileManager.default.fileExists(atPath: path) else { return nil }
        let readOnly = readsOnly && !create
        let database = try Database(path: path, readOnly: readOnly)
        if !readOnly { _ = try database.withoutAutomaticCheckpoints() }
        if create { try MaterializationLog.prepare(database) }
        databases[layer] = database
        return database
    }

    /// A new run id: the start time, compact, and a random suffix.
    public static func newRunID(_ now: Date) -> String {
        let stamp = ISO8601.format(now).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        return "\(stamp)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }
}
