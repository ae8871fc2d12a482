import Foundation
import Logging
import Pipeline
import Warehouse

/// Starts materializations for `POST /api/v1/runs`, one at a time per root: it takes the root
/// lock before answering, so a second start while a run holds it (this server's or another
/// process's) is refused with the running id, and runs the orchestrator on a thread of its own.
final class RunLauncher: @unchecked Sendable {
    let pipeline: Pipeline
    private var current: String?
    private let lock = NSLock()

    init(pipeline: Pipeline) { self.pipeline = pipeline }

    /// The run this server started that is still going, if any.
    var running: String? {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Starts a run of `selection` (the materialize grammar); returns its id.
    /// - Throws: `APIError` 400 for a selection that selects nothing, 409 while a run holds the root.
    func start(selection: [String], refresh: Bool) throws -> String {
        let graph = try pipeline.graph()
        let keys: [AssetKey]
        do {
            keys = graph.addingFollowers(try pipeline.resolve(try Selection(parsing: selection)))
        } catch let error as SelectionError {
            throw APIError.badParameter("select", error.problem, fix: error.fix ?? "see GET /api/v1/assets")
        }
        lock.lock()
        defer { lock.unlock() }
        let rootLock: RootLock
        do {
            rootLock = try RootLock(layout: pipeline.layout, wait: false)
        } catch RootLockError.busy {
            let id = current ?? (try? Database(path: pipeline.layout.runLogDatabase.path, readOnly: true)).flatMap { try? RunLog.running(in: $0) }
            throw APIError(status: 409, error: "a run is in progress", detail: "run \(id ?? "(another process)") holds this root",
                           fix: "wait for it: GET /api/v1/runs/\(id ?? "")")
        }
        let pipeline = self.pipeline
        let runID = Orchestrator.newRunID(pipeline.clock.now)
        current = runID
        let command = "serve: POST /api/v1/runs " + selection.joined(separator: " ") + (refresh ? " --refresh" : "")
        let logger = pipeline.logger
        let thread = Thread { [weak self] in
            do {
                _ = try pipeline.materialize(keys, refresh: refresh, command: command, trigger: .api, runID: runID, observer: SilentObserver())
            } catch {
                logger.error("run failed to start or finish", metadata: ["run": "\(runID)", "error": "\(error)"])
            }
            withExtendedLifetime(rootLock) {}
            self?.finished(runID)
        }
        thread.stackSize = 8 << 20
        thread.start()
        return runID
    }

    private func finished(_ runID: String) {
        lock.lock()
        if current == runID { current = nil }
        lock.unlock()
    }
}
