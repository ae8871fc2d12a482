import Foundation
import Warehouse

/// A fresh warehouse root in the temporary folder, removed when released.
public final class TemporaryRoot {
    public let url: URL
    public var layout: WarehouseLayout { WarehouseLayout(root: url) }
    public var path: String { url.path }

    public init(_ name: String = "root") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("warehouse-test-\(name)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Copies this root's `raw/` folder into another root.
    public func copyRaw(to other: TemporaryRoot) throws {
        try FileManager.default.copyItem(at: layout.rawDirectory, to: other.layout.rawDirectory)
    }
}
