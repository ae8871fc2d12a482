import Foundation

/// What the lake holds of one table (`DIR/<table>/_warehouse_lake.json`, ignored by Hive
/// readers for its leading underscore): the version synced, how it was written, and per
/// partition the digest of its rows and the identity of its file, so the next sync rewrites
/// only partitions whose rows changed and notices a file someone removed or replaced.
struct LakeManifest: Codable, Equatable {
    struct Partition: Codable, Equatable {
        /// The file, relative to the table's folder: `month=2026-11/part-00000.parquet`.
        var path: String
        /// SHA-256 over the partition's rows in primary-key order.
        var digest: String
        var rows: Int
        /// `FileIdentity` of the partition's file as written.
        var identity: String
    }

    var asset: String
    var fingerprint: String
    var runID: String
    /// Partitioning, row group size, codec and columns: a change rewrites every partition.
    var shape: String
    var partitions: [String: Partition]
    var syncedAt: String

    static let fileName = "_warehouse_lake.json"

    enum CodingKeys: String, CodingKey {
        case asset, fingerprint, shape, partitions
        case runID = "run_id"
        case syncedAt = "synced_at"
    }

    /// The manifest in a table's folder; nil when there is none or it cannot be read (then
    /// every partition counts as changed, which is always safe).
    static func read(in folder: URL) -> LakeManifest? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(fileName).path) else { return nil }
        return try? JSONDecoder().decode(LakeManifest.self, from: data)
    }

    /// Writes the manifest aside and renames it into place.
    func write(in folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = folder.appendingPathComponent(Self.fileName)
        let temporary = folder.appendingPathComponent(".\(Self.fileName).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        do {
            try encoder.encode(self).write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else { throw ExportError.unwritable(path: url.path, reason: String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error as? ExportError ?? ExportError.unwritable(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }
}
