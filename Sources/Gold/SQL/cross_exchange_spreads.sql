-- gold.cross_exchange_spreads: per symbol, every venue's mid aligned on a 1-second and a
-- 1-minute grid. A bucket ends at a whole second (minute) of Unix time; each venue's value is its
-- last mid received at or before that end, if no older than exchanges.spread_staleness_seconds
-- (an as-of join, pandas' merge_asof backward with a tolerance). Buckets where no venue is fresh
-- are left out. Rows come from Sources/Gold/Exchanges.
CREATE TABLE {{table}} (
    symbol TEXT NOT NULL,
    grid TEXT NOT NULL,
    bucket_end_ts INTEGER NOT NULL,
    bucket_end TEXT NOT NULL,
    venues INTEGER NOT NULL,
    mids TEXT NOT NULL,
    high_exchange TEXT,
    high_mid REAL,
    low_exchange TEXT,
    low_mid REAL,
    spread_abs REAL,
    spread_rel REAL,
    PRIMARY KEY (symbol, grid, bucket_end_ts)
);

CREATE INDEX cross_exchange_spreads_time ON cross_exchange_spreads(grid, bucket_end_ts);
