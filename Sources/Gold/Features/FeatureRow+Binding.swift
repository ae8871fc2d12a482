import Warehouse

/// Writing the features next to a mart's own columns: one column list and one bind order,
/// shared by every mart that carries them (coin_daily_features, stock_features).
extension FeatureRow {
    /// The feature columns, in the order `bind` fills them.
    static let columns = ["return_1d", "sma_20", "sma_50", "rsi_14", "macd", "macd_signal", "volatility_20"]

    /// Binds the features to consecutive parameters starting at `first`, in `columns` order.
    func bind(to statement: Statement, from first: Int32) {
        for (offset, value) in values.enumerated() { statement.bind(value, at: first + Int32(offset)) }
    }
}
