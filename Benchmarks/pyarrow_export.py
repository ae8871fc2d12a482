#!/usr/bin/env python3
"""The reference for `warehouse export`: the same SQLite table written to Parquet by pyarrow,
streaming in batches with pyarrow.parquet.ParquetWriter, with the same codec (zstd default).

usage: pyarrow_export.py SQLITE_FILE TABLE OUT.parquet [CODEC]
Prints: rows seconds
"""
import sqlite3
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq

database, table, out = sys.argv[1:4]
codec = sys.argv[4] if len(sys.argv) > 4 else "zstd"
started = time.time()
connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})") if r[1] != "raw_file_id"]
keys = [r[1] for r in sorted(connection.execute(f"PRAGMA table_info({table})"), key=lambda r: r[5]) if r[5] > 0]
cursor = connection.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(keys) or 'rowid'}")
writer = None
rows = 0
while True:
    batch = cursor.fetchmany(131072)
    if not batch:
        break
    arrays = list(zip(*batch))
    record = pa.table({name: pa.array(values) for name, values in zip(columns, arrays)})
    if writer is None:
        writer = pq.ParquetWriter(out, record.schema, compression=codec)
    writer.write_table(record)
    rows += len(batch)
writer.close()
print(rows, round(time.time() - started, 2))
