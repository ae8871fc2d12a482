import Warehouse

/// How check results are shown, by `warehouse check` and in run summaries alike.
enum CheckReport {
    /// `P passed, W warned, F failed`.
    static func tally(_ results: [CheckResult]) -> String {
        let warned = results.filter { $0.status == .warn }.count
        let failed = results.filter { $0.status == .error }.count
        return "\(results.filter(\.passed).count) passed, \(warned) warned, \(failed) failed"
    }

    /// The failed ones, warnings first, then errors.
    static func failures(_ results: [CheckResult]) -> [CheckResult] {
        results.filter { $0.status == .warn } + results.filter { $0.status == .error }
    }

    /// One result for `--json`.
    static func json(_ result: CheckResult) -> [String: Any] {
        ["asset": result.asset.description, "check": result.check, "status": result.status.rawValue, "passed": result.passed,
         "failing_rows": result.failingRows, "total_rows": result.totalRows, "thresholds": result.thresholds, "sample": result.sample]
    }
}
