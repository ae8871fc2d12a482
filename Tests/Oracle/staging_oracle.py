"""Independent check of `warehouse stage export` files against silver.exchange_ticks.

Usage: staging_oracle.py ROOT METADATA_JSON...
For each run metadata file: selects the window's ticks from ROOT/silver.sqlite with its own
query (window [start_ms, end_ms), the filters), reads the export (sqlite3, pandas' read_csv or
json), and compares every row and column, the row counts per exchange and asset, the source
files, the lists of exchanges and assets, and the file's sha256 and size.
Prints the differences and "N problems".
"""
import hashlib
import json
import math
import os
import sqlite3
import sys

import pandas as pd

root, metadata_files = sys.argv[1], sys.argv[2:]
silver = sqlite3.connect(f"file:{root}/silver.sqlite?mode=ro", uri=True)
problems = []
COLUMNS = ["exchange", "symbol", "base", "quote", "bid", "ask", "last", "mid", "volume", "exchange_ts",
           "received_ts", "received_at", "source", "raw_file", "raw_line"]


def same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or abs(a - b) <= 1e-12 * max(1.0, abs(a))
    return str(a) == str(b)


def iso_ms(millis):
    seconds, rest = divmod(int(millis), 1000)
    return pd.Timestamp(seconds, unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%M:%S") + f".{rest:03d}Z"


for metadata_path in metadata_files:
    meta = json.load(open(metadata_path))
    window, filters = meta["window"], meta["filters"]
    where, args = ["received_ts >= ?", "received_ts < ?"], [window["start_ms"], window["end_ms"]]
    for column, values in (("exchange", filters["exchanges"]), ("base", filters["assets"])):
        if values is not None:
            where.append(f"{column} IN ({','.join('?' * len(values))})")
            args += values
    expected = pd.read_sql(f"""
        SELECT t.exchange, t.symbol, t.base, t.quote, t.bid, t.ask, t.last, t.mid, t.volume, t.exchange_ts, t.received_ts,
               t.source, f.path AS raw_file, t.raw_line, f.sha256 AS raw_sha256, t.raw_file_id
        FROM exchange_ticks t JOIN _raw_files f USING (raw_file_id) WHERE {' AND '.join(where)}""", silver, params=args)
    expected = expected.sort_values(["received_ts", "exchange", "symbol", "raw_file_id", "raw_line"], kind="stable")
    expected["received_at"] = expected["received_ts"].map(iso_ms)
    path = os.path.join(os.path.dirname(metadata_path), meta["output"]["file"])
    fmt = meta["output"]["format"]
    if fmt == "sqlite":
        actual = pd.read_sql("SELECT * FROM exchange_ticks ORDER BY received_ts, exchange, symbol, raw_file, raw_line", sqlite3.connect(path))
        expected = expected.sort_values(["received_ts", "exchange", "symbol", "raw_file", "raw_line"], kind="stable")
    elif fmt == "csv":
        actual = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"exchange": str, "symbol": str, "base": str, "quote": str})
    else:
        actual = pd.DataFrame(json.load(open(path)), columns=COLUMNS)
    name = os.path.basename(path)
    if list(actual.columns) != COLUMNS:
        problems.append(f"{name}: columns {list(actual.columns)}")
    if len(actual) != len(expected):
        problems.append(f"{name}: {len(actual)} rows, silver's window holds {len(expected)}")
    for index, (a, e) in enumerate(zip(actual[COLUMNS].itertuples(index=False), expected[COLUMNS].itertuples(index=False))):
        for column, x, y in zip(COLUMNS, a, e):
            if not same(y, x):
                problems.append(f"{name} row {index + 1} {column}: {x!r}, expected {y!r}")
        if len(problems) > 20:
            break
    if expected["received_ts"].max() >= window["end_ms"] if len(expected) else False:
        problems.append(f"{name}: a row at or after the window's end")
    checks = {
        "rows": (meta["output"]["rows"], len(expected)),
        "exchanges": (meta["exchanges"], sorted(expected["exchange"].unique().tolist())),
        "assets": (meta["assets"], sorted(expected["base"].unique().tolist())),
        "rows_by_exchange": (meta["rows_by_exchange"], {k: int(v) for k, v in expected.groupby("exchange").size().items()}),
        "rows_by_asset": (meta["rows_by_asset"], {k: int(v) for k, v in expected.groupby("base").size().items()}),
        "rows_by_exchange_asset": (meta["rows_by_exchange_asset"],
                                   {e: {a: int(n) for a, n in g.groupby("base").size().items()} for e, g in expected.groupby("exchange")}),
        "source_files": (meta["source_files"], [{"path": p, "sha256": g["raw_sha256"].iloc[0], "rows": int(len(g))}
                                                for p, g in sorted(expected.groupby("raw_file"), key=lambda item: item[0])]),
        "bytes": (meta["output"]["bytes"], os.path.getsize(path)),
        "sha256": (meta["output"]["sha256"], hashlib.sha256(open(path, "rb").read()).hexdigest()),
        "hours": (window["end_ms"] - window["start_ms"], window["hours"] * 3_600_000),
    }
    for key, (got, want) in checks.items():
        if got != want:
            problems.append(f"{name} metadata {key}: {str(got)[:200]}, expected {str(want)[:200]}")
    print(f"{name}: {len(actual)} rows, {len(meta['source_files'])} source files")

for problem in problems[:40]:
    print(problem)
print(f"{len(problems)} problems")
sys.exit(1 if problems else 0)
