import Foundation

/// An asset's checks running on a thread of their own while the run builds the next asset: a
/// scan of a large table then costs no time when the next asset has work of its own. Whatever
/// builds on the asset meanwhile commits only after they passed (`BuildContext.commitGate`).
final class ChecksInFlight: @unchecked Sendable {
    let spec: AssetSpec
    /// The asset's build result, as its checks found it.
    let built: AssetRunResult
    let index: Int
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<[CheckResult], Error> = .success([])

    /// Starts the checks of `spec` (just built as `built`) with `checker`.
    init(_ spec: AssetSpec, built: AssetRunResult, index: Int, checker: CheckRunner) {
        self.spec = spec
        self.built = built
        self.index = index
        let thread = Thread { [self] in
            outcome = Result { try checker.run(spec.checks, for: spec.key) }
            done.signal()
        }
        thread.start()
    }

    /// The checks' results, once they are all done.
    /// - Throws: what kept them from running (their database could not be opened).
    func results() throws -> [CheckResult] {
        done.wait()
        done.signal()
        return try outcome.get()
    }

    /// Waits for the checks, and throws `UpstreamChecksFailed` when an error check failed or
    /// they could not run: a gate for a build that reads the asset.
    func requirePassed() throws {
        let failed = (try? results())?.contains { $0.status == .error } ?? true
        if failed { throw UpstreamChecksFailed(upstream: spec.key) }
    }
}

/// A build read an upstream whose error checks, running beside it, failed: it is rolled back.
public struct UpstreamChecksFailed: Error, CustomStringConvertible {
    public let upstream: AssetKey
    public var description: String { "upstream \(upstream) failed" }
}
