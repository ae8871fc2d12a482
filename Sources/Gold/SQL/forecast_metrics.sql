-- gold.forecast_metrics: per exchange, symbol and bar frequency (exchanges.forecast_bars), a rolling-origin
-- backtest of naive, seasonal naive (a day's period), simple exponential smoothing, Holt's
-- linear trend and AR(2) by least squares on the bars' mids: at up to five origins, each a
-- horizon apart, every model is fitted on the bars before and forecasts the next horizon; the
-- errors per step ahead give MAE, RMSE and MAPE. The model with the lowest MAE averaged over
-- the steps is marked best (the first in that order on a tie). Rows come from Sources/Gold/Forecasts.
CREATE TABLE {{table}} (
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    frequency TEXT NOT NULL,
    model TEXT NOT NULL,
    horizon INTEGER NOT NULL,
    origins INTEGER NOT NULL,
    mae REAL NOT NULL,
    rmse REAL NOT NULL,
    mape REAL NOT NULL,
    mean_mae REAL NOT NULL,
    best INTEGER NOT NULL,
    bars INTEGER NOT NULL,
    last_bar_end_ts INTEGER NOT NULL,
    PRIMARY KEY (exchange, symbol, frequency, model, horizon)
);
