"""Independent computation of gold.forecast_metrics and gold.price_forecasts with statsmodels.

Usage: forecasts_oracle.py ROOT [BARS]   (BARS as exchanges.forecast_bars, default 10s,1m,1h)
Bars from ROOT/silver.sqlite (per exchange and symbol: last mid per bar, bars ending at whole
multiples of their width, empty bars carried over, the newest 2,000 or (hourly and wider) 1,000 kept); at up to 5 rolling
origins a horizon apart (training at least 20 bars) naive, seasonal naive, SES and Holt
(statsmodels, smoothing weights from the grid 0.1..0.9 by smallest SSE, known initial states)
and AR(2) (statsmodels AutoReg, OLS) forecast the horizon; MAE, RMSE and MAPE per step, the best
by mean MAE, and the best model's refit forecasts with intervals. Compares to 1e-6 relative.
Prints "naive_vs_best" per series and "N problems".
"""
import sqlite3
import sys
import warnings

import numpy as np
import pandas as pd
from statsmodels.tsa.ar_model import AutoReg
from statsmodels.tsa.holtwinters import Holt, SimpleExpSmoothing

warnings.filterwarnings("ignore")
root = sys.argv[1]
silver = sqlite3.connect(f"file:{root}/silver.sqlite?mode=ro", uri=True)
gold = sqlite3.connect(f"file:{root}/gold.sqlite?mode=ro", uri=True)
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def frequency(name):
    """(name, width ms, horizon, season, limit) of a bar width as exchanges.forecast_bars writes it."""
    seconds = int(name[:-1]) * UNITS[name[-1]] if name[-1] in UNITS else int(name)
    horizon = 10 if 60 <= seconds < 3600 else 6
    return (name, seconds * 1000, horizon, max(1, 86400 // seconds), 1000 if seconds >= 3600 else 2000)


FREQUENCIES = sorted((frequency(n) for n in (sys.argv[2] if len(sys.argv) > 2 else "10s,1m,1h").split(",")), key=lambda f: f[1])
GRID = [i / 10 for i in range(1, 10)]
MODELS = ["naive", "seasonal_naive", "ses", "holt", "ar"]
ticks = pd.read_sql("SELECT exchange, symbol, received_ts, mid FROM exchange_ticks WHERE mid IS NOT NULL AND source = 'ws' ORDER BY exchange, symbol, received_ts, raw_file_id, raw_line", silver)


def forecast(model, y, h, m):
    y = np.asarray(y, dtype=float)
    if model == "naive":
        return np.repeat(y[-1], h)
    if model == "seasonal_naive":
        if len(y) < m:
            return None
        last = y[-m:]
        return np.array([last[i % m] for i in range(h)])
    if model == "ses":
        best = None
        for alpha in GRID:
            fit = SimpleExpSmoothing(y, initialization_method="known", initial_level=y[0]).fit(smoothing_level=alpha, optimized=False)
            if best is None or fit.sse < best.sse:
                best = fit
        return best.forecast(h)
    if model == "holt":
        best = None
        for alpha in GRID:
            for beta in GRID:
                fit = Holt(y, initialization_method="known", initial_level=2 * y[0] - y[1], initial_trend=y[1] - y[0]).fit(
                    smoothing_level=alpha, smoothing_trend=beta, optimized=False)
                if best is None or fit.sse < best.sse:
                    best = fit
        return best.forecast(h)
    lags = np.column_stack([np.ones(len(y) - 2), y[1:-1] - y.mean(), y[:-2] - y.mean()])
    if np.linalg.matrix_rank(lags) < 3:
        return None  # collinear lags (a constant series): no AR fit
    fit = AutoReg(y, lags=2, trend="c").fit()
    return fit.predict(start=len(y), end=len(y) + h - 1)


def close(a, b, tolerance=1e-6):
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


metrics = {(r[0], r[1], r[2], r[3], r[4]): r for r in gold.execute("SELECT * FROM forecast_metrics")}
forecasts = {(r[0], r[1], r[2], r[6]): r for r in gold.execute("SELECT * FROM price_forecasts")}
problems, seen_metrics, seen_forecasts = [], set(), set()
for (exchange, symbol), frame in ticks.groupby(["exchange", "symbol"], sort=True):
    for name, width, h, m, limit in FREQUENCIES:
        ends = (frame["received_ts"] + width - 1) // width * width
        last = frame.assign(end=ends).groupby("end")["mid"].last()
        # The newest unbroken run: more than 10 empty bars in a row break the series.
        index = last.index.to_numpy()
        breaks = np.nonzero(np.diff(index) // width - 1 > 10)[0]
        if len(breaks):
            last = last.iloc[breaks[-1] + 1:]
        bars = last.reindex(range(int(last.index.min()), int(last.index.max()) + 1, width)).ffill()
        bars = bars.iloc[-limit:]
        y = bars.to_numpy()
        used = min(5, (len(y) - 20) // h)
        if used < 2:
            continue
        cuts = [len(y) - k * h for k in range(used, 0, -1)]
        scored = {}
        for model in MODELS:
            errors = []
            for cut in cuts:
                f = forecast(model, y[:cut], h, m)
                if f is None:
                    break
                errors.append(y[cut:cut + h] - f)
            if len(errors) < len(cuts):
                continue
            e = np.array(errors)
            actual = np.array([y[c:c + h] for c in cuts])
            scored[model] = (np.abs(e).mean(axis=0), np.sqrt((e ** 2).mean(axis=0)), (np.abs(e) / np.abs(actual) * 100).mean(axis=0))
        best = min(scored, key=lambda model: (scored[model][0].mean(), MODELS.index(model)))
        print(f"{exchange} {symbol} {name}: best {best} mean MAE {scored[best][0].mean():.4f}, naive {scored['naive'][0].mean():.4f}")
        for model, (mae, rmse, mape) in scored.items():
            for step in range(h):
                key = (exchange, symbol, name, model, step + 1)
                seen_metrics.add(key)
                row = metrics.get(key)
                if row is None:
                    problems.append(f"missing metrics {key}")
                    continue
                for label, want, got in (("mae", mae[step], row[6]), ("rmse", rmse[step], row[7]), ("mape", mape[step], row[8]), ("mean_mae", mae.mean(), row[9])):
                    if not close(want, got):
                        problems.append(f"{key} {label}: {got}, expected {want}")
                if row[5] != used or row[10] != (1 if model == best else 0) or row[11] != len(y):
                    problems.append(f"{key}: origins {row[5]} best {row[10]} bars {row[11]}, expected {used} {model == best} {len(y)}")
        refit = forecast(best, y, h, m)
        for step in range(h):
            key = (exchange, symbol, name, step + 1)
            seen_forecasts.add(key)
            row = forecasts.get(key)
            if row is None:
                problems.append(f"missing forecast {key}")
                continue
            spread = scored[best][1][step]
            want = (refit[step], refit[step] - 1.2816 * spread, refit[step] + 1.2816 * spread, refit[step] - 1.96 * spread, refit[step] + 1.96 * spread)
            if row[3] != best or row[5] != int(bars.index[-1]) or row[7] != int(bars.index[-1]) + (step + 1) * width:
                problems.append(f"forecast {key}: model {row[3]} origin {row[5]} target {row[7]}")
            for label, w, g in zip(("forecast", "lo80", "hi80", "lo95", "hi95"), want, row[9:14]):
                if not close(w, g):
                    problems.append(f"forecast {key} {label}: {g}, expected {w}")
for key in set(metrics) - seen_metrics:
    problems.append(f"unexpected metrics row {key}")
for key in set(forecasts) - seen_forecasts:
    problems.append(f"unexpected forecast row {key}")
for problem in problems[:30]:
    print(problem)
print(f"{len(problems)} problems")
sys.exit(1 if problems else 0)
