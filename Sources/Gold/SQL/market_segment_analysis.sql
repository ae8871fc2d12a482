-- asset: gold.market_segment_analysis
-- description: Aggregates of the analytics mart per market-cap category
-- upstreams: gold.crypto_analytics_mart
-- tags: crypto, analytics
-- check: shares_sum_to_100 = SELECT total FROM (SELECT sum(market_share_pct) AS total FROM {{table}}) AS shares WHERE abs(total - 100) > 1e-6
-- columns:
--   market_cap_category = the segment;
--   coin_count = coins of the mart in it;
--   total_market_cap = their market cap, USD;
--   market_share_pct = share of the mart's market cap, percent;
--   avg_change_24h_pct = mean 24h change, percent;
--   avg_change_7d_pct = mean 7-day change, percent;
--   avg_volatility_30d = mean 30-day volatility;
--   total_volume = their 24h volume, USD;
--   snapshot_date = UTC day of the snapshot
--
-- gold.market_segment_analysis: aggregates of gold.crypto_analytics_mart per market-cap category.
CREATE TABLE {{table}} (
    market_cap_category TEXT NOT NULL PRIMARY KEY,
    coin_count INTEGER NOT NULL,
    total_market_cap REAL NOT NULL,
    market_share_pct REAL NOT NULL,
    avg_change_24h_pct REAL,
    avg_change_7d_pct REAL,
    avg_volatility_30d REAL,
    total_volume REAL,
    snapshot_date TEXT NOT NULL
);

INSERT INTO {{table}}
SELECT market_cap_category,
       count(*),
       sum(market_cap),
       100.0 * sum(market_cap) / (SELECT sum(market_cap) FROM main.crypto_analytics_mart),
       avg(change_24h_pct),
       avg(change_7d_pct),
       avg(volatility_30d),
       sum(total_volume),
       max(snapshot_date)
FROM main.crypto_analytics_mart
GROUP BY market_cap_category
ORDER BY market_cap_category;

CREATE INDEX market_segment_analysis_share ON market_segment_analysis(market_share_pct DESC);
