import Warehouse

/// The raw datasets silver reads. Silver knows bronze only by these on-disk names.
enum SilverInputs {
    static let markets = RawDataset(source: "coingecko", dataset: "markets")
    static let coinsList = RawDataset(source: "coingecko", dataset: "coins_list")
    static let marketChart = RawDataset(source: "coingecko", dataset: "market_chart")
    static let ohlc = RawDataset(source: "coingecko", dataset: "ohlc")
    static let chainTVL = RawDataset(source: "defillama", dataset: "chain_tvl")
    static let protocolTVL = RawDataset(source: "defillama", dataset: "protocol_tvl")
    static let dexVolume = RawDataset(source: "defillama", dataset: "dex_volume")
    static let socialTimeseries = RawDataset(source: "lunarcrush", dataset: "timeseries")
    static let yahooChart = RawDataset(source: "yahoo", dataset: "chart")
    static let exchangeTickers = RawDataset(source: "exchange", dataset: "tickers")
}
