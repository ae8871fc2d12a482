import Foundation

/// The warehouse root on disk: every path a layer reads or writes.
public struct WarehouseLayout: Sendable {
    /// The root directory (`--root`, `WAREHOUSE_ROOT`, default `./data`).
    public let root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    /// `DIR/raw`: one folder per UTC fetch day.
    public var rawDirectory: URL { root.appendingPathComponent("raw", isDirectory: true) }
    /// `DIR/silver.sqlite`.
    public var silverDatabase: URL { root.appendingPathComponent("silver.sqlite") }
    /// `DIR/gold.sqlite`.
    public var goldDatabase: URL { root.appendingPathComponent("gold.sqlite") }
    /// `DIR/warehouse.sqlite`: the run log.
    public var runLogDatabase: URL { root.appendingPathComponent("warehouse.sqlite") }
    /// `DIR/exports`.
    public var exportsDirectory: URL { root.appendingPathComponent("exports", isDirectory: true) }
    /// The lock file that keeps runs on one root one at a time.
    public var lockFile: URL { root.appendingPathComponent(".warehouse.lock") }

    /// The database that holds a layer's tables and its materialization records.
    /// Bronze's data is files; its records live in the run log database.
    public func database(for layer: Layer) -> URL {
        switch layer {
        case .bronze: return runLogDatabase
        case .silver: return silverDatabase
        case .gold: return goldDatabase
        }
    }

    /// `DIR/raw/<day>/<source>/<dataset>`.
    public func rawFolder(day: Day, dataset: RawDataset) -> URL {
        rawDirectory
            .appendingPathComponent(day.description, isDirectory: true)
            .appendingPathComponent(dataset.source, isDirectory: true)
            .appendingPathComponent(dataset.dataset, isDirectory: true)
    }

    /// Creates the root and its folders when missing.
    /// - Throws: `ConfigurationError` naming the root when it cannot be created or written.
    public func prepare() throws {
        for directory in [root, rawDirectory, exportsDirectory] {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                let nsError = error as NSError
                let reason = (nsError.userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription ?? nsError.localizedDescription
                throw ConfigurationError(setting: "warehouse root \(root.path)", problem: "\(directory.path) cannot be created (\(reason))",
                                         fix: "point --root (or WAREHOUSE_ROOT) at a folder you can write")
            }
        }
        guard access(root.path, W_OK) == 0 else {
            throw ConfigurationError(setting: "warehouse root \(root.path)", problem: "is not writable (\(String(cString: strerror(errno))))",
                                     fix: "point --root (or WAREHOUSE_ROOT) at a folder you can write")
        }
    }
}
