"""Reads one table of the Parquet lake (DIR/<table>/, Hive layout) with pyarrow datasets and
DuckDB and checks it against the SQLite table it follows: the same rows value for value, a
filter on the partition key answered from one partition, a filter on the leading key column
answered from fewer row groups (min/max statistics), statistics on every column chunk, and the
footer's asset, run id and fingerprint.

usage: lake_oracle.py FOLDER SQLITE TABLE KEY LEADING (KEY: month/year/date; LEADING: a column)
Prints a JSON summary; exits 1 on any mismatch.
"""
import datetime
import json
import os
import sqlite3
import sys

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq

folder, database, table, key, leading = sys.argv[1:6]
gold = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
problems = []


def normal(value):
    if value is None:
        return None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


columns = [row[1] for row in gold.execute(f"SELECT * FROM pragma_table_info('{table}') ORDER BY cid") if row[1] != "raw_file_id"]
quoted = ", ".join(f'"{c}"' for c in columns)
expected = sorted(tuple(normal(v) for v in row) for row in gold.execute(f"SELECT {quoted} FROM {table}"))

dataset = ds.dataset(folder, format="parquet", partitioning="hive")
read = dataset.to_table()
actual = sorted(tuple(normal(v) for v in row) for row in zip(*(read.column(c).to_pylist() for c in columns)))
if len(actual) != len(expected):
    problems.append(f"the lake holds {len(actual)} rows, SQLite {len(expected)}")
elif actual != expected:
    first = next(i for i, (a, b) in enumerate(zip(actual, expected)) if a != b)
    problems.append(f"row {first} differs: lake {actual[first]} vs SQLite {expected[first]}")

files = sorted(f.path for f in dataset.get_fragments())
derived = {"month": "substr(date, 1, 7)", "year": "substr(date, 1, 4)", "date": "date"}[key]
counts = dict(gold.execute(f"SELECT {derived}, COUNT(*) FROM {table} GROUP BY 1").fetchall())
probe = sorted(counts)[len(counts) // 2]
probe_value = int(probe) if key == "year" else probe
fragments = list(dataset.get_fragments(filter=ds.field(key) == probe_value))
if len(fragments) != 1:
    problems.append(f"a filter on {key}={probe} kept {len(fragments)} files, not 1")
duck = duckdb.sql(f"SELECT COUNT(*) FROM read_parquet('{folder}/*/*.parquet', hive_partitioning = true) WHERE {key} = '{probe}'").fetchall()[0][0]
if duck != counts[probe]:
    problems.append(f"duckdb: {key}={probe} gave {duck} rows, expected {counts[probe]}")

# Row-group pruning inside the probed partition: a filter on the leading key column.
fragment = fragments[0]
row_groups = fragment.metadata.num_row_groups
values = sorted(set(gold.execute(f'SELECT "{leading}" FROM {table} WHERE {derived} = ?', (probe,)).fetchall()))
target = values[len(values) // 2][0]
kept = len(fragment.split_by_row_group(filter=ds.field(leading) == target))
wanted = gold.execute(f'SELECT COUNT(*) FROM {table} WHERE {derived} = ? AND "{leading}" = ?', (probe, target)).fetchone()[0]
got = dataset.to_table(filter=(ds.field(key) == probe_value) & (ds.field(leading) == target)).num_rows
if got != wanted:
    problems.append(f"{leading}={target} in {key}={probe}: {got} rows, expected {wanted}")

missing_stats = []
metadata = {}
for path in files:
    meta = pq.ParquetFile(path).metadata
    footer = {k.decode(): v.decode() for k, v in (meta.metadata or {}).items()}
    metadata[os.path.relpath(path, folder)] = {k: footer.get(k) for k in ("warehouse.asset", "warehouse.run_id", "warehouse.fingerprint")}
    for g in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            chunk = meta.row_group(g).column(c)
            stats = chunk.statistics
            if stats is None or (stats.null_count < meta.row_group(g).num_rows and not stats.has_min_max):
                missing_stats.append(f"{os.path.relpath(path, folder)} row group {g} column {chunk.path_in_schema}")
if missing_stats:
    problems.append(f"no min/max statistics: {missing_stats[:3]}")

print(json.dumps({"files": len(files), "rows": len(actual), "probe": str(probe), "row_groups": row_groups, "row_groups_kept": kept,
                  "metadata": metadata, "problems": problems}))
sys.exit(1 if problems else 0)
