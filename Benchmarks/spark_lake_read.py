#!/usr/bin/env python3
"""Reads a lake table with Spark (pyspark, local mode): a filter on the partition column must
appear as a PartitionFilter in the physical plan and give SQLite's count for that month.

usage: spark_lake_read.py FOLDER SQLITE TABLE
Prints: the month probed, Spark's count, SQLite's count, and the scan line of the plan.
"""
import sqlite3
import sys
import time

from pyspark.sql import SparkSession

folder, database, table = sys.argv[1:4]
gold = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
months = [m for (m,) in gold.execute(f"SELECT DISTINCT substr(date, 1, 7) FROM {table} ORDER BY 1")]
probe = months[len(months) // 2]
expected = gold.execute(f"SELECT COUNT(*) FROM {table} WHERE substr(date, 1, 7) = ?", (probe,)).fetchone()[0]
spark = SparkSession.builder.master("local[2]").appName("lake-read").config("spark.ui.enabled", "false").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
started = time.time()
frame = spark.read.parquet(folder).filter(f"month = '{probe}'")
plan = frame._jdf.queryExecution().executedPlan().toString()
count = frame.count()
scan = next((line.strip() for line in plan.splitlines() if "PartitionFilters" in line), plan.splitlines()[0])
total = spark.read.parquet(folder).count()
print(f"month {probe}: spark {count} rows, sqlite {expected}; all months: spark {total}; {time.time() - started:.1f} s")
print(scan[:400])
spark.stop()
sys.exit(0 if count == expected and f"isnotnull(month" in scan and probe in scan else 1)
