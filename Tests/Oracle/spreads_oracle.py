"""Independent computation of gold.cross_exchange_spreads with pandas' merge_asof.

Usage: spreads_oracle.py ROOT STALENESS_SECONDS
Reads the mids in ROOT/silver.sqlite, aligns every venue on the 1 s and 1 min grids with
merge_asof (backward, tolerance max(staleness, bucket)), and compares every bucket's mids, high
and low venue and spreads with ROOT/gold.sqlite to 1e-9, and the daily pair summary too.
Prints the differences and "N problems".
"""
import json
import sqlite3
import sys

import pandas as pd

root, staleness = sys.argv[1], float(sys.argv[2])
silver = sqlite3.connect(f"{root}/silver.sqlite")
gold = sqlite3.connect(f"{root}/gold.sqlite")
ticks = pd.read_sql("SELECT exchange, symbol, received_ts, mid, raw_file_id, raw_line FROM exchange_ticks WHERE mid IS NOT NULL", silver)
ticks = ticks.sort_values(["exchange", "symbol", "received_ts", "raw_file_id", "raw_line"], kind="stable")
problems = []


def close(a, b):
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


expected = {}
for symbol, frame in ticks.groupby("symbol"):
    venues = sorted(frame["exchange"].unique())
    for grid, width in (("1s", 1000), ("1m", 60000)):
        first = -(-frame["received_ts"].min() // width) * width
        last = -(-frame["received_ts"].max() // width) * width
        ends = pd.DataFrame({"end": range(int(first), int(last) + 1, width)})
        for venue in venues:
            right = frame[frame["exchange"] == venue][["received_ts", "mid"]].rename(columns={"mid": venue})
            ends = pd.merge_asof(ends, right, left_on="end", right_on="received_ts", direction="backward",
                                 tolerance=int(max(staleness * 1000, width))).drop(columns="received_ts")
        for row in ends.itertuples(index=False):
            mids = {v: m for v, m in zip(venues, row[1:]) if not pd.isna(m)}
            if not mids:
                continue
            expected[(symbol, grid, int(row[0]))] = mids

actual = {}
for row in gold.execute("SELECT symbol, grid, bucket_end_ts, venues, mids, high_exchange, high_mid, low_exchange, low_mid, spread_abs, spread_rel FROM cross_exchange_spreads"):
    actual[(row[0], row[1], row[2])] = row
if set(actual) != set(expected):
    missing, extra = set(expected) - set(actual), set(actual) - set(expected)
    problems.append(f"buckets: {len(missing)} missing (e.g. {sorted(missing)[:3]}), {len(extra)} extra (e.g. {sorted(extra)[:3]})")
for key in sorted(set(actual) & set(expected)):
    mids, row = expected[key], actual[key]
    stored = json.loads(row[4])
    if row[3] != len(mids) or set(stored) != set(mids) or not all(close(stored[v], mids[v]) for v in mids):
        problems.append(f"{key}: mids {stored} != {mids}")
        continue
    if len(mids) < 2:
        if any(v is not None for v in row[5:]):
            problems.append(f"{key}: one venue but spread columns {row[5:]}")
        continue
    order = sorted(mids)
    high = max(order, key=lambda v: (mids[v], -order.index(v)))
    low = min(order, key=lambda v: (mids[v], order.index(v)))
    want = (high, mids[high], low, mids[low], mids[high] - mids[low], (mids[high] - mids[low]) / mids[low])
    got = row[5:]
    if got[0] != want[0] or got[2] != want[2] or not all(close(got[i], want[i]) for i in (1, 3, 4, 5)):
        problems.append(f"{key}: {got} != {want}")

# The daily pair summary.
pairs = {}
for (symbol, grid, end), mids in expected.items():
    day = pd.Timestamp(end, unit="ms", tz="UTC").strftime("%Y-%m-%d")
    for a in sorted(mids):
        for b in sorted(mids):
            if a < b:
                pairs.setdefault((day, symbol, grid, a, b), []).append((abs(mids[a] - mids[b]), abs(mids[a] - mids[b]) / min(mids[a], mids[b])))
stored = {tuple(r[:5]): r[5:] for r in gold.execute("SELECT date, symbol, grid, exchange_a, exchange_b, buckets, max_spread_abs, max_spread_rel, mean_spread_abs FROM cross_exchange_spread_daily")}
if set(stored) != set(pairs):
    problems.append(f"daily pairs differ: {sorted(set(stored) ^ set(pairs))[:5]}")
for key in sorted(set(stored) & set(pairs)):
    values = pairs[key]
    want = (len(values), max(v[0] for v in values), max(v[1] for v in values), sum(v[0] for v in values) / len(values))
    got = stored[key]
    if got[0] != want[0] or not all(close(g, w) for g, w in zip(got[1:], want[1:])):
        problems.append(f"daily {key}: {got} != {want}")

for problem in problems[:20]:
    print(problem)
print(f"{len(expected)} buckets, {len(pairs)} daily pairs compared: {len(problems)} problems")
