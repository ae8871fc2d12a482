#!/usr/bin/env python3
"""Reads every Parquet export of a warehouse root with pyarrow, pandas and DuckDB and checks
column types and values against the gold table it came from (read with sqlite3).

usage: exports_oracle.py ROOT
Prints one line per problem and a summary; exits 1 on any mismatch.
"""
import math
import sqlite3
import sys

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

EXPORTS = {
    "crypto_market_data.parquet": ("research_dataset", ["date", "coin_id"]),
    "dashboard_data.parquet": ("dashboard_dataset", ["canonical_id", "date"]),
    "user_facing_data.parquet": ("dashboard_dataset", ["canonical_id", "date"]),
    "features_dataset.parquet": ("stock_features", ["ticker", "date"]),
}


def expected_type(name, declared):
    declared = declared.upper()
    if name == "date":
        return pa.date32()
    if "INT" in declared:
        return pa.int64()
    if "REAL" in declared:
        return pa.float64()
    return pa.string()


def same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, float) or isinstance(b, float):
        return b is not None and a == b
    return str(a) == str(b)


def main(root):
    gold = sqlite3.connect(f"file:{root}/gold.sqlite?mode=ro", uri=True)
    problems = checked = 0
    for file, (table, order) in EXPORTS.items():
        path = f"{root}/exports/{file}"
        columns = gold.execute(f"SELECT name, type FROM pragma_table_info('{table}') ORDER BY cid").fetchall()
        rows = gold.execute(f"SELECT * FROM {table} ORDER BY {', '.join(order)}").fetchall()
        arrow = pq.read_table(path)
        for name, declared in columns:
            field = arrow.schema.field(name)
            if field.type != expected_type(name, declared):
                print(f"{file}: {name} is {field.type}, expected {expected_type(name, declared)}")
                problems += 1
        frame = pd.read_parquet(path).sort_values(order).reset_index(drop=True)
        duck = duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY {', '.join(order)}").fetchall()
        if not (len(rows) == arrow.num_rows == len(frame) == len(duck)):
            print(f"{file}: {len(rows)} rows in {table}, pyarrow {arrow.num_rows}, pandas {len(frame)}, duckdb {len(duck)}")
            problems += 1
            continue
        names = [c[0] for c in columns]
        for i, row in enumerate(rows):
            for j, name in enumerate(names):
                want = row[j]
                from_pandas = frame.at[i, name]
                from_duck = duck[i][j]
                if name == "date":
                    from_pandas = str(from_pandas)[:10] if from_pandas is not None else None
                    from_duck = from_duck.isoformat() if from_duck is not None else None
                elif hasattr(from_pandas, "item"):
                    from_pandas = from_pandas.item()
                if isinstance(from_pandas, float) and math.isnan(from_pandas):
                    from_pandas = None
                for reader, got in (("pandas", from_pandas), ("duckdb", from_duck)):
                    checked += 1
                    if not same(want, got):
                        problems += 1
                        if problems <= 20:
                            print(f"{file} row {i} {name}: {table} {want!r}, {reader} {got!r}")
        stats = pq.ParquetFile(path).metadata.row_group(0).column(names.index("close" if "close" in names else "close_inr")).statistics
        if not stats.has_min_max or stats.null_count != 0:
            print(f"{file}: close statistics missing or wrong: {stats}")
            problems += 1
        # Every column with a value has usable min/max (strings too), and NOT NULL key columns are REQUIRED.
        group = pq.ParquetFile(path).metadata.row_group(0)
        for j, name in enumerate(names):
            column = group.column(arrow.schema.get_field_index(name))
            if any(row[j] is not None for row in rows[: group.num_rows]) and not column.statistics.has_min_max:
                print(f"{file}: {name} has no usable min/max")
                problems += 1
        keys = {k for k, notnull, pk in gold.execute(f"SELECT name, \"notnull\", pk FROM pragma_table_info('{table}')").fetchall() if pk}
        without_rowid = "WITHOUT ROWID" in gold.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0].upper()
        for name in names:
            declared_not_null = name in keys and (without_rowid or dict((c[0], c[1]) for c in gold.execute(f"SELECT name, \"notnull\" FROM pragma_table_info('{table}')").fetchall())[name])
            if arrow.schema.field(name).nullable == bool(declared_not_null):
                print(f"{file}: {name} nullable={arrow.schema.field(name).nullable}, but the key declares NOT NULL={bool(declared_not_null)}")
                problems += 1
    print(f"exports oracle: {checked} values checked with pandas and duckdb, {problems} problems")
    return 1 if problems or not checked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
