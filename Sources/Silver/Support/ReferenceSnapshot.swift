import Foundation
import Warehouse

/// A reference snapshot that a builder reads whole before its rows: DeFi Llama's chain and
/// protocol lists, CoinGecko's coin list. The newest one of its key is read (and vouched for)
/// like any other; one that cannot be read or parsed does not stop the build: it is rejected,
/// named, and the build goes on without what it would have told.
enum ReferenceSnapshot {
    /// The parsed body of the newest snapshot of `key` in `dataset`; nil when there is none or
    /// it was rejected into `rejects`.
    static func newest(_ key: String, of dataset: RawDataset, store: RawStore, reader: SnapshotReader,
                       rejects: inout RejectLog) throws -> JSONValue? {
        guard let day = try store.snapshots(of: dataset).last(where: { RawKey.base(of: $0.key) == key })?.day,
              let snapshot = try store.newest(of: dataset, key: key, on: day) else { return nil }
        do {
            return try JSONValue.parse(reader.body(of: SnapshotSource(snapshot: snapshot, meta: try? store.meta(of: snapshot))))
        } catch {
            rejects.add(file: snapshot.relativePath, locator: "file", reason: "\(error)")
            return nil
        }
    }
}
