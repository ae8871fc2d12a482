import Foundation

/// Snapshots found by day, dataset and key, with their metadata: the raw folder of a root, or
/// the team's shared bucket. Cache lookups ask either the same way, so one freshness rule
/// decides what answers a request wherever the snapshot lives.
public protocol SnapshotCatalog {
    /// The fetch days present, ascending.
    func days() throws -> [Day]
    /// The keys of a dataset's snapshots on a day (refetches included), ascending.
    func keys(of dataset: RawDataset, on day: Day) throws -> [String]
    /// Whether a snapshot of exactly this key exists on a day.
    func contains(_ dataset: RawDataset, key: String, on day: Day) throws -> Bool
    /// A snapshot's metadata, nil when it has none.
    func meta(of dataset: RawDataset, key: String, on day: Day) throws -> SnapshotMeta?
}

extension SnapshotCatalog {
    /// The newest snapshot answering for `key` on a day: its last refetch, else the key's own;
    /// nil when the key was not fetched that day.
    public func newestKey(answering key: String, of dataset: RawDataset, on day: Day) throws -> String? {
        guard try contains(dataset, key: key, on: day) else { return nil }
        return try keys(of: dataset, on: day).filter { RawKey.base(of: $0) == key }.max { RawKey.fetchOrder(of: $0) < RawKey.fetchOrder(of: $1) }
    }
}

extension RawStore: SnapshotCatalog {
    public func keys(of dataset: RawDataset, on day: Day) throws -> [String] { try snapshots(of: dataset, on: day).map(\.key) }

    public func contains(_ dataset: RawDataset, key: String, on day: Day) -> Bool { snapshot(of: dataset, key: key, on: day) != nil }

    public func meta(of dataset: RawDataset, key: String, on day: Day) throws -> SnapshotMeta? {
        guard let snapshot = snapshot(of: dataset, key: key, on: day) else { return nil }
        return try meta(of: snapshot)
    }
}
