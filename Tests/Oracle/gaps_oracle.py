"""Independent computation of silver.exchange_gaps with pandas.

Usage: gaps_oracle.py ROOT GAP_FACTOR
From the stream ticks of ROOT/silver.sqlite: per exchange, symbol and UTC day the median of the
positive differences between consecutive reception times; every difference (the one into the
next day counted on the earlier day) above factor x that median is a gap; the closed events of
the exchange in (start, end] are counted. Compares the whole table. Prints "N problems".
"""
import sqlite3
import sys

import pandas as pd

root, factor = sys.argv[1], float(sys.argv[2])
silver = sqlite3.connect(f"file:{root}/silver.sqlite?mode=ro", uri=True)
ticks = pd.read_sql("SELECT exchange, symbol, received_ts FROM exchange_ticks WHERE source = 'ws'", silver)
closes = pd.read_sql("SELECT exchange, received_ts FROM exchange_connections WHERE event = 'closed'", silver)
ticks = ticks.sort_values(["exchange", "symbol", "received_ts"], kind="stable")
ticks["date"] = pd.to_datetime(ticks["received_ts"], unit="ms", utc=True).dt.strftime("%Y-%m-%d")
ticks["next"] = ticks.groupby(["exchange", "symbol"])["received_ts"].shift(-1)
ticks["next_date"] = ticks.groupby(["exchange", "symbol"])["date"].shift(-1)
ticks["diff"] = ticks["next"] - ticks["received_ts"]
same_day = ticks[ticks["next_date"] == ticks["date"]]
typical = same_day[same_day["diff"] > 0].groupby(["exchange", "symbol", "date"])["diff"].median().rename("typical")
candidates = ticks.dropna(subset=["next"]).join(typical, on=["exchange", "symbol", "date"], how="inner")
gaps = candidates[candidates["diff"] > factor * candidates["typical"]]
expected = {}
for row in gaps.itertuples(index=False):
    times = closes[closes["exchange"] == row.exchange]["received_ts"]
    within = int(((times > row.received_ts) & (times <= row.next)).sum())
    expected[(row.exchange, row.symbol, int(row.received_ts))] = (row.date, int(row.next), int(row.diff), float(row.typical), within)
actual = {(r[0], r[1], r[3]): (r[2], r[4], r[7], r[8], r[10]) for r in silver.execute("SELECT * FROM exchange_gaps")}
problems = []
for key in sorted(set(expected) | set(actual)):
    if key not in actual:
        problems.append(f"missing gap {key}: {expected[key]}")
    elif key not in expected:
        problems.append(f"unexpected gap {key}: {actual[key]}")
    else:
        e, a = expected[key], actual[key]
        if e[:3] != a[:3] or abs(e[3] - a[3]) > 1e-9 or e[4] != a[4]:
            problems.append(f"gap {key}: {a}, expected {e}")
print(f"{len(expected)} gaps expected, {len(actual)} in silver, {sum(1 for v in expected.values() if v[4] > 0)} with a disconnect inside")
for problem in problems[:30]:
    print(problem)
print(f"{len(problems)} problems")
sys.exit(1 if problems else 0)
