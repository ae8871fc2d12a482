"""A bounded loopback load generator for the API: N GET requests over the given paths, C at a
time, while a build runs. Reports errors (any status but 200, any transport error), how many
requests ran while the build's process was alive, and for the mart and segment endpoints the
row counts each answer had (a half-built table would show a smaller one).

usage: api_load.py BASE N CONCURRENCY [--pid PID] PATH...
prints a JSON report on stdout."""
import json, os, sys, threading, time, urllib.request
from concurrent.futures import ThreadPoolExecutor

args = sys.argv[1:]
pid = None
if "--pid" in args:
    i = args.index("--pid"); pid = int(args[i + 1]); del args[i:i + 2]
base, total, concurrency, paths = args[0], int(args[1]), int(args[2]), args[3:]
lock = threading.Lock()
report = {"requests": 0, "errors": [], "during_build": 0, "mart_rows": [], "segment_rows": [], "seconds": 0.0}

def alive():
    return pid is not None and os.path.exists(f"/proc/{pid}")

def one(i):
    path = paths[i % len(paths)]
    building = alive()
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            body = json.loads(response.read())
            status = response.status
    except Exception as error:  # HTTP errors raise too
        with lock:
            report["requests"] += 1
            report["errors"].append(f"{path}: {error}")
        return
    with lock:
        report["requests"] += 1
        report["during_build"] += 1 if building else 0
        if status != 200:
            report["errors"].append(f"{path}: HTTP {status}")
        if "crypto_analytics_mart" in path and "rows" in body:
            report["mart_rows"].append(len(body["rows"]))
        if path.endswith("/segments"):
            report["segment_rows"].append(len(body["market_segment_analysis"]))

started = time.time()
with ThreadPoolExecutor(max_workers=concurrency) as pool:
    list(pool.map(one, range(total)))
report["seconds"] = time.time() - started
report["mart_rows"] = sorted(set(report["mart_rows"]))
report["segment_rows"] = sorted(set(report["segment_rows"]))
print(json.dumps(report))
