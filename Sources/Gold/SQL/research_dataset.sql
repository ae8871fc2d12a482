-- asset: gold.research_dataset
-- description: Survivorship-bias-free research rows with forward returns; exports/crypto_market_data.parquet
-- upstreams: gold.universe_membership, gold.coin_daily_features
-- tags: crypto, research
-- exports: crypto_market_data.parquet
-- check: member_of_universe = SELECT r.date, r.coin_id FROM {{table}} AS r LEFT JOIN universe_membership AS u USING (date, coin_id) WHERE u.coin_id IS NULL
-- columns:
--   date = UTC day;
--   coin_id = a member of that day's universe;
--   rank = rank that day;
--   close = close, USD;
--   volume = volume, USD;
--   market_cap = market cap, USD;
--   return_1d = return since the previous day;
--   forward_return_1d = return to the next day (what a model predicts);
--   forward_return_7d = return to 7 days later
--
-- gold.research_dataset: for every member of the point-in-time universe on each date, its daily
-- close, volume, market cap and rank, with the forward returns a backtest needs. A forward return
-- is NULL when the coin has no close on that later day (the end of its history: a dead coin's
-- last day is included, with NULL ahead of it). Exported as exports/crypto_market_data.parquet.
CREATE TABLE {{table}} (
    date TEXT NOT NULL,
    coin_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    close REAL NOT NULL,
    volume REAL,
    market_cap REAL NOT NULL,
    return_1d REAL,
    forward_return_1d REAL,
    forward_return_7d REAL,
    PRIMARY KEY (date, coin_id)
);

INSERT INTO {{table}}
SELECT u.date, u.coin_id, u.rank, f.close, f.volume, u.market_cap, f.return_1d,
       next1.close / f.close - 1,
       next7.close / f.close - 1
FROM main.universe_membership AS u
JOIN main.coin_daily_features AS f ON f.coin_id = u.coin_id AND f.date = u.date
LEFT JOIN main.coin_daily_features AS next1 ON next1.coin_id = u.coin_id AND next1.date = date(u.date, '+1 day')
LEFT JOIN main.coin_daily_features AS next7 ON next7.coin_id = u.coin_id AND next7.date = date(u.date, '+7 day')
ORDER BY u.date, u.rank;

CREATE INDEX research_dataset_coin ON research_dataset(coin_id, date);
