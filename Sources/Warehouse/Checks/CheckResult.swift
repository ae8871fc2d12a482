/// The outcome of one check on one asset.
public struct CheckResult: Sendable, Equatable {
    public let asset: AssetKey
    public let check: String
    public let severity: AssetCheck.Severity
    /// Failing rows (0 when the check passed).
    public let failingRows: Int
    /// Up to five failing rows, rendered `column=value, ...`, or the error that stopped the check.
    public let sample: [String]

    public var passed: Bool { failingRows == 0 }

    /// One line for people: `FAIL error silver.stock_prices ohlc_rules: 1 failing row (ticker=AAPL, date=2026-11-20, ...)`.
    public var summary: String {
        let status = passed ? "pass" : (severity == .error ? "FAIL" : "WARN")
        let detail = passed ? "" : ": \(failingRows) failing row\(failingRows == 1 ? "" : "s")" + (sample.isEmpty ? "" : " (\(sample.joined(separator: "; ")))")
        return "\(status) \(severity.rawValue) \(asset) \(check)\(detail)"
    }
}
