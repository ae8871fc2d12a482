import Bucket
import Foundation
import Warehouse

extension Pipeline {
    /// Materializes `keys` as one recorded run, publishes to PostgreSQL (`[targets.postgres]`),
    /// syncs the Parquet lake (`[lake]`), then sends the run's alerts (`[[alerts]]`): the one way the CLI, the scheduler and the
    /// server start runs.
    /// - Parameter configure: adjusts the orchestrator first (a daemon's stop request).
    public func materialize(_ keys: [AssetKey], refresh: Bool = false, partition: PartitionRange? = nil, command: String,
                            trigger: RunTrigger, runID: String? = nil, observer: RunObserver,
                            configure: (Orchestrator) -> Void = { _ in }) throws -> RunSummary {
        let orchestrator = try orchestrator()
        configure(orchestrator)
        var summary = try orchestrator.materialize(keys, refresh: refresh, partition: partition, command: command, trigger: trigger,
                                                   runID: runID, observer: observer)
        if let cache = orchestrator.resources.find((any SharedRawCache).self) as? BucketRawCache {
            uploadWhatTheBucketLacks(cache, summary: &summary)
        }
        publishAfterRun(&summary)
        syncLakeAfterRun(&summary)
        let clock = self.clock
        AlertDispatcher(targets: settings.alerts, layout: layout, logger: logger, baseDelay: settings.retryBaseSeconds, now: { clock.now })
            .send(summary, trigger: trigger)
        return summary
    }
}

extension Pipeline {
    /// Uploads today's snapshots the team's bucket lacks: those fetched while it was down, by a
    /// run cut off before its uploads, or before the root had a bucket. What cannot be uploaded
    /// is a warning each, and stays for the next run.
    func uploadWhatTheBucketLacks(_ cache: BucketRawCache, summary: inout RunSummary) {
        var report = RawSync.Report()
        let local = RawStore(layout: layout)
        do {
            try RawSync(cache: cache, local: local).push(days: clock.today...clock.today, report: &report)
        } catch {
            let today = (try? local.datasets().map { try local.snapshots(of: $0, on: clock.today).count }.reduce(0, +)) ?? 0
            logger.warning("today's snapshots were not checked against the shared raw cache; a later run uploads what it lacks", metadata: ["error": "\(error)"])
            summary.pendingUploads = today
            return
        }
        for failure in report.failures {
            logger.warning("not uploaded to the shared raw cache; a later run uploads it", metadata: ["file": "\(failure.path)", "error": "\(failure.error)"])
        }
        summary.lateUploads = report.uploaded
        summary.pendingUploads = report.failures.count
        try? RunLog(layout: layout).recordUploads(runID: summary.runID, uploads: summary.uploads, failures: summary.uploadFailures)
    }
}
