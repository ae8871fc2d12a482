-- gold.coin_daily_features: one row per coin and UTC day from silver.coin_prices, with the
-- features of BRIEF section 8 (computed in Swift: RSI and EMAs are recursive). This file holds
-- the table and its indexes; the rows come from Sources/Gold/Features.
CREATE TABLE {{table}} (
    coin_id TEXT NOT NULL,
    date TEXT NOT NULL,
    open REAL NOT NULL,
    high REAL NOT NULL,
    low REAL NOT NULL,
    close REAL NOT NULL,
    volume REAL,
    market_cap REAL,
    return_1d REAL,
    sma_20 REAL,
    sma_50 REAL,
    rsi_14 REAL,
    macd REAL,
    macd_signal REAL,
    volatility_20 REAL,
    PRIMARY KEY (coin_id, date)
);

CREATE INDEX coin_daily_features_date ON coin_daily_features(date, coin_id);
