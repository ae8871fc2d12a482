"""Prints what pyarrow reads of a Parquet file's schema and first row group's statistics, as
JSON: the first column's codec, and per column its nullability, whether min/max are usable,
min, max and null count, its encodings and whether it has a dictionary page; then every value.

usage: python3 parquet_stats.py FILE
"""
import json
import math
import sys

import pyarrow.parquet as pq



def plain(value):
    """A value JSON can carry: NaN and the sign of zero as text."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, float) and value == 0:
        return "-0.0" if math.copysign(1, value) < 0 else "0.0"
    return value if isinstance(value, (int, float, str)) or value is None else str(value)


metadata = pq.ParquetFile(sys.argv[1]).metadata
schema = pq.read_schema(sys.argv[1])
group = metadata.row_group(0)
columns = {}
for i in range(group.num_columns):
    column = group.column(i)
    stats = column.statistics
    name = column.path_in_schema

    columns[name] = {
        "nullable": schema.field(name).nullable,
        "has_min_max": bool(stats and stats.has_min_max),
        "min": plain(stats.min) if stats and stats.has_min_max else None,
        "max": plain(stats.max) if stats and stats.has_min_max else None,
        "null_count": stats.null_count if stats else None,
        "encodings": list(column.encodings),
        "dictionary": column.has_dictionary_page,
    }
print(json.dumps({"rows": metadata.num_rows, "codec": group.column(0).compression, "columns": columns, "values": [{k: plain(v) for k, v in row.items()} for row in pq.read_table(sys.argv[1]).to_pylist()]}, default=str))
