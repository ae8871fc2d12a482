/// What the features of docs/gold.md (return, SMA, RSI, MACD, volatility) need from the days so far to extend a series by one
/// more close: the last 50 closes, the last 20 returns, the EMAs and the RSI averages.
/// Computing a series from the start and resuming it from a saved state run the same code,
/// so an incremental day equals the same day of a full rebuild bit for bit.
struct FeatureState: Equatable {
    /// Closes seen so far.
    private(set) var rows = 0
    /// The newest closes, oldest first (at most the longest window).
    private(set) var closes: [Double] = []
    /// The newest daily returns, oldest first (at most the volatility window).
    private(set) var returns: [Double] = []
    private(set) var ema12: Double?
    private(set) var ema26: Double?
    private(set) var signal: Double?
    private(set) var averageGain = 0.0
    private(set) var averageLoss = 0.0

    static let longestWindow = 50
    static let volatilityWindow = 20
    static let rsiPeriod = 14

    init() {}

    /// A state saved earlier (see `FeatureStateStore`).
    init(rows: Int, closes: [Double], returns: [Double], ema12: Double?, ema26: Double?, signal: Double?,
         averageGain: Double, averageLoss: Double) {
        self.rows = rows
        self.closes = closes
        self.returns = returns
        self.ema12 = ema12
        self.ema26 = ema26
        self.signal = signal
        self.averageGain = averageGain
        self.averageLoss = averageLoss
    }

    /// Extends the series by one close and returns that day's features.
    mutating func append(_ close: Double) -> FeatureRow {
        var row = FeatureRow()
        if let previous = closes.last {
            let dailyReturn = close / previous - 1
            row.return1d = dailyReturn
            returns.append(dailyReturn)
            if returns.count > Self.volatilityWindow { returns.removeFirst() }
            // RSI: avg_1 = first change, then avg_t = avg_{t-1} + (x_t - avg_{t-1}) / 14.
            let change = close - previous
            let gain = max(change, 0), loss = max(-change, 0)
            if rows == 1 {
                averageGain = gain
                averageLoss = loss
            } else {
                averageGain += (gain - averageGain) / Double(Self.rsiPeriod)
                averageLoss += (loss - averageLoss) / Double(Self.rsiPeriod)
            }
            if rows >= Self.rsiPeriod {
                row.rsi14 = averageLoss == 0 ? 100 : 100 - 100 / (1 + averageGain / averageLoss)
            }
        }
        closes.append(close)
        if closes.count > Self.longestWindow { closes.removeFirst() }
        rows += 1
        row.sma20 = Self.mean(of: closes, last: 20)
        row.sma50 = Self.mean(of: closes, last: 50)
        ema12 = Self.exponentialAverage(ema12, close, span: 12)
        ema26 = Self.exponentialAverage(ema26, close, span: 26)
        let macd = ema12! - ema26!
        signal = Self.exponentialAverage(signal, macd, span: 9)
        row.macd = macd
        row.macdSignal = signal
        // return_1d exists from the second row, so 20 of them are there from row 21.
        if returns.count == Self.volatilityWindow, rows > Self.volatilityWindow {
            row.volatility20 = Self.sampleStandardDeviation(returns)
        }
        return row
    }

    /// Mean of the last `window` values once there are that many.
    private static func mean(of values: [Double], last window: Int) -> Double? {
        guard values.count >= window else { return nil }
        return values[(values.count - window)...].reduce(0, +) / Double(window)
    }

    /// EMA seeded with the first value, alpha = 2 / (span + 1).
    private static func exponentialAverage(_ previous: Double?, _ value: Double, span: Int) -> Double {
        guard let previous else { return value }
        return previous + 2 / (Double(span) + 1) * (value - previous)
    }

    /// Standard deviation with n - 1 in the denominator, two-pass for accuracy.
    private static func sampleStandardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(values.count - 1)).squareRoot()
    }
}

/// One day's features, NULL (nil) until their window is full.
struct FeatureRow: Equatable {
    var return1d: Double?
    var sma20: Double?
    var sma50: Double?
    var rsi14: Double?
    var macd: Double?
    var macdSignal: Double?
    var volatility20: Double?

    /// In the order of `FeatureRow.columns`.
    var values: [Double?] { [return1d, sma20, sma50, rsi14, macd, macdSignal, volatility20] }
}
