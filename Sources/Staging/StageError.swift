import Foundation
import Warehouse

/// Why a staging export could not run, with what to do about it.
public enum StageError: WarehouseError, Equatable {
    /// A flag's value cannot be used.
    case badRequest(flag: String, problem: String)
    /// silver.sqlite or its exchange_ticks table is not there yet.
    case noTicks(path: String)
    /// The output folder or file cannot be made or written.
    case unwritable(path: String, reason: String)
    /// A file is where the export goes and it is not an earlier staging export.
    case notAStagingExport(path: String)
    /// The output would land in the warehouse's raw layer.
    case warehouseFile(path: String)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .badRequest(let flag, let problem):
            return ("\(flag) \(problem)", nil)
        case .noTicks(let path):
            return ("\(path) holds no exchange_ticks table yet", "collect and build it first: `warehouse collect --duration 10m`, then `warehouse materialize silver.exchange_ticks`")
        case .unwritable(let path, let reason):
            return ("cannot write \(path): \(reason)", "choose another folder with --out")
        case .notAStagingExport(let path):
            return ("\(path) already exists and is not an earlier staging export (no .meta.json beside it)", "move it away or choose another folder with --out")
        case .warehouseFile(let path):
            return ("\(path) is inside the warehouse's raw layer", "choose another folder with --out")
        }
    }

    public var exitStatus: WarehouseExitStatus {
        if case .unwritable = self { return .failed }
        return .usage
    }
}
