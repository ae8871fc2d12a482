-- asset: gold.crypto_analytics_mart
-- description: Top {{top_n}} coins now: price, market cap, category, 24h/7d change, 30-day volatility, rank
-- upstreams: silver.coin_markets, gold.coin_daily_features
-- tags: crypto, analytics
-- parameters: top_n = gold.mart_top_n
-- checks: top_n_rows = row_count(min=1, max={{top_n}})
-- checks: known_category = accepted_values(market_cap_category, 'Large Cap', 'Mid Cap', 'Small Cap', 'Micro Cap')
-- checks: coin_in_markets = relationship(coin_id, silver.coin_markets.coin_id)
-- columns:
--   rank = rank by market cap in the newest snapshot;
--   coin_id = CoinGecko coin id;
--   symbol = ticker symbol;
--   name = coin name;
--   snapshot_date = UTC day of that snapshot;
--   price = price in USD;
--   market_cap = market cap in USD;
--   market_cap_category = Large Cap (>= 10 B), Mid Cap (>= 1 B), Small Cap (>= 100 M) or Micro Cap;
--   total_volume = 24h volume, USD;
--   change_24h_pct = 24h price change, percent;
--   change_7d_pct = 7-day price change, percent;
--   volatility_30d = sample standard deviation of the last 30 daily returns
--
-- gold.crypto_analytics_mart: the top {{top_n}} coins by market cap in the latest markets snapshot.
-- Price, market cap, category, 24h and 7d change (percent), 30-day volatility (sample standard
-- deviation of the last 30 daily returns), rank. Reads silver.coin_markets and gold.coin_daily_features.
CREATE TABLE {{table}} (
    rank INTEGER NOT NULL,
    coin_id TEXT NOT NULL PRIMARY KEY,
    symbol TEXT,
    name TEXT,
    snapshot_date TEXT NOT NULL,
    price REAL NOT NULL,
    market_cap REAL NOT NULL,
    market_cap_category TEXT NOT NULL,
    total_volume REAL,
    change_24h_pct REAL,
    change_7d_pct REAL,
    volatility_30d REAL
);

INSERT INTO {{table}}
WITH latest AS (
    SELECT max(snapshot_date) AS snapshot_date FROM silver.coin_markets
),
ranked AS (
    SELECT m.*, ROW_NUMBER() OVER (ORDER BY m.market_cap DESC, m.coin_id) AS position
    FROM silver.coin_markets AS m JOIN latest USING (snapshot_date)
    WHERE m.market_cap IS NOT NULL
),
top AS (
    SELECT * FROM ranked WHERE position <= {{top_n}}
),
recent AS (
    SELECT f.coin_id, f.close, f.return_1d,
           ROW_NUMBER() OVER (PARTITION BY f.coin_id ORDER BY f.date DESC) AS back
    FROM main.coin_daily_features AS f
    WHERE f.coin_id IN (SELECT coin_id FROM top)
),
volatility AS (
    SELECT coin_id,
           CASE WHEN count(*) > 1
                THEN sqrt(sum((return_1d - mean) * (return_1d - mean)) / (count(*) - 1)) END AS volatility_30d
    FROM (
        SELECT coin_id, return_1d, avg(return_1d) OVER (PARTITION BY coin_id) AS mean
        FROM recent WHERE back <= 30 AND return_1d IS NOT NULL
    )
    GROUP BY coin_id
),
week AS (
    SELECT now.coin_id, 100.0 * (now.close / before.close - 1) AS change_7d_pct
    FROM recent AS now JOIN recent AS before ON before.coin_id = now.coin_id AND before.back = 8
    WHERE now.back = 1
)
SELECT t.position, t.coin_id, t.symbol, t.name, t.snapshot_date, t.current_price, t.market_cap,
       CASE WHEN t.market_cap >= 1e10 THEN 'Large Cap'
            WHEN t.market_cap >= 1e9 THEN 'Mid Cap'
            WHEN t.market_cap >= 1e8 THEN 'Small Cap'
            ELSE 'Micro Cap' END,
       t.total_volume,
       t.price_change_percentage_24h,
       coalesce(t.price_change_percentage_7d, week.change_7d_pct),
       volatility.volatility_30d
FROM top AS t
LEFT JOIN week USING (coin_id)
LEFT JOIN volatility USING (coin_id)
ORDER BY t.position;

CREATE UNIQUE INDEX crypto_analytics_mart_rank ON crypto_analytics_mart(rank);
CREATE INDEX crypto_analytics_mart_category ON crypto_analytics_mart(market_cap_category, market_cap DESC);
