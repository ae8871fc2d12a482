-- gold.exchange_kpis: market-data quality per exchange, symbol and UTC day of reception, from
-- the stream messages in silver.exchange_ticks (source 'ws') and the collector's connection
-- events (and clock probes) in silver.exchange_connections. Percentiles interpolate linearly between ranks
-- (numpy's default). Rows come from Sources/Gold/Exchanges.
CREATE TABLE {{table}} (
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    date TEXT NOT NULL,
    messages INTEGER NOT NULL,
    covered_minutes INTEGER NOT NULL,
    share_covered REAL NOT NULL,
    updates_per_minute REAL NOT NULL,
    interarrival_p50_ms REAL,
    interarrival_p95_ms REAL,
    latency_source TEXT NOT NULL,
    latency_min_ms REAL,
    latency_p50_ms REAL,
    latency_p95_ms REAL,
    latency_max_ms REAL,
    clock_probes INTEGER NOT NULL,
    round_trip_p50_ms REAL,
    round_trip_p95_ms REAL,
    latency_estimate_ms REAL,
    disconnects INTEGER NOT NULL,
    reconnects INTEGER NOT NULL,
    downtime_seconds REAL NOT NULL,
    PRIMARY KEY (exchange, symbol, date)
);

CREATE INDEX exchange_kpis_date ON exchange_kpis(date, exchange);
