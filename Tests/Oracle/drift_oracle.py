#!/usr/bin/env python3
"""Oracle for gold.feature_drift: recomputes, with scipy, the newest drift rows of a root from
the frozen baseline values and the newest window of gold.stock_features, chosen independently
(the newest `window_days` distinct dates), and compares statistic, p-value and flag.

Usage: drift_oracle.py ROOT    prints "N features, M mismatches"; exits 1 on any mismatch."""
import sqlite3
import sys

from scipy import stats

FEATURES = ["return_1d", "sma_20", "sma_50", "rsi_14", "macd", "macd_signal", "volatility_20"]

db = sqlite3.connect(f"file:{sys.argv[1]}/gold.sqlite?mode=ro", uri=True)
(window_days,) = db.execute("SELECT window_days FROM _baselines WHERE asset = 'gold.stock_features'").fetchone()
dates = [d for (d,) in db.execute("SELECT DISTINCT date FROM stock_features ORDER BY date DESC LIMIT ?", (window_days,))]
start, end = min(dates), max(dates)
(sequence,) = db.execute("SELECT max(sequence) FROM feature_drift").fetchone()
rows = db.execute("SELECT feature, ks_stat, p_value, drifted, alpha, window_start, window_end FROM feature_drift WHERE sequence = ?",
                  (sequence,)).fetchall()
mismatches = 0
if sorted(r[0] for r in rows) != sorted(FEATURES):
    print(f"features {sorted(r[0] for r in rows)} != {sorted(FEATURES)}")
    mismatches += 1
for feature, ks_stat, p_value, drifted, alpha, window_start, window_end in rows:
    baseline = [v for (v,) in db.execute(
        "SELECT value FROM _baseline_values WHERE asset = 'gold.stock_features' AND feature = ?", (feature,))]
    current = [v for (v,) in db.execute(
        f"SELECT {feature} FROM stock_features WHERE date BETWEEN ? AND ? AND {feature} IS NOT NULL", (start, end))]
    expected = stats.ks_2samp(baseline, current, alternative="two-sided", method="asymp")
    problems = []
    if (window_start, window_end) != (start, end):
        problems.append(f"window {window_start}..{window_end} != {start}..{end}")
    if abs(ks_stat - expected.statistic) > 1e-12:
        problems.append(f"ks_stat {ks_stat!r} != {expected.statistic!r}")
    if abs(p_value - expected.pvalue) > 1e-6:
        problems.append(f"p_value {p_value!r} != {expected.pvalue!r}")
    if bool(drifted) != bool(expected.pvalue < alpha):
        problems.append(f"drifted {drifted} but p={expected.pvalue!r}, alpha={alpha}")
    for problem in problems:
        print(f"{feature}: {problem}")
    mismatches += len(problems)
print(f"{len(rows)} features, {mismatches} mismatches")
sys.exit(1 if mismatches else 0)
