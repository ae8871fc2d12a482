-- Views with friendly names for analysts and BI tools, over the gold marts (a view cannot read
-- silver, which is another file). They read the marts by name, so a rebuilt mart shows through
-- at once. Changing this file recreates them (the gold database records which version it has).
-- view top_coins: the top coins now, by rank, with friendly column names
CREATE VIEW top_coins AS
SELECT rank, name, symbol, coin_id, price, market_cap, market_cap_category AS segment, total_volume,
       change_24h_pct, change_7d_pct, volatility_30d, snapshot_date
FROM crypto_analytics_mart ORDER BY rank;

-- view coin_history: every coin's daily bars and features with its rank in that day's universe
CREATE VIEW coin_history AS
SELECT f.coin_id, f.date, f.open, f.high, f.low, f.close, f.volume, f.market_cap, f.return_1d,
       f.sma_20, f.sma_50, f.rsi_14, f.volatility_20, u.rank AS universe_rank
FROM coin_daily_features AS f LEFT JOIN universe_membership AS u USING (date, coin_id);

-- view market_segments: the market by segment (Large, Mid, Small, Micro Cap)
CREATE VIEW market_segments AS
SELECT market_cap_category AS segment, coin_count, total_market_cap, market_share_pct,
       avg_change_24h_pct, avg_change_7d_pct, avg_volatility_30d, total_volume, snapshot_date
FROM market_segment_analysis;

-- view stock_history: each ticker's daily close in USD and INR with its features
CREATE VIEW stock_history AS
SELECT ticker, date, currency, close_usd, close_inr, volume, return_1d, sma_20, sma_50, rsi_14, volatility_20
FROM stock_features;

-- view latest_drift: each stock feature's drift in the newest measurement
CREATE VIEW latest_drift AS
SELECT feature, ks_stat, p_value, drifted, alpha, window_start, window_end, computed_at
FROM feature_drift WHERE sequence = (SELECT max(sequence) FROM feature_drift);
