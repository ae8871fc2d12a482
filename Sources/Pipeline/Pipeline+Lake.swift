import Foundation
import Warehouse

extension Pipeline {
    /// After a run, when `[lake]` is set: syncs every gold asset to the lake (an unchanged one
    /// costs reading its manifest). A failure is a warning: the run's data is safe in SQLite,
    /// the lake keeps the table's previous files, and the next run syncs it.
    func syncLakeAfterRun(_ summary: inout RunSummary) {
        guard let settings = settings.lake else { return }
        let lake = LakeSync(settings: settings, layout: layout)
        var tally = LakeTally(folder: lake.folder.path)
        defer { summary.lake = tally }
        let specs: [AssetSpec]
        do {
            let graph = try graph()
            specs = graph.order.compactMap { graph[$0] }.filter { $0.key.layer == .gold }
        } catch {
            tally.failures = 1
            logger.warning("nothing synced to the lake; the next run syncs it", metadata: ["lake": "\(lake.folder.path)", "error": "\(error)"])
            return
        }
        for spec in specs {
            do {
                let sync = try lake.sync(spec)
                switch sync.outcome {
                case .synced:
                    tally.tables += 1
                    tally.written += sync.written
                    tally.kept += sync.kept
                    tally.removed += sync.removed
                case .unchanged: tally.unchanged += 1
                case .skipped: break
                }
            } catch {
                tally.failures += 1
                logger.warning("not synced to the lake; the next run syncs it", metadata: ["table": "\(spec.key)", "error": "\(error)"])
            }
        }
    }
}
