-- asset: gold.cross_exchange_spread_daily
-- description: Per UTC day, symbol, grid and pair of venues: buckets both quoted, the largest and mean spread between them and when the largest was
-- upstreams: gold.cross_exchange_spreads
-- tags: crypto, exchanges
-- check: spread_not_negative = SELECT date, symbol, exchange_a, exchange_b FROM {{table}} WHERE max_spread_abs < 0 OR max_spread_rel < 0
-- columns:
--   date = UTC day of the bucket ends;
--   symbol = unified BASE/QUOTE;
--   grid = 1s or 1m;
--   exchange_a = the venue first by name;
--   exchange_b = the other venue;
--   buckets = buckets of the day where both had a fresh mid;
--   max_spread_abs = largest |mid_a - mid_b| that day, in the quote currency;
--   max_spread_rel = largest |mid_a - mid_b| / the lower of the two;
--   mean_spread_abs = mean |mid_a - mid_b| over those buckets;
--   max_at = bucket end (UTC) of the largest absolute spread, the first if several
--
-- gold.cross_exchange_spread_daily: the daily summary of gold.cross_exchange_spreads per pair of
-- venues, from the mids each bucket holds.
CREATE TABLE {{table}} (
    date TEXT NOT NULL,
    symbol TEXT NOT NULL,
    grid TEXT NOT NULL,
    exchange_a TEXT NOT NULL,
    exchange_b TEXT NOT NULL,
    buckets INTEGER NOT NULL,
    max_spread_abs REAL NOT NULL,
    max_spread_rel REAL NOT NULL,
    mean_spread_abs REAL NOT NULL,
    max_at TEXT NOT NULL,
    PRIMARY KEY (date, symbol, grid, exchange_a, exchange_b)
);

INSERT INTO {{table}}
WITH pairs AS MATERIALIZED (
    SELECT substr(s.bucket_end, 1, 10) AS date, s.symbol, s.grid, s.bucket_end, a.key AS exchange_a, b.key AS exchange_b,
           abs(a.value - b.value) AS spread_abs, abs(a.value - b.value) / min(a.value, b.value) AS spread_rel
    FROM main.cross_exchange_spreads AS s, json_each(s.mids) AS a, json_each(s.mids) AS b
    WHERE s.venues >= 2 AND a.key < b.key
),
summary AS MATERIALIZED (
    SELECT date, symbol, grid, exchange_a, exchange_b, count(*) AS buckets, max(spread_abs) AS top, max(spread_rel) AS top_rel, avg(spread_abs) AS mean
    FROM pairs
    GROUP BY date, symbol, grid, exchange_a, exchange_b
)
-- The largest spread's first bucket: a join on the maximum, not a window over every pair (half the time).
SELECT s.date, s.symbol, s.grid, s.exchange_a, s.exchange_b, s.buckets, s.top, s.top_rel, s.mean, min(p.bucket_end)
FROM pairs AS p
JOIN summary AS s ON p.date = s.date AND p.symbol = s.symbol AND p.grid = s.grid AND p.exchange_a = s.exchange_a
    AND p.exchange_b = s.exchange_b AND p.spread_abs = s.top
GROUP BY s.date, s.symbol, s.grid, s.exchange_a, s.exchange_b
ORDER BY s.date, s.symbol, s.grid, s.exchange_a, s.exchange_b;

CREATE INDEX cross_exchange_spread_daily_symbol ON cross_exchange_spread_daily(symbol, date);
