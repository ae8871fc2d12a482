"""Independent computation of silver.exchange_outliers with pandas.

Usage: outliers_oracle.py ROOT Z_LIMIT DEVIATION_LIMIT STALENESS_SECONDS
Log returns per exchange and symbol (primary-key order), their robust z-score per UTC day
(1.4826 x MAD, or 1.2533 x the mean absolute deviation when the MAD is 0); every venue's mid
at each tick's moment by merge_asof (backward, tolerance) and, from three venues, their
median. Compares the flagged ticks and every column with ROOT/silver.sqlite to 1e-9.
Prints "N problems" and how many ticks each rule flagged.
"""
import math
import sqlite3
import sys

import numpy as np
import pandas as pd

root, z_limit, deviation_limit, staleness = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
tolerance = int(round(staleness * 1000))
silver = sqlite3.connect(f"file:{root}/silver.sqlite?mode=ro", uri=True)
ticks = pd.read_sql("SELECT exchange, symbol, received_ts, mid, raw_file_id, raw_line FROM exchange_ticks WHERE mid IS NOT NULL", silver)
ticks = ticks.sort_values(["exchange", "symbol", "received_ts", "raw_file_id", "raw_line"], kind="stable").reset_index(drop=True)
ticks["r"] = np.log(ticks["mid"] / ticks.groupby(["exchange", "symbol"])["mid"].shift())
ticks["date"] = pd.to_datetime(ticks["received_ts"], unit="ms", utc=True).dt.strftime("%Y-%m-%d")


def robust_z(r):
    values = r.dropna()
    if values.empty:
        return pd.Series(np.nan, index=r.index)
    median = values.median()
    deviations = (values - median).abs()
    mad = deviations.median()
    scale = 1.4826 * mad if mad > 0 else 1.2533 * deviations.mean()
    return (r - median) / scale if scale > 0 else pd.Series(np.nan, index=r.index)


ticks["z"] = ticks.groupby(["exchange", "symbol", "date"], group_keys=False)["r"].apply(robust_z)
ticks["venues"], ticks["median"] = 1, np.nan
for symbol, frame in ticks.groupby("symbol"):
    venues = sorted(frame["exchange"].unique())
    for venue in venues:
        own = frame[frame["exchange"] == venue][["received_ts"]].copy()
        own["_row"] = own.index
        mids = [frame.loc[own["_row"], "mid"].to_numpy()]
        for other in venues:
            if other == venue:
                continue
            right = frame[frame["exchange"] == other][["received_ts", "mid"]].rename(columns={"mid": "other"})
            joined = pd.merge_asof(own.sort_values("received_ts", kind="stable"), right, on="received_ts", direction="backward", tolerance=tolerance)
            mids.append(joined.set_index("_row").loc[own["_row"], "other"].to_numpy())
        stacked = np.vstack(mids)
        count = (~np.isnan(stacked)).sum(axis=0)
        median = np.where(count >= 3, np.nanmedian(np.where(np.isnan(stacked), np.nan, stacked), axis=0), np.nan)
        ticks.loc[own["_row"], "venues"] = count
        ticks.loc[own["_row"], "median"] = median
ticks["deviation"] = ticks["mid"] / ticks["median"] - 1
by_z = ticks["z"].abs() > z_limit
by_venue = ticks["deviation"].abs() > deviation_limit
flagged = ticks[by_z | by_venue].copy()
flagged["rule"] = np.where(by_z[flagged.index] & by_venue[flagged.index], "return_z+cross_venue", np.where(by_z[flagged.index], "return_z", "cross_venue"))

actual = {(r[0], r[1], r[2], r[12], r[11]): r for r in silver.execute("SELECT * FROM exchange_outliers")}
problems = []


def same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if b is None:
        return False
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


expected_keys = set()
for row in flagged.itertuples(index=False):
    key = (row.exchange, row.symbol, int(row.received_ts), int(row.raw_file_id), int(row.raw_line))
    expected_keys.add(key)
    got = actual.get(key)
    if got is None:
        problems.append(f"not flagged: {key} rule {row.rule} z {row.z} deviation {row.deviation}")
        continue
    for name, want, have in (("mid", row.mid, got[4]), ("log_return", row.r, got[5]), ("return_z", row.z, got[6]),
                             ("venues_median", row.median, got[8]), ("deviation", row.deviation, got[9])):
        if not same(want, have):
            problems.append(f"{key} {name}: {have}, expected {want}")
    if got[7] != int(row.venues) or got[10] != row.rule:
        problems.append(f"{key}: venues {got[7]} rule {got[10]}, expected {row.venues} {row.rule}")
for key in set(actual) - expected_keys:
    problems.append(f"flagged but not an outlier: {key} {actual[key][10]}")
print(f"{len(ticks)} ticks, {int(by_z.sum())} by return_z, {int(by_venue.sum())} by cross_venue, {len(actual)} in silver")
for problem in problems[:30]:
    print(problem)
print(f"{len(problems)} problems")
sys.exit(1 if problems else 0)
