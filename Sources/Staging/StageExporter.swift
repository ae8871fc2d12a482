import Foundation
import Warehouse

/// `warehouse stage export`: the ticks of a window of `silver.exchange_ticks` copied into one
/// file under `<out>/staging/`, with a run metadata JSON beside it. silver.sqlite is only read,
/// on one consistent snapshot, so the counts in the metadata are those of the file even while a
/// `materialize` appends; the file appears whole (written aside, then renamed).
public struct StageExporter {
    public let layout: WarehouseLayout
    /// Recorded in the metadata, e.g. `warehouse 0.14.0`.
    public let toolVersion: String

    public init(layout: WarehouseLayout, toolVersion: String) {
        self.layout = layout
        self.toolVersion = toolVersion
    }

    /// The folder exports go to: `<out>/staging`, `ROOT/staging` by default.
    public func folder(out: URL?) -> URL {
        (out ?? layout.root).appendingPathComponent("staging", isDirectory: true).standardizedFileURL
    }

    /// What the window holds, without writing anything (`--list-only`).
    /// - Throws: `StageError` for a bad request or a missing table, `DatabaseError` when silver cannot be read.
    public func inventory(_ request: StageRequest) throws -> StageInventory {
        try request.validate()
        let silver = try openSilver()
        return try silver.snapshot { try inventory(request, in: silver) }
    }

    /// Writes the window's ticks and the run metadata; returns what was written.
    /// - Parameter out: the folder under which `staging/` is made (nil: the warehouse root).
    /// - Throws: `StageError` naming the flag or path and what to do; nothing at the
    ///   destination is touched unless it is an earlier staging export.
    public func export(_ request: StageRequest, out: URL? = nil, now: Date = Date()) throws -> StageRun {
        try request.validate()
        let folder = self.folder(out: out)
        let file = folder.appendingPathComponent(request.fileName)
        let metadataFile = folder.appendingPathComponent(request.metadataFileName)
        try checkDestination(folder: folder, file: file, metadataFile: metadataFile)
        let silver = try openSilver()
        let temporary = folder.appendingPathComponent(".\(request.fileName).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        do {
            let (inventory, version) = try silver.snapshot {
                let inventory = try self.inventory(request, in: silver)
                try write(request, from: silver, to: temporary.path, expecting: inventory.rows)
                return (inventory, try MaterializationLog.latest(AssetKey(.silver, "exchange_ticks"), in: silver))
            }
            let (bytes, sha256) = try Self.digest(of: temporary)
            // rename(2) replaces an earlier export atomically: a reader sees the old file or the new one.
            guard rename(temporary.path, file.path) == 0 else {
                throw StageError.unwritable(path: file.path, reason: "the finished file cannot be renamed into place (\(String(cString: strerror(errno))))")
            }
            let run = StageRun(request: request, inventory: inventory, file: file, metadataFile: metadataFile, bytes: bytes, sha256: sha256,
                               createdAt: now, toolVersion: toolVersion, silverVersion: version)
            try AtomicFile.write(Data(run.metadataJSON), to: metadataFile)
            return run
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    private func openSilver() throws -> Database {
        let path = layout.silverDatabase.path
        guard FileManager.default.fileExists(atPath: path) else { throw StageError.noTicks(path: path) }
        let silver = try Database(path: path, readOnly: true)
        guard try silver.tableExists("exchange_ticks"), try silver.tableExists("_raw_files") else { throw StageError.noTicks(path: path) }
        return silver
    }

    /// The WHERE clause of a window and its arguments.
    private func window(_ request: StageRequest) -> (sql: String, arguments: [SQLValue]) {
        var sql = "t.received_ts >= ? AND t.received_ts < ?"
        var arguments: [SQLValue] = [.integer(request.startMillis), .integer(request.endMillis)]
        for (column, values) in [("exchange", request.exchanges), ("base", request.assets)] {
            guard let values else { continue }
            sql += " AND t.\(column) IN (\(values.map { _ in "?" }.joined(separator: ", ")))"
            arguments += values.map(SQLValue.text)
        }
        return (sql, arguments)
    }

    private func inventory(_ request: StageRequest, in silver: Database) throws -> StageInventory {
        let (condition, arguments) = window(request)
        var counts: [String: [String: Int]] = [:]
        for row in try silver.rows("SELECT t.exchange, t.base, count(*) FROM exchange_ticks t WHERE \(condition) GROUP BY t.exchange, t.base", arguments) {
            counts[row[0].string ?? "", default: [:]][row[1].string ?? ""] = row[2].int ?? 0
        }
        let sources = try silver.rows("""
            SELECT f.path, f.sha256, s.rows FROM (SELECT t.raw_file_id, count(*) AS rows FROM exchange_ticks t WHERE \(condition) GROUP BY t.raw_file_id) s
            JOIN _raw_files f USING (raw_file_id) ORDER BY f.path
            """, arguments).map { StageInventory.SourceFile(path: $0[0].string ?? "", sha256: $0[1].string, rows: $0[2].int ?? 0) }
        return StageInventory(rowsByExchangeAsset: counts, sourceFiles: sources)
    }

    /// Streams the window's rows, in reception order, into a file of the request's format.
    private func write(_ request: StageRequest, from silver: Database, to path: String, expecting rows: Int) throws {
        let (condition, arguments) = window(request)
        // The order of the received_ts index, whose entries end with the primary key: no sort.
        let select = try silver.prepare("""
            SELECT t.exchange, t.symbol, t.base, t.quote, t.bid, t.ask, t.last, t.mid, t.volume, t.exchange_ts, t.received_ts, t.source, f.path, t.raw_line
            FROM exchange_ticks t JOIN _raw_files f USING (raw_file_id) WHERE \(condition)
            ORDER BY t.received_ts, t.exchange, t.symbol, t.raw_file_id, t.raw_line
            """)
        try select.bind(arguments)
        let writer = try StageFileWriter(path: path, format: request.format)
        var written = 0
        var values = [SQLValue](repeating: .null, count: StagedTicks.layout.columns.count)
        while try select.step() {
            for column in 0..<11 { values[column] = select.value(at: Int32(column)) }
            values[11] = .text(ISO8601.format(unixMilliseconds: select.int64(at: 10)))
            for column in 11..<14 { values[column + 1] = select.value(at: Int32(column)) }
            try writer.append(values)
            written += 1
        }
        try writer.finish()
        // Both reads share one snapshot; a difference would mean the file and its metadata disagree.
        guard written == rows else { throw StageError.unwritable(path: path, reason: "\(written) rows were read but the window counts \(rows)") }
    }

    /// Refuses a destination inside the warehouse's own files, or a file there that is not ours.
    private func checkDestination(folder: URL, file: URL, metadataFile: URL) throws {
        let resolved = folder.resolvingSymlinksInPath().path
        let raw = layout.rawDirectory.resolvingSymlinksInPath().path
        if resolved == raw || resolved.hasPrefix(raw + "/") { throw StageError.warehouseFile(path: folder.path) }
        if FileManager.default.fileExists(atPath: file.path), !FileManager.default.fileExists(atPath: metadataFile.path) {
            throw StageError.notAStagingExport(path: file.path)
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StageError.unwritable(path: folder.path, reason: "the folder cannot be created (\(error.localizedDescription))")
        }
        guard access(folder.path, W_OK) == 0 else { throw StageError.unwritable(path: folder.path, reason: "the folder is not writable") }
    }

    /// The size and sha256 of a file, read a megabyte at a time.
    static func digest(of url: URL) throws -> (Int, String) {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw StageError.unwritable(path: url.path, reason: "the file written cannot be read back") }
        defer { try? handle.close() }
        var hasher = Fingerprint()
        var bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            bytes += chunk.count
            chunk.withUnsafeBytes { hasher.add(bytes: $0) }
        }
        return (bytes, hasher.finish())
    }
}
