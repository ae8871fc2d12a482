/// The daily features of BRIEF section 8 over one asset's closes, in date order.
/// Every value is nil until its window is full.
public struct TechnicalFeatures: Equatable {
    /// Each day's features, in the order of the closes.
    let rows: [FeatureRow]

    /// Computes all features for a series of closes.
    public init(closes: [Double]) {
        var state = FeatureState()
        rows = closes.map { state.append($0) }
    }

    public var return1d: [Double?] { rows.map(\.return1d) }
    public var sma20: [Double?] { rows.map(\.sma20) }
    public var sma50: [Double?] { rows.map(\.sma50) }
    public var rsi14: [Double?] { rows.map(\.rsi14) }
    public var macd: [Double?] { rows.map(\.macd) }
    public var macdSignal: [Double?] { rows.map(\.macdSignal) }
    public var volatility20: [Double?] { rows.map(\.volatility20) }
}
