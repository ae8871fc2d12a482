/// What each column of the Swift-built gold marts means (a model describes its own, in its header): the API's schemas, the docs and BI tools show these.
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






    static let stockFeatures: [String: String] = features.merging([
        "ticker": "Yahoo ticker", "date": "the exchange's trading date", "currency": "the listing's currency", "close_usd": "close in USD",
        "close_inr": "close in INR (the features are computed on it)", "usd_inr_rate": "the USDINR rate used (that day's or the last before)",
        "volume": "shares traded",
    ]) { $1 }

    static let crossExchangeSpreads: [String: String] = [
        "symbol": "unified BASE/QUOTE", "grid": "1s or 1m: the bucket width", "bucket_end_ts": "end of the bucket, Unix ms (a whole second or minute)",
        "bucket_end": "end of the bucket, UTC (YYYY-MM-DDTHH:MM:SSZ)", "venues": "venues with a mid no older than the staleness tolerance at the bucket's end",
        "mids": "JSON object: each such venue's last mid at or before the bucket's end", "high_exchange": "venue with the highest mid (first by name on a tie); NULL under two venues",
        "high_mid": "its mid", "low_exchange": "venue with the lowest mid (first by name on a tie)", "low_mid": "its mid",
        "spread_abs": "high_mid - low_mid, in the quote currency", "spread_rel": "spread_abs / low_mid",
    ]
    static let forecastMetrics: [String: String] = [
        "exchange": "binance, kraken or coinbase", "symbol": "unified BASE/QUOTE", "frequency": "the bar width, as exchanges.forecast_bars names it (10s, 1m, 1h by default; a bar's value is its last mid, carried over empty bars)",
        "model": "naive, seasonal_naive (a day's period), ses, holt or ar (AR(2), least squares)", "horizon": "steps ahead, from 1",
        "origins": "rolling origins the errors are averaged over (up to 5)", "mae": "mean absolute error at this step ahead", "rmse": "root mean squared error",
        "mape": "mean absolute percentage error, in percent", "mean_mae": "the model's MAE averaged over the steps: what picks the best",
        "best": "1 for the model with the lowest mean_mae of the series", "bars": "bars the series has (the newest 2,000 minutes or 1,000 hours)",
        "last_bar_end_ts": "end of the series' last bar, Unix ms",
    ]
    static let priceForecasts: [String: String] = [
        "exchange": "binance, kraken or coinbase", "symbol": "unified BASE/QUOTE", "frequency": "the bar width (10s, 1m, 1h by default)", "model": "the best model of forecast_metrics",
        "parameters": "what its fit on every bar chose (alpha, beta; AR coefficients)", "origin_ts": "end of the last bar fitted, Unix ms",
        "step": "steps ahead, from 1", "target_ts": "end of the bar forecast, Unix ms", "target": "target_ts as ISO 8601 UTC", "forecast": "the mid forecast",
        "lo80": "forecast - 1.2816 x the backtest RMSE at this step", "hi80": "forecast + 1.2816 x that RMSE",
        "lo95": "forecast - 1.96 x that RMSE", "hi95": "forecast + 1.96 x that RMSE",
    ]
    static let exchangeKPIs: [String: String] = [
        "exchange": "binance, kraken or coinbase", "symbol": "unified BASE/QUOTE", "date": "UTC day of reception (YYYY-MM-DD)",
        "messages": "stream ticker messages received", "covered_minutes": "UTC minutes of the day with at least one message",
        "share_covered": "covered_minutes / 1440", "updates_per_minute": "messages / covered_minutes",
        "interarrival_p50_ms": "median gap between consecutive messages, ms", "interarrival_p95_ms": "95th percentile of those gaps, ms",
        "latency_source": "exchange_ts, or 'not sent by the venue' where messages carry no time of the venue's own",
        "latency_min_ms": "least received_ts - exchange_ts, ms", "latency_p50_ms": "median latency, ms", "latency_p95_ms": "95th percentile latency, ms",
        "latency_max_ms": "greatest latency, ms",
        "clock_probes": "round trips measured to the venue's server-time endpoint that day, per exchange",
        "round_trip_p50_ms": "median of those round trips, ms", "round_trip_p95_ms": "95th percentile of those round trips, ms",
        "latency_estimate_ms": "round_trip_p50_ms / 2: the latency estimate where the venue sends no time of its own (Kraken)", "disconnects": "closes the collector did not ask for (venue close, lost, stalled), per exchange",
        "reconnects": "connections after the first of a collector run, per exchange",
        "downtime_seconds": "from each disconnect to the next connection of the same collector, per exchange, on the disconnect's day",
    ]

    static let featureDrift: [String: String] = [
        "run_id": "the run that measured", "sequence": "order of the measurements", "computed_at": "when (ISO 8601)", "feature": "the stock feature",
        "ks_stat": "two-sample Kolmogorov-Smirnov statistic against the baseline", "p_value": "its p-value (scipy's asymptotic method)",
        "drifted": "1 when p_value < alpha", "alpha": "the significance level", "baseline_id": "the frozen baseline compared with",
        "baseline_window_start": "first day of the baseline window", "baseline_window_end": "last day of the baseline window",
        "baseline_values": "values in the baseline", "window_start": "first day of the current window", "window_end": "last day of the current window",
        "current_values": "values in the current window",
    ]
}
