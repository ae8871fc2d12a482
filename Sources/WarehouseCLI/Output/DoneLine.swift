import Warehouse

/// The last line of `materialize` and `check`, in dbt's shape so scripts can read it:
/// `Done. PASS=n WARN=n ERROR=n SKIP=n TOTAL=n`. A run counts each asset (built: PASS,
/// failed: ERROR, up to date or blocked: SKIP) and each check (pass, warn, error); `check`
/// counts checks, and assets never built as SKIP.
struct DoneLine {
    var pass = 0, warn = 0, error = 0, skip = 0

    init(_ summary: RunSummary) {
        self.init(checks: summary.checks, skipped: summary.count(.skipped) + summary.count(.blocked))
        pass += summary.count(.success)
        error += summary.count(.failed)
    }

    init(checks: [CheckResult], skipped: Int) {
        for check in checks {
            switch check.status {
            case .pass: pass += 1
            case .warn: warn += 1
            case .error: error += 1
            }
        }
        skip = skipped
    }

    var text: String { "Done. PASS=\(pass) WARN=\(warn) ERROR=\(error) SKIP=\(skip) TOTAL=\(pass + warn + error + skip)" }
}
