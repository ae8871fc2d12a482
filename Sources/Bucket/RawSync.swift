import Foundation
import Warehouse

/// `warehouse raw sync`: moves raw history between a root and the team's bucket explicitly,
/// both ways by default. Only whole snapshots move (body and metadata), nothing is ever
/// overwritten on either side, and a snapshot already on the other side is left alone.
public struct RawSync {
    public let cache: BucketRawCache
    public let local: RawStore

    public init(cache: BucketRawCache, local: RawStore) {
        self.cache = cache
        self.local = local
    }

    /// What a sync moved.
    public struct Report: Sendable {
        public var downloaded = 0
        public var uploaded = 0
        /// Snapshots present on both sides already.
        public var unchanged = 0
        public var bytes = 0
        /// Snapshots that could not be moved, with why (the rest still moved).
        public var failures: [(path: String, error: String)] = []
        public init() {}
    }

    /// Copies into the root every snapshot of the bucket within `days` that the root lacks.
    public func pull(days range: ClosedRange<Day>?, report: inout Report) throws {
        for day in try cache.days() where range?.contains(day) ?? true {
            for dataset in try cache.prefetch(day: day) {
                let have = Set(try local.keys(of: dataset, on: day))
                let shared = try cache.keys(of: dataset, on: day)
                report.unchanged += shared.filter(have.contains).count
                for key in shared where !have.contains(key) {
                    do {
                        let snapshot = try cache.download(dataset, key: key, on: day, into: local)
                        report.downloaded += 1
                        report.bytes += (try? FileManager.default.attributesOfItem(atPath: snapshot.bodyPath)[.size] as? Int) ?? 0
                    } catch {
                        report.failures.append(("raw/\(day)/\(dataset.source)/\(dataset.dataset)/\(key)", "\(error)"))
                    }
                }
            }
        }
    }

    /// Uploads every snapshot of the root within `days` that the bucket does not hold as it is
    /// (a name another writer took gets the refetch name, see `BucketRawCache.upload`).
    public func push(days range: ClosedRange<Day>?, report: inout Report) throws {
        let datasets = try local.datasets()
        for day in try local.days() where range?.contains(day) ?? true {
            _ = try cache.prefetch(day: day)
            for dataset in datasets {
                for snapshot in try local.snapshots(of: dataset, on: day) {
                    if try cache.holds(snapshot) { report.unchanged += 1; continue }
                    do {
                        try cache.upload(snapshot, from: local)
                        report.uploaded += 1
                        report.bytes += (try? FileManager.default.attributesOfItem(atPath: snapshot.bodyPath)[.size] as? Int) ?? 0
                    } catch {
                        report.failures.append((snapshot.relativePath, "\(error)"))
                    }
                }
            }
        }
    }
}
