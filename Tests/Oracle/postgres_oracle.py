"""Compares warehouse tables in SQLite with their copies in PostgreSQL, independently of the
publisher: row counts, primary keys, a checksum over every row in key order, and a few analyst
queries run on both. Prints JSON.

usage: postgres_oracle.py ROOT DSN TABLE... (TABLE as silver.coin_prices or gold.research_dataset)
"""
import hashlib
import json
import math
import sqlite3
import sys

import psycopg

# Questions a BI user asks, written once; {s} is the schema prefix ("" in SQLite, "gold." in PostgreSQL).
QUERIES = {
    "top_by_market_cap": "SELECT coin_id, price, market_cap_category FROM {s}crypto_analytics_mart ORDER BY market_cap DESC, coin_id LIMIT 10",
    "category_totals": "SELECT market_cap_category, count(*), sum(market_cap) FROM {s}crypto_analytics_mart GROUP BY market_cap_category ORDER BY market_cap_category",
    "latest_days": "SELECT date, count(*), avg(close), max(rsi_14) FROM {s}coin_daily_features GROUP BY date ORDER BY date DESC LIMIT 7",
    "universe_per_month": "SELECT substr(date, 1, 7) AS month, count(DISTINCT coin_id) FROM {s}research_dataset GROUP BY substr(date, 1, 7) ORDER BY month",
    "best_returns": "SELECT coin_id, date, return_1d FROM {s}coin_daily_features WHERE return_1d IS NOT NULL ORDER BY return_1d DESC, coin_id, date LIMIT 5",
}


def normal(value):
    if isinstance(value, float):
        return ("f", value.hex()) if math.isfinite(value) else ("f", repr(value))
    if isinstance(value, int):
        return ("i", value)
    return ("t", value)


def checksum(rows):
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(repr(tuple(normal(v) for v in row)).encode())
        count += 1
    return count, digest.hexdigest()


def close(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def main():
    root, dsn, tables = sys.argv[1], sys.argv[2], sys.argv[3:]
    out = {"tables": {}, "queries": {}}
    with psycopg.connect(dsn) as pg:
        for name in tables:
            schema, table = name.split(".")
            lite = sqlite3.connect(f"file:{root}/{schema}.sqlite?mode=ro", uri=True)
            info = lite.execute(f'SELECT name, pk FROM pragma_table_info("{table}") ORDER BY cid').fetchall()
            columns = [c for c, _ in info]
            key = [c for c, pk in sorted(((c, pk) for c, pk in info if pk > 0), key=lambda x: x[1])]
            order = ", ".join(f'"{c}"' for c in (key or columns))
            select = ", ".join(f'"{c}"' for c in columns)
            lite_count, lite_sum = checksum(lite.execute(f'SELECT {select} FROM "{table}" ORDER BY {order}'))
            pg_key = [r[0] for r in pg.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)", (f'"{schema}"."{table}"',))]
            with pg.cursor(name=f"dump_{schema}_{table}") as cursor:
                cursor.itersize = 20000
                cursor.execute(f'SELECT {select} FROM "{schema}"."{table}" ORDER BY {order}')
                pg_count, pg_sum = checksum(cursor)
            out["tables"][name] = {"sqlite": {"rows": lite_count, "key": key, "checksum": lite_sum},
                                   "postgres": {"rows": pg_count, "key": pg_key, "checksum": pg_sum}}
            lite.close()
        gold = sqlite3.connect(f"file:{root}/gold.sqlite?mode=ro", uri=True)
        for label, query in QUERIES.items():
            a = gold.execute(query.format(s="")).fetchall()
            b = pg.execute(query.format(s="gold.")).fetchall()
            same = len(a) == len(b) and len(a) > 0 and all(len(x) == len(y) and all(close(u, v) for u, v in zip(x, y)) for x, y in zip(a, b))
            out["queries"][label] = {"rows": len(a), "same": same, "sqlite": [list(r) for r in a[:3]], "postgres": [list(r) for r in b[:3]]}
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
