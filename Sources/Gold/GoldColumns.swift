/// What each column of the gold marts means: the API's schemas, the docs and BI tools show these.
enum GoldColumns {
    /// The feature columns shared by the coin and stock feature marts (formulas in docs/gold.md).
    static let features: [String: String] = [
        "return_1d": "close / previous close - 1", "sma_20": "mean of the last 20 closes (NULL until 20)", "sma_50": "mean of the last 50 closes (NULL until 50)",
        "rsi_14": "RSI over 14 changes, Wilder's smoothing, 0 to 100", "macd": "EMA12 - EMA26 of the close", "macd_signal": "EMA9 of the MACD",
        "volatility_20": "sample standard deviation of the last 20 daily returns",
    ]

    static let coinDailyFeatures: [String: String] = features.merging([
        "coin_id": "CoinGecko coin id", "date": "UTC day (YYYY-MM-DD)", "open": "first price of the day, USD", "high": "highest price that day",
        "low": "lowest price that day", "close": "last price of the day", "volume": "24h volume at the day's last point, USD",
        "market_cap": "market cap at the day's last point, USD",
    ]) { $1 }

    static let cryptoAnalyticsMart: [String: String] = [
        "rank": "rank by market cap in the newest snapshot", "coin_id": "CoinGecko coin id", "symbol": "ticker symbol", "name": "coin name",
        "snapshot_date": "UTC day of that snapshot", "price": "price in USD", "market_cap": "market cap in USD",
        "market_cap_category": "Large Cap (>= 10 B), Mid Cap (>= 1 B), Small Cap (>= 100 M) or Micro Cap", "total_volume": "24h volume, USD",
        "change_24h_pct": "24h price change, percent", "change_7d_pct": "7-day price change, percent",
        "volatility_30d": "sample standard deviation of the last 30 daily returns",
    ]

    static let marketSegmentAnalysis: [String: String] = [
        "market_cap_category": "the segment", "coin_count": "coins of the mart in it", "total_market_cap": "their market cap, USD",
        "market_share_pct": "share of the mart's market cap, percent", "avg_change_24h_pct": "mean 24h change, percent",
        "avg_change_7d_pct": "mean 7-day change, percent", "avg_volatility_30d": "mean 30-day volatility", "total_volume": "their 24h volume, USD",
        "snapshot_date": "UTC day of the snapshot",
    ]

    static let universeMembership: [String: String] = [
        "date": "UTC day", "coin_id": "a coin in that day's top N by market cap (dead coins included while they lived)",
        "rank": "its rank that day", "market_cap": "its market cap that day, USD",
    ]

    static let researchDataset: [String: String] = [
        "date": "UTC day", "coin_id": "a member of that day's universe", "rank": "rank that day", "close": "close, USD", "volume": "volume, USD",
        "market_cap": "market cap, USD", "return_1d": "return since the previous day", "forward_return_1d": "return to the next day (what a model predicts)",
        "forward_return_7d": "return to 7 days later",
    ]

    static let dashboardDataset: [String: String] = [
        "date": "UTC day", "canonical_id": "the native asset (wrapped and bridged tokens merged in)", "close": "close of the native coin, USD",
        "volume": "volume summed over the asset's versions, USD", "market_cap": "market cap, USD", "chain_tvl": "TVL of the asset's chain, USD",
        "protocol_tvl": "TVL of the asset's protocol, USD", "dex_volume": "volume of the asset's DEX, USD", "lc_galaxy_score": "LunarCrush Galaxy Score",
        "lc_sentiment": "LunarCrush sentiment",
    ]

    static let stockFeatures: [String: String] = features.merging([
        "ticker": "Yahoo ticker", "date": "the exchange's trading date", "currency": "the listing's currency", "close_usd": "close in USD",
        "close_inr": "close in INR (the features are computed on it)", "usd_inr_rate": "the USDINR rate used (that day's or the last before)",
        "volume": "shares traded",
    ]) { $1 }

    static let featureDrift: [String: String] = [
        "run_id": "the run that measured", "sequence": "order of the measurements", "computed_at": "when (ISO 8601)", "feature": "the stock feature",
        "ks_stat": "two-sample Kolmogorov-Smirnov statistic against the baseline", "p_value": "its p-value (scipy's asymptotic method)",
        "drifted": "1 when p_value < alpha", "alpha": "the significance level", "baseline_id": "the frozen baseline compared with",
        "baseline_window_start": "first day of the baseline window", "baseline_window_end": "last day of the baseline window",
        "baseline_values": "values in the baseline", "window_start": "first day of the current window", "window_end": "last day of the current window",
        "current_values": "values in the current window",
    ]
}
