import Foundation
import Warehouse

extension Pipeline {
    /// Materializes `keys` as one recorded run, then sends the run's alerts (`[[alerts]]`): the
    /// one way the CLI, the scheduler and the server start runs.
    /// - Parameter configure: adjusts the orchestrator first (a daemon's stop request).
    public func materialize(_ keys: [AssetKey], refresh: Bool = false, partition: PartitionRange? = nil, command: String,
                            trigger: RunTrigger, runID: String? = nil, observer: RunObserver,
                            configure: (Orchestrator) -> Void = { _ in }) throws -> RunSummary {
        let orchestrator = try orchestrator()
        configure(orchestrator)
        let summary = try orchestrator.materialize(keys, refresh: refresh, partition: partition, command: command, trigger: trigger,
                                                   runID: runID, observer: observer)
        let clock = self.clock
        AlertDispatcher(targets: settings.alerts, layout: layout, logger: logger, baseDelay: settings.retryBaseSeconds, now: { clock.now })
            .send(summary, trigger: trigger)
        return summary
    }
}
