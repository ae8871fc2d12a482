"""Reads a partitioned export (a Hive-style folder) with pyarrow datasets and DuckDB and checks
it against the SQLite table it came from: every row once, each in the partition its key names,
and a filter on the partition key answered by reading that partition alone.

usage: partitions_oracle.py FOLDER SQLITE TABLE KEY (KEY: a column, or month/year of `date`)
Prints a JSON summary; exits 1 on any mismatch.
"""
import json
import os
import sqlite3
import sys

import duckdb
import pyarrow.dataset as ds

folder, database, table, key = sys.argv[1:5]
gold = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
derived = {"month": "substr(date, 1, 7)", "year": "substr(date, 1, 4)"}.get(key, f'"{key}"')
expected = dict(gold.execute(f"SELECT {derived}, COUNT(*) FROM {table} GROUP BY 1").fetchall())
problems = []

folders = sorted(name for name in os.listdir(folder) if not name.startswith("."))
if folders != sorted(f"{key}={value}" for value in expected):
    problems.append(f"folders {folders} != keys {sorted(expected)}")

dataset = ds.dataset(folder, format="parquet", partitioning="hive")
table_rows = dataset.to_table()
if table_rows.num_rows != sum(expected.values()):
    problems.append(f"pyarrow read {table_rows.num_rows} rows, the table has {sum(expected.values())}")

probe = sorted(expected)[len(expected) // 2]
probe_value = int(probe) if str(probe).isdigit() and key == "year" else probe
fragments = [f for f in dataset.get_fragments(filter=ds.field(key) == probe_value)]
if len(fragments) != 1:
    problems.append(f"a filter on {key}={probe} kept {len(fragments)} fragments, not 1")
filtered = dataset.to_table(filter=ds.field(key) == probe_value).num_rows
if filtered != expected[probe]:
    problems.append(f"pyarrow: {key}={probe} gave {filtered} rows, expected {expected[probe]}")

duck = duckdb.sql(f"SELECT COUNT(*) FROM read_parquet('{folder}/*/*.parquet', hive_partitioning = true) WHERE {key} = '{probe}'").fetchall()[0][0]
if duck != expected[probe]:
    problems.append(f"duckdb: {key}={probe} gave {duck} rows, expected {expected[probe]}")

print(json.dumps({"partitions": len(folders), "rows": table_rows.num_rows, "probe": str(probe), "probe_rows": filtered, "problems": problems}))
sys.exit(1 if problems else 0)
