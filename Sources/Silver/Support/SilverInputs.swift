import Warehouse

/// The raw datasets silver reads. Silver knows bronze only by these on-disk names.
enum SilverInputs {
    static let markets = RawDataset(source: "coingecko", dataset: "markets")
    static let marketChart = RawDataset(source: "coingecko", dataset: "market_chart")
}
