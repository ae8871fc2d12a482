/// An error a person acts on: what is wrong and, apart from it, what to do. Keeping the two
/// apart lets a message that gathers several errors (a batch of failed requests) say the fix
/// once, and lets the CLI choose its exit status from the error itself (`exitStatus`).
public protocol WarehouseError: Error, CustomStringConvertible {
    /// What is wrong, and what to do about it (nil when there is nothing to do).
    var parts: (problem: String, fix: String?) { get }
    /// How the CLI exits on it.
    var exitStatus: WarehouseExitStatus { get }
}

/// The CLI's exit codes for errors (BRIEF section 5): 1 when something failed while working,
/// 2 when the user's input, flags or settings must change.
public enum WarehouseExitStatus: Int32, Sendable {
    case failed = 1
    case usage = 2
}

extension WarehouseError {
    public var problem: String { parts.problem }
    public var fix: String? { parts.fix }
    /// `What is wrong. To fix this, what to do.`: the one shape of every message.
    public var description: String {
        // A problem that ends a sentence itself (with a question) keeps its own mark.
        let problem = parts.problem.last.map { ".?!".contains($0) } == true ? parts.problem : parts.problem + "."
        return parts.fix.map { "\(problem) To fix this, \($0)." } ?? problem
    }
    /// By default a user's error: settings, flags, input files.
    public var exitStatus: WarehouseExitStatus { .usage }
}
