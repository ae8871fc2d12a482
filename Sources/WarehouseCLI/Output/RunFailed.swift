import Warehouse

/// A run or check that finished with failures: exit code 1.
struct RunFailed: WarehouseError {
    let message: String
    var parts: (problem: String, fix: String?) { (message, nil) }
    var exitStatus: WarehouseExitStatus { .failed }
}

/// A command used the wrong way, with the fix: exit code 2.
struct UsageError: WarehouseError {
    let problem: String
    let fix: String?
    var parts: (problem: String, fix: String?) { (problem, fix) }
}
