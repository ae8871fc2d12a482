#!/usr/bin/env python3
"""Independent oracle for gold.coin_daily_features (BRIEF section 8), stdlib only.

Reads silver.coin_prices, recomputes the daily bars and every feature in plain Python, and
compares them with gold.coin_daily_features to 1e-9 relative. Prints one line per problem and
a summary; exits 1 on any mismatch.

With --stocks, checks gold.stock_features instead: the USD/INR conversion (the USDINR rate of
the same date, else the last one before it) and the features on the INR close.

usage: features_oracle.py ROOT [--stocks]
"""
import math
import sqlite3
import sys
from datetime import datetime, timezone


def close_enough(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) + 1e-12


def daily_bars(points):
    bars = []
    for ts, price, cap, volume in points:
        day = datetime.fromtimestamp(ts // 1000, tz=timezone.utc).strftime("%Y-%m-%d")
        if bars and bars[-1]["date"] == day:
            bar = bars[-1]
            bar["high"] = max(bar["high"], price)
            bar["low"] = min(bar["low"], price)
            bar["close"] = price
            bar["market_cap"] = cap
            bar["volume"] = volume
        else:
            bars.append({"date": day, "open": price, "high": price, "low": price, "close": price,
                         "market_cap": cap, "volume": volume})
    return bars


def features(closes):
    n = len(closes)
    ret = [None] + [closes[i] / closes[i - 1] - 1 for i in range(1, n)]
    sma = lambda w: [sum(closes[i - w + 1:i + 1]) / w if i >= w - 1 else None for i in range(n)]
    rsi = [None] * n
    ag = al = 0.0
    for t in range(1, n):
        d = closes[t] - closes[t - 1]
        g, l = max(d, 0.0), max(-d, 0.0)
        if t == 1:
            ag, al = g, l
        else:
            ag += (g - ag) / 14
            al += (l - al) / 14
        if t >= 14:
            rsi[t] = 100.0 if al == 0 else 100 - 100 / (1 + ag / al)

    def ema(values, span):
        alpha, out = 2 / (span + 1), []
        for v in values:
            out.append(v if not out else out[-1] + alpha * (v - out[-1]))
        return out

    macd = [a - b for a, b in zip(ema(closes, 12), ema(closes, 26))]
    signal = ema(macd, 9)
    vol = [None] * n
    for i in range(20, n):
        window = ret[i - 19:i + 1]
        mean = sum(window) / 20
        vol[i] = math.sqrt(sum((r - mean) ** 2 for r in window) / 19)
    return {"return_1d": ret, "sma_20": sma(20), "sma_50": sma(50), "rsi_14": rsi,
            "macd": macd, "macd_signal": signal, "volatility_20": vol}


def main(root):
    silver = sqlite3.connect(f"file:{root}/silver.sqlite?mode=ro", uri=True)
    gold = sqlite3.connect(f"file:{root}/gold.sqlite?mode=ro", uri=True)
    columns = ["open", "high", "low", "close", "volume", "market_cap", "return_1d", "sma_20", "sma_50",
               "rsi_14", "macd", "macd_signal", "volatility_20"]
    coins = [r[0] for r in silver.execute("SELECT DISTINCT coin_id FROM coin_prices ORDER BY coin_id")]
    checked = problems = 0
    for coin in coins:
        points = silver.execute("SELECT ts, price, market_cap, volume FROM coin_prices WHERE coin_id = ? ORDER BY ts", (coin,)).fetchall()
        bars = daily_bars(points)
        expected = features([b["close"] for b in bars])
        actual = gold.execute(f"SELECT date, {', '.join(columns)} FROM coin_daily_features WHERE coin_id = ? ORDER BY date", (coin,)).fetchall()
        if [a[0] for a in actual] != [b["date"] for b in bars]:
            print(f"{coin}: dates differ ({len(actual)} rows in gold, {len(bars)} expected)")
            problems += 1
            continue
        for i, row in enumerate(actual):
            for j, name in enumerate(columns):
                want = bars[i][name] if name in bars[i] else expected[name][i]
                if not close_enough(row[j + 1], want):
                    problems += 1
                    if problems <= 20:
                        print(f"{coin} {row[0]} {name}: gold {row[j + 1]!r}, oracle {want!r}")
                checked += 1
    print(f"oracle: {len(coins)} coins, {checked} values checked, {problems} mismatches")
    return 1 if problems or not checked else 0


def stocks(root):
    silver = sqlite3.connect(f"file:{root}/silver.sqlite?mode=ro", uri=True)
    gold = sqlite3.connect(f"file:{root}/gold.sqlite?mode=ro", uri=True)
    rates = silver.execute("SELECT date, rate FROM fx_rates WHERE pair = 'USDINR' ORDER BY date").fetchall()
    names = ["close_usd", "close_inr", "usd_inr_rate", "volume", "return_1d", "sma_20", "sma_50", "rsi_14", "macd", "macd_signal", "volatility_20"]
    checked = problems = 0
    tickers = [r[0] for r in silver.execute("SELECT DISTINCT ticker FROM stock_prices WHERE currency IN ('USD', 'INR') ORDER BY 1")]
    for ticker in tickers:
        rows = []
        for date, currency, close, volume in silver.execute(
                "SELECT date, currency, close, volume FROM stock_prices WHERE ticker = ? ORDER BY date", (ticker,)):
            known = [rate for day, rate in rates if day <= date]
            if not known:
                continue
            rate = known[-1]
            usd, inr = (close, close * rate) if currency == "USD" else (close / rate, close)
            rows.append((date, usd, inr, rate, volume))
        expected = features([r[2] for r in rows])
        actual = gold.execute(f"SELECT date, {', '.join(names)} FROM stock_features WHERE ticker = ? ORDER BY date", (ticker,)).fetchall()
        if [a[0] for a in actual] != [r[0] for r in rows]:
            print(f"{ticker}: dates differ ({len(actual)} rows in gold, {len(rows)} expected)")
            problems += 1
            continue
        for i, row in enumerate(actual):
            want = list(rows[i][1:]) + [expected[n][i] for n in names[4:]]
            for j, name in enumerate(names):
                checked += 1
                if not close_enough(row[j + 1], want[j]):
                    problems += 1
                    if problems <= 20:
                        print(f"{ticker} {row[0]} {name}: gold {row[j + 1]!r}, oracle {want[j]!r}")
    print(f"oracle: {len(tickers)} tickers, {checked} values checked, {problems} mismatches")
    return 1 if problems or not checked else 0


if __name__ == "__main__":
    sys.exit(stocks(sys.argv[1]) if "--stocks" in sys.argv else main(sys.argv[1]))
