import Gold
import Warehouse

/// A run or check that finished with failures: exit code 1.
struct RunFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Errors that are the user's to fix (bad flag, setting, selection, busy root): exit code 2,
/// printed as one message without a stack trace.
enum UserError {
    static func isUserError(_ error: Error) -> Bool {
        error is ConfigurationError || error is SelectionError || error is GraphError || error is RootLockError
            || error is RawStoreError || error is UsageError || error is GoldError
    }
}

/// A command used the wrong way, with the fix.
struct UsageError: Error, CustomStringConvertible {
    let description: String
}
