import Foundation

/// Where an export goes, decided before a byte is written: never over something the user
/// owns, never over the warehouse itself.
///
/// `--out` naming a directory (or ending in `/`) writes `DIR/<name>` inside it; an existing
/// file is replaced only when it is a previous export (or with `force`), and then atomically;
/// a warehouse database, the raw layer or any SQLite file is never a destination.
public struct ExportDestination: Equatable {
    /// The file (or, partitioned, the folder) the export becomes.
    public let url: URL
    /// Whether something already at `url` is replaced.
    public let replaces: Bool

    /// Resolves an `--out` value (nil: `ROOT/exports/<name>`).
    /// - Parameters:
    ///   - name: `<table>.<format>`, or `<table>` for a partitioned folder.
    ///   - folder: whether the export is a folder (partitioned Parquet).
    /// - Throws: `ExportError` naming the path and what to do.
    public static func resolve(out: String?, name: String, folder: Bool, force: Bool, layout: WarehouseLayout,
                               ledger: ExportLedger) throws -> ExportDestination {
        var url: URL
        if let out {
            guard !out.trimmingCharacters(in: .whitespaces).isEmpty else { throw ExportError.emptyPath }
            url = URL(fileURLWithPath: out, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
            if try out.hasSuffix("/") || (isDirectory(url) && !ledger.isPreviousExport(url)) {
                url = url.appendingPathComponent(name)
            }
        } else {
            url = layout.exportsDirectory.appendingPathComponent(name)
        }
        try refuseWarehouseFiles(url, layout: layout)
        let replaces = FileManager.default.fileExists(atPath: url.path)
        if replaces {
            let ours = try ledger.isPreviousExport(url)
            if isDirectory(url) {
                // A folder is replaced only when it is a previous export, whatever --force says.
                guard ours, folder else { throw ExportError.notAnExport(path: url.path, folder: true) }
            } else {
                guard ours || force else { throw ExportError.notAnExport(path: url.path, folder: false) }
            }
        }
        try prepareParent(of: url)
        return ExportDestination(url: url, replaces: replaces)
    }

    /// The databases, their journals, the raw layer and any SQLite file are not export paths.
    static func refuseWarehouseFiles(_ url: URL, layout: WarehouseLayout) throws {
        let path = url.resolvingSymlinksInPath().path
        let databases = [Layer.bronze, .silver, .gold].map { layout.database(for: $0).resolvingSymlinksInPath().path }
        let raw = layout.rawDirectory.resolvingSymlinksInPath().path
        if databases.contains(where: { path == $0 || path == $0 + "-wal" || path == $0 + "-shm" })
            || path == raw || path.hasPrefix(raw + "/") || path == layout.root.resolvingSymlinksInPath().path || isSQLite(url) {
            throw ExportError.warehouseFile(path: url.path)
        }
    }

    private static func prepareParent(of url: URL) throws {
        let parent = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw ExportError.unwritable(path: url.path, reason: "its folder \(parent.path) cannot be created")
        }
        guard isDirectory(parent) else { throw ExportError.unwritable(path: url.path, reason: "\(parent.path) is not a folder") }
        guard access(parent.path, W_OK) == 0 else {
            throw ExportError.unwritable(path: url.path, reason: "its folder \(parent.path) is not writable (\(String(cString: strerror(errno))))")
        }
    }

    static func isDirectory(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
    }

    private static func isSQLite(_ url: URL) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 16)) == Data("SQLite format 3\0".utf8)
    }
}
