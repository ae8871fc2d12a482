-- gold.stock_features: per ticker and trading day, the close in USD and INR (USD listings
-- converted with the USDINR rate of the same date, or the last known rate before it when the FX
-- series has a gap, never a later one; INR listings converted back the same way), volume, and the
-- features of BRIEF section 8 computed on the INR close (rows come from Sources/Gold/Features).
-- Exported as exports/features_dataset.parquet.
CREATE TABLE {{table}} (
    ticker TEXT NOT NULL,
    date TEXT NOT NULL,
    currency TEXT NOT NULL,
    close_usd REAL NOT NULL,
    close_inr REAL NOT NULL,
    usd_inr_rate REAL NOT NULL,
    volume REAL,
    return_1d REAL,
    sma_20 REAL,
    sma_50 REAL,
    rsi_14 REAL,
    macd REAL,
    macd_signal REAL,
    volatility_20 REAL,
    PRIMARY KEY (ticker, date)
);

CREATE INDEX stock_features_date ON stock_features(date, ticker);
