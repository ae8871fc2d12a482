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
    private var outcome: [CheckResult] = []

    /// Starts the checks of `spec` (just built as `built`) with `checker`.
    init(_ spec: AssetSpec, built: AssetRunResult, index: Int, checker: CheckRunner) {
        self.spec = spec
        self.built = built
        self.index = index
        let thread = Thread { [self] in
            do {
                outcome = try checker.run(spec.checks, for: spec.key)
            } catch {
                outcome = spec.checks.map { CheckResult(couldNotRun: $0, of: spec.key, error: error) }
            }
            done.signal()
        }
        thread.start()
    }

    /// The checks' results, once they are all done (a check that could not run has failed).
    func results() -> [CheckResult] {
        done.wait()
        done.signal()
        return outcome
    }

    /// Waits for the checks, and throws `UpstreamChecksFailed` when an error check failed: a
    /// gate for a build that reads the asset.
    func requirePassed() throws {
        if results().contains(where: { $0.status == .error }) { throw UpstreamChecksFailed(upstream: spec.key) }
    }
}

/// A build read an upstream whose error checks, running beside it, failed: it is rolled back.
public struct UpstreamChecksFailed: Error, CustomStringConvertible {
    public let upstream: AssetKey
    public var description: String { "upstream \(upstream) failed" }
}
