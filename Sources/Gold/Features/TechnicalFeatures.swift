/// The daily features of BRIEF section 8 over one asset's closes, in date order.
/// Every value is nil until its window is full.
public struct TechnicalFeatures: Equatable {
    public var return1d: [Double?] = []
    public var sma20: [Double?] = []
    public var sma50: [Double?] = []
    public var rsi14: [Double?] = []
    public var macd: [Double?] = []
    public var macdSignal: [Double?] = []
    public var volatility20: [Double?] = []

    /// Computes all features for a series of closes.
    public init(closes: [Double]) {
        let n = closes.count
        return1d = (0..<n).map { i -> Double? in
            guard i > 0 else { return nil }
            return closes[i] / closes[i - 1] - 1
        }
        sma20 = Self.simpleMovingAverage(closes, window: 20)
        sma50 = Self.simpleMovingAverage(closes, window: 50)
        rsi14 = Self.relativeStrength(closes, period: 14)
        let ema12 = Self.exponentialAverage(closes, span: 12)
        let ema26 = Self.exponentialAverage(closes, span: 26)
        let macdLine: [Double] = zip(ema12, ema26).map { $0 - $1 }
        macd = macdLine.map { Optional($0) }
        macdSignal = Self.exponentialAverage(macdLine, span: 9).map { Optional($0) }
        let returns = return1d
        volatility20 = (0..<n).map { i -> Double? in
            // return_1d exists from row 1, so 20 of them are there from row 20.
            guard i >= 20 else { return nil }
            return Self.sampleStandardDeviation(returns[(i - 19)...i].map { $0! })
        }
    }

    /// Mean of the last `window` values, from the row where the window is full.
    static func simpleMovingAverage(_ values: [Double], window: Int) -> [Double?] {
        values.indices.map { i in
            guard i >= window - 1 else { return nil }
            return values[(i - window + 1)...i].reduce(0, +) / Double(window)
        }
    }

    /// EMA seeded with the first value, alpha = 2 / (span + 1).
    static func exponentialAverage(_ values: [Double], span: Int) -> [Double] {
        let alpha = 2 / (Double(span) + 1)
        var result: [Double] = []
        result.reserveCapacity(values.count)
        for value in values {
            result.append(result.last.map { $0 + alpha * (value - $0) } ?? value)
        }
        return result
    }

    /// RSI with the running averages of BRIEF section 8 (avg_1 = first change, then
    /// avg_t = avg_{t-1} + (x_t - avg_{t-1}) / period), emitted from the `period`-th change.
    static func relativeStrength(_ closes: [Double], period: Int) -> [Double?] {
        var result = [Double?](repeating: nil, count: closes.count)
        var averageGain = 0.0, averageLoss = 0.0
        for t in closes.indices.dropFirst() {
            let change = closes[t] - closes[t - 1]
            let gain = max(change, 0), loss = max(-change, 0)
            if t == 1 {
                averageGain = gain
                averageLoss = loss
            } else {
                averageGain += (gain - averageGain) / Double(period)
                averageLoss += (loss - averageLoss) / Double(period)
            }
            if t >= period {
                result[t] = averageLoss == 0 ? 100 : 100 - 100 / (1 + averageGain / averageLoss)
            }
        }
        return result
    }

    /// Standard deviation with n - 1 in the denominator, two-pass for accuracy.
    static func sampleStandardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(values.count - 1)).squareRoot()
    }
}
