import Warehouse

/// A raw snapshot with its metadata, in the order in which snapshots win where they overlap:
/// newest fetch first (`fetched_at`, else the day), then key.
struct SnapshotSource {
    let snapshot: RawSnapshot
    let meta: Meta?

    /// What silver uses of a snapshot's metadata: when it was fetched (which snapshot wins, when
    /// a poll was received), what the body must hash to, and the span of time it was asked for.
    /// A build over years of history holds one per file for its whole run, so the rest (URL,
    /// other parameters) is not kept.
    struct Meta {
        let fetchedAt: String
        let sha256: String
        let bytes: Int
        /// The range a range endpoint was asked for (`from`/`to` in Unix seconds), in Unix
        /// milliseconds; nil when the parameters name none. What the request asked, not what the
        /// body holds: a reader that relies on it checks the body against it.
        let window: ClosedRange<Int64>?

        init(_ meta: SnapshotMeta) {
            fetchedAt = meta.fetchedAt
            sha256 = meta.sha256
            bytes = meta.bytes
            if let from = meta.unixSeconds("from"), let to = meta.unixSeconds("to"), from <= to {
                window = (from * 1000)...(to * 1000 + 999)
            } else {
                window = nil
            }
        }
    }

    init(snapshot: RawSnapshot, meta: SnapshotMeta?) {
        self.snapshot = snapshot
        self.meta = meta.map(Meta.init)
    }

    /// Whether `a` wins over `b`.
    static func newer(_ a: SnapshotSource, _ b: SnapshotSource) -> Bool {
        let fa = a.meta?.fetchedAt ?? a.snapshot.day.description, fb = b.meta?.fetchedAt ?? b.snapshot.day.description
        return fa != fb ? fa > fb : a.snapshot.key > b.snapshot.key
    }

    /// The snapshots with their metadata, newest first. A snapshot without readable metadata
    /// ranks by its day.
    static func newestFirst(_ snapshots: [RawSnapshot], store: RawStore) -> [SnapshotSource] {
        snapshots.map { SnapshotSource(snapshot: $0, meta: try? store.meta(of: $0)) }.sorted(by: newer)
    }

    /// The snapshots with their metadata in the order they were written: day, then name
    /// (segment names carry their opening time), as an append-only table adds them.
    static func oldestFirst(_ snapshots: [RawSnapshot], store: RawStore) -> [SnapshotSource] {
        snapshots.sorted { ($0.day, $0.dataset.description, $0.key) < ($1.day, $1.dataset.description, $1.key) }
            .map { SnapshotSource(snapshot: $0, meta: try? store.meta(of: $0)) }
    }
}
