"""The Python ways of putting a SQLite table into PostgreSQL, for Benchmarks/publish_vs_python.sh:
psycopg's COPY (the fastest a Python script gets) and pandas' DataFrame.to_sql (the usual one).
Both create the table with the same primary key as `warehouse publish` does.

usage: python_publish.py copy|to_sql SQLITE_FILE TABLE DSN
"""
import sqlite3
import sys

import psycopg

mode, path, table, dsn = sys.argv[1:5]
lite = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
info = lite.execute(f'SELECT name, type, pk FROM pragma_table_info("{table}") ORDER BY cid').fetchall()
columns = [name for name, _, _ in info]
key = [name for name, _, pk in sorted((c for c in info if c[2] > 0), key=lambda c: c[2])]
types = {"INTEGER": "bigint", "REAL": "double precision", "TEXT": "text"}

if mode == "copy":
    with psycopg.connect(dsn) as pg:
        pg.execute(f'DROP TABLE IF EXISTS "{table}"')
        pg.execute(f'CREATE TABLE "{table}" (' + ", ".join(f'"{n}" {types.get(t.upper(), "text")}' for n, t, _ in info) + ")")
        with pg.cursor().copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in lite.execute(f'SELECT {", ".join(columns)} FROM "{table}"'):
                copy.write_row(row)
        pg.execute(f'ALTER TABLE "{table}" ADD PRIMARY KEY ({", ".join(key)})')
elif mode == "to_sql":
    import pandas as pd
    from sqlalchemy import create_engine, text

    parts = dict(item.split("=", 1) for item in dsn.split())
    engine = create_engine(f"postgresql+psycopg://{parts['user']}:{parts['password']}@{parts['host']}:{parts['port']}/{parts['dbname']}")
    frame = pd.read_sql_query(f'SELECT {", ".join(columns)} FROM "{table}"', lite)
    frame.to_sql(table, engine, if_exists="replace", index=False, method="multi", chunksize=5000)
    with engine.begin() as connection:
        connection.execute(text(f'ALTER TABLE "{table}" ADD PRIMARY KEY ({", ".join(key)})'))
else:
    sys.exit(f"unknown mode {mode}: use copy or to_sql")
