-- gold.price_forecasts: per exchange, symbol and bar frequency, the next horizon of mids from
-- the model gold.forecast_metrics marks best, refitted on every bar (the newest 2,000 minutes
-- or 1,000 hours), with 80% and 95% intervals of +-1.2816 and +-1.96 times that model's
-- backtest RMSE at each step ahead. Rows come from Sources/Gold/Forecasts.
CREATE TABLE {{table}} (
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    frequency TEXT NOT NULL,
    model TEXT NOT NULL,
    parameters TEXT NOT NULL,
    origin_ts INTEGER NOT NULL,
    step INTEGER NOT NULL,
    target_ts INTEGER NOT NULL,
    target TEXT NOT NULL,
    forecast REAL NOT NULL,
    lo80 REAL NOT NULL,
    hi80 REAL NOT NULL,
    lo95 REAL NOT NULL,
    hi95 REAL NOT NULL,
    PRIMARY KEY (exchange, symbol, frequency, step)
);
