/// The outcome of one check on one asset.
public struct CheckResult: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        case pass, warn, error
    }

    public let asset: AssetKey
    public let check: String
    public let status: Status
    /// Failing rows (possibly some even when it passed, below its thresholds).
    public let failingRows: Int
    /// The rows checked, what a percentage threshold is a share of.
    public let totalRows: Int
    /// The check's thresholds, e.g. `warn if >0, error if >5%`.
    public let thresholds: String
    /// Up to five failing rows, rendered `column=value, ...`, or the error that stopped the check.
    public let sample: [String]

    public init(asset: AssetKey, check: String, status: Status, failingRows: Int, totalRows: Int, thresholds: String, sample: [String]) {
        self.asset = asset
        self.check = check
        self.status = status
        self.failingRows = failingRows
        self.totalRows = totalRows
        self.thresholds = thresholds
        self.sample = sample
    }

    public var passed: Bool { status == .pass }

    /// One line for people: `FAIL silver.stock_prices ohlc_rules: 9 failing rows of 120 (7.5%; warn if >0, error if >5%) (ticker=AAPL, ...)`.
    /// The share and the thresholds are shown when a threshold is more than "any failing row".
    public var summary: String {
        let word = ["pass": "pass", "warn": "WARN", "error": "FAIL"][status.rawValue]!
        guard failingRows > 0 || status != .pass else { return "\(word) \(asset) \(check)" }
        var text = "\(word) \(asset) \(check): " + (failingRows == 1 ? "1 failing row" : "\(failingRows) failing rows")
        if !Self.plainThresholds.contains(thresholds) {
            let share = totalRows > 0 ? String(format: "%.1f%%", Double(failingRows) / Double(totalRows) * 100) : "all"
            text += " of \(totalRows) (\(share); \(thresholds))"
        }
        return text + (sample.isEmpty ? "" : " (" + sample.joined(separator: "; ") + ")")
    }

    /// Thresholds that just mean "warn (or fail) on any failing row".
    static let plainThresholds: Set<String> = ["warn if >0", "warn if >0, error if >0"]
}
