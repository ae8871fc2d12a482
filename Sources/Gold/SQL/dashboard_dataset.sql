-- asset: gold.dashboard_dataset
-- description: Current Top-{{top_n}} canonical assets with history, TVL, DEX volume and social scores
-- upstreams: gold.coin_daily_features, silver.coin_markets, silver.asset_map, silver.chain_tvl, silver.protocol_tvl, silver.dex_volume, silver.social_metrics
-- tags: crypto, dashboard
-- parameters: top_n = gold.dashboard_top_n
-- exports: dashboard_data.parquet, user_facing_data.parquet
-- check: only_canonical_assets = SELECT DISTINCT d.canonical_id FROM {{table}} AS d JOIN silver.asset_map AS m ON m.coin_id = d.canonical_id WHERE m.is_native = 0
-- check: at_most_top_n_assets = SELECT n FROM (SELECT count(DISTINCT canonical_id) AS n FROM {{table}}) AS assets WHERE n > {{top_n}}
-- columns:
--   date = UTC day;
--   canonical_id = the native asset (wrapped and bridged tokens merged in);
--   close = close of the native coin, USD;
--   volume = volume summed over the asset's versions, USD;
--   market_cap = market cap, USD;
--   chain_tvl = TVL of the asset's chain, USD;
--   protocol_tvl = TVL of the asset's protocol, USD;
--   dex_volume = volume of the asset's DEX, USD;
--   lc_galaxy_score = LunarCrush Galaxy Score;
--   lc_sentiment = LunarCrush sentiment
--
-- gold.dashboard_dataset: the current Top-{{top_n}} canonical assets (latest markets snapshot;
-- wrapped and bridged tokens merged into their native asset by silver.asset_map) with their full
-- history. A row takes the native asset's close and market cap and the sum of volume over the
-- native asset and all its mapped versions that date; joined by date with chain TVL (L1/L2
-- chains), protocol TVL (DeFi protocols), DEX volume and LunarCrush galaxy score and sentiment,
-- NULL where a source has nothing. Exported as dashboard_data.parquet and user_facing_data.parquet.
CREATE TABLE {{table}} (
    date TEXT NOT NULL,
    canonical_id TEXT NOT NULL,
    close REAL NOT NULL,
    volume REAL,
    market_cap REAL,
    chain_tvl REAL,
    protocol_tvl REAL,
    dex_volume REAL,
    lc_galaxy_score REAL,
    lc_sentiment REAL,
    PRIMARY KEY (canonical_id, date)
);

INSERT INTO {{table}}
WITH latest AS (
    SELECT max(snapshot_date) AS snapshot_date FROM silver.coin_markets
),
canonical AS (
    SELECT coin_id, canonical_id FROM silver.asset_map
),
current_top AS (
    SELECT m.coin_id AS canonical_id
    FROM silver.coin_markets AS m
    JOIN latest USING (snapshot_date)
    LEFT JOIN canonical AS c ON c.coin_id = m.coin_id
    WHERE coalesce(c.canonical_id, m.coin_id) = m.coin_id AND m.market_cap IS NOT NULL
    ORDER BY m.market_cap DESC, m.coin_id
    LIMIT {{top_n}}
),
versions AS (
    SELECT coalesce(c.canonical_id, f.coin_id) AS canonical_id, f.coin_id, f.date, f.close, f.volume, f.market_cap
    FROM main.coin_daily_features AS f
    LEFT JOIN canonical AS c ON c.coin_id = f.coin_id
    WHERE coalesce(c.canonical_id, f.coin_id) IN (SELECT canonical_id FROM current_top)
),
daily AS (
    SELECT canonical_id, date,
           max(CASE WHEN coin_id = canonical_id THEN close END) AS close,
           sum(volume) AS volume,
           max(CASE WHEN coin_id = canonical_id THEN market_cap END) AS market_cap
    FROM versions
    GROUP BY canonical_id, date
    HAVING max(coin_id = canonical_id) = 1
)
SELECT d.date, d.canonical_id, d.close, d.volume, d.market_cap,
       (SELECT sum(tvl) FROM silver.chain_tvl AS t WHERE t.coin_id = d.canonical_id AND t.date = d.date),
       (SELECT sum(tvl) FROM silver.protocol_tvl AS p WHERE p.coin_id = d.canonical_id AND p.date = d.date),
       (SELECT sum(volume) FROM silver.dex_volume AS x WHERE x.coin_id = d.canonical_id AND x.date = d.date),
       s.galaxy_score,
       s.sentiment
FROM daily AS d
LEFT JOIN silver.social_metrics AS s ON s.coin_id = d.canonical_id AND s.date = d.date
ORDER BY d.canonical_id, d.date;

CREATE INDEX dashboard_dataset_date ON dashboard_dataset(date, canonical_id);
