#!/usr/bin/env python3
"""The reference for the lake: a SQLite table with a `date` column written by pyarrow as a
Hive dataset partitioned by month (`pyarrow.dataset.write_dataset`, the same codec).

usage: pyarrow_lake.py SQLITE_FILE TABLE OUT_DIR [CODEC]
"""
import sqlite3
import sys

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

database, table, out = sys.argv[1:4]
codec = sys.argv[4] if len(sys.argv) > 4 else "zstd"
connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})") if r[1] != "raw_file_id"]
keys = [r[1] for r in sorted(connection.execute(f"PRAGMA table_info({table})"), key=lambda r: r[5]) if r[5] > 0]
rows = connection.execute(f"SELECT substr(date, 1, 7), {', '.join(columns)} FROM {table} ORDER BY date, {', '.join(keys)}").fetchall()
arrays = list(zip(*rows))
data = pa.table({name: pa.array(values) for name, values in zip(["month"] + columns, arrays)})
ds.write_dataset(data, out, format="parquet", partitioning=ds.partitioning(pa.schema([("month", pa.string())]), flavor="hive"),
                 file_options=ds.ParquetFileFormat().make_write_options(compression=codec), existing_data_behavior="overwrite_or_ignore")
