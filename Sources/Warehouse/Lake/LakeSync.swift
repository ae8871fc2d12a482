import Foundation

/// Keeps `[lake] dir` in step with gold: each gold table becomes `DIR/<table>/` in a Hive
/// layout (`month=2026-11/part-00000.parquet`; a table without a `date` column is one
/// `part-00000.parquet`), and a sync rewrites only the partitions whose rows changed.
///
/// Each partition file is written aside and renamed into place, so a reader sees a partition's
/// previous file or its new one, never half of one. A partition whose rows are gone is removed
/// only when its file is one the lake wrote; a folder the lake did not make is never touched.
public struct LakeSync {
    public let settings: LakeSettings
    public let layout: WarehouseLayout

    public init(settings: LakeSettings, layout: WarehouseLayout) {
        self.settings = settings
        self.layout = layout
    }

    /// The lake's folder.
    public var folder: URL { settings.folder(root: layout.root) }

    /// Brings one asset's folder up to its newest complete materialization.
    /// - Throws: `ExportError` when the folder is not the lake's or cannot be written, or the database error.
    public func sync(_ spec: AssetSpec) throws -> LakeTableSync {
        let started = Date()
        let key = spec.key
        let path = layout.database(for: key.layer)
        guard FileManager.default.fileExists(atPath: path.path) else { return LakeTableSync(table: key.description, outcome: .skipped("never materialized")) }
        try ExportDestination.refuseWarehouseFiles(folder, layout: layout)
        let database = try Database(path: path.path, readOnly: true)
        var result = try database.snapshot { () -> LakeTableSync in
            guard let record = try MaterializationLog.latest(key, in: database), try database.tableExists(key.name) else {
                return LakeTableSync(table: key.description, outcome: .skipped("never materialized"))
            }
            switch record.status {
            case .failed: return LakeTableSync(table: key.description, outcome: .skipped("its error checks failed; the lake keeps the last version that passed"))
            case .pending: return LakeTableSync(table: key.description, outcome: .skipped("its checks have not run; `warehouse materialize` finishes them"))
            case .complete: break
            }
            let exporter = TableExporter(database: database, table: key.name, metadata: TableExporter.metadata(of: spec, version: record))
            return try TableFolder(lake: self, exporter: exporter, url: folder.appendingPathComponent(key.name, isDirectory: true), record: record).sync()
        }
        result.seconds = Date().timeIntervalSince(started)
        return result
    }
}

/// One table's folder in the lake, synced in two passes over the table: digests of every
/// partition, then the changed partitions written.
private struct TableFolder {
    let lake: LakeSync
    let exporter: TableExporter
    let url: URL
    let record: MaterializationRecord

    func sync() throws -> LakeTableSync {
        let previous = LakeManifest.read(in: url)
        try claim(previous)
        let columns = try exporter.columns()
        let partitioning = try columns.contains { $0.name == "date" } ? exporter.partitioning(lake.settings.partitionBy, columns) : nil
        let shape = ([partitioning?.name ?? "none", "\(lake.settings.rowGroupRows)", lake.settings.codec.rawValue]
                     + columns.map { "\($0.name):\($0.kind):\($0.required)" }).joined(separator: "|")
        var result = LakeTableSync(table: record.asset.description, outcome: .unchanged)
        if let previous, previous.fingerprint == record.fingerprint, previous.shape == shape,
           previous.partitions.values.allSatisfy({ FileIdentity.of(url.appendingPathComponent($0.path)) == $0.identity }) {
            result.rows = previous.partitions.values.map(\.rows).reduce(0, +)
            result.kept = previous.partitions.count
            return result
        }
        result.outcome = .synced
        let digests = try digest(columns, partitioning)
        let stale = previous?.shape == shape ? previous?.partitions ?? [:] : [:]
        let changed = Set(digests.keys.filter { key in
            guard let old = stale[key] else { return true }
            return old.digest != digests[key]!.digest || FileIdentity.of(file(of: key, partitioning)) != old.identity
        })
        var partitions = try write(changed, columns, partitioning, digests: digests)
        for (key, entry) in stale where digests[key] != nil && !changed.contains(key) { partitions[key] = entry }
        let paths = Set(partitions.values.map(\.path))
        for entry in (previous?.partitions ?? [:]).values where !paths.contains(entry.path) {
            if remove(url.appendingPathComponent(entry.path), recorded: entry.identity) { result.removed += 1 }
        }
        try LakeManifest(asset: record.asset.description, fingerprint: record.fingerprint, runID: record.runID, shape: shape,
                         partitions: partitions, syncedAt: ISO8601.format(Date())).write(in: url)
        result.rows = digests.values.map(\.rows).reduce(0, +)
        result.written = changed.count
        result.kept = digests.count - changed.count
        return result
    }

    /// Makes sure the folder is the lake's: new, empty, holding a manifest of this asset, or
    /// only Parquet files this product wrote.
    private func claim(_ manifest: LakeManifest?) throws {
        guard ExportDestination.isDirectory(url) else {
            if FileManager.default.fileExists(atPath: url.path) { throw ExportError.notAnExport(path: url.path, folder: false) }
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw ExportError.unwritable(path: url.path, reason: (error as NSError).localizedDescription)
            }
            return
        }
        if let manifest {
            guard manifest.asset == record.asset.description else { throw ExportError.notAnExport(path: url.path, folder: true) }
            return
        }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        guard contents.isEmpty || ParquetWriter.wrote(url) else { throw ExportError.notAnExport(path: url.path, folder: true) }
    }

    private func file(of key: String, _ partitioning: TableExporter.Partitioning?) -> URL {
        url.appendingPathComponent(relativePath(of: key, partitioning))
    }

    private func relativePath(of key: String, _ partitioning: TableExporter.Partitioning?) -> String {
        partitioning.map { "\($0.folder(key))/\(TableExporter.partFile)" } ?? TableExporter.partFile
    }

    /// Pass one: every partition's digest and rows.
    private func digest(_ columns: [ParquetColumn], _ partitioning: TableExporter.Partitioning?) throws -> [String: (digest: String, rows: Int)] {
        var digests: [String: (digest: String, rows: Int)] = [:]
        var current: (key: String, digest: RowDigest, rows: Int)?
        func close() {
            guard var open = current else { return }
            digests[open.key] = (open.digest.finish(), open.rows)
        }
        let count = Int32(columns.count)
        try exporter.scan(columns, by: partitioning, begin: { key in
            close()
            current = (key, RowDigest(), 0)
        }, row: { statement in
            current!.digest.add(statement, columns: count)
            current!.rows += 1
        })
        close()
        return digests
    }

    /// Pass two: the changed partitions' files, each written aside then renamed into place;
    /// returns their manifest entries.
    private func write(_ changed: Set<String>, _ columns: [ParquetColumn], _ partitioning: TableExporter.Partitioning?,
                       digests: [String: (digest: String, rows: Int)]) throws -> [String: LakeManifest.Partition] {
        guard !changed.isEmpty else { return [:] }
        let fileColumns = exporter.fileColumns(columns, partitioning)
        var entries: [String: LakeManifest.Partition] = [:]
        var open: (key: String, writer: ParquetWriter, temporary: URL)?
        func close() throws {
            guard let current = open else { return }
            open = nil
            let destination = file(of: current.key, partitioning)
            try current.writer.close()
            guard rename(current.temporary.path, destination.path) == 0 else {
                throw ExportError.unwritable(path: destination.path, reason: String(cString: strerror(errno)))
            }
            entries[current.key] = LakeManifest.Partition(path: relativePath(of: current.key, partitioning), digest: digests[current.key]!.digest, rows: digests[current.key]!.rows,
                                                           identity: FileIdentity.of(destination) ?? "")
        }
        do {
            try exporter.scan(columns, by: partitioning, begin: { key in
                try close()
                guard changed.contains(key) else { return }
                let destination = file(of: key, partitioning)
                let folder = destination.deletingLastPathComponent()
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let temporary = folder.appendingPathComponent(".\(TableExporter.partFile).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
                open = (key, try ParquetWriter(path: temporary.path, columns: fileColumns, rowGroupSize: lake.settings.rowGroupRows,
                                               metadata: exporter.metadata, codec: lake.settings.codec), temporary)
            }, row: { statement in
                try open?.writer.append(exporter.fileValues(statement, columns, partitioning))
            })
            try close()
        } catch {
            if let open { try? FileManager.default.removeItem(at: open.temporary) }
            if error is ExportError || error is DatabaseError { throw error }
            throw ExportError.unwritable(path: url.path, reason: (error as NSError).localizedDescription)
        }
        return entries
    }

    /// Removes a partition whose rows are gone: its file when it is the one the lake wrote (or
    /// one of this product's Parquet files), then its folder when nothing else is left in it.
    private func remove(_ file: URL, recorded identity: String) -> Bool {
        guard FileIdentity.of(file) == identity || ParquetWriter.wrote(file) else { return false }
        guard (try? FileManager.default.removeItem(at: file)) != nil else { return false }
        let folder = file.deletingLastPathComponent()
        if folder != url, (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
            try? FileManager.default.removeItem(at: folder)
        }
        return true
    }
}
