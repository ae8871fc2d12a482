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
