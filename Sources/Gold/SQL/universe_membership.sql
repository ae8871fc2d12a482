-- asset: gold.universe_membership
-- description: Point-in-time Top-{{top_n}} universe per date, dead coins included
-- upstreams: gold.coin_daily_features
-- tags: crypto, research
-- parameters: top_n = gold.research_top_n
-- checks: rank_within_n = range(rank, min=1, max={{top_n}})
-- checks: market_cap_positive = range(market_cap, min=0)
-- columns:
--   date = UTC day;
--   coin_id = a coin in that day's top N by market cap (dead coins included while they lived);
--   rank = its rank that day;
--   market_cap = its market cap that day, USD
--
-- gold.universe_membership: the point-in-time Top-{{top_n}} universe. For every date, every coin
-- with a positive market cap that day (its value at the last timestamp of the UTC day, dead
-- coins included) is ranked by market cap descending, ties by coin id; members are rank <= N.
CREATE TABLE {{table}} (
    date TEXT NOT NULL,
    coin_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    market_cap REAL NOT NULL,
    PRIMARY KEY (date, coin_id)
);

INSERT INTO {{table}}
SELECT date, coin_id, rank, market_cap
FROM (
    SELECT date, coin_id, market_cap,
           ROW_NUMBER() OVER (PARTITION BY date ORDER BY market_cap DESC, coin_id) AS rank
    FROM main.coin_daily_features
    WHERE market_cap > 0
)
WHERE rank <= {{top_n}}
ORDER BY date, rank;

CREATE INDEX universe_membership_coin ON universe_membership(coin_id, date);
CREATE UNIQUE INDEX universe_membership_rank ON universe_membership(date, rank);
