"""Writes a day of exchange stream segments in the contract layout (docs/stream_segments.md),
as another tool would: VENUES x SYMBOLS tickers at RATE messages per second each, one
segment per venue and minute, each with its .meta.json.

Usage: make_segments.py ROOT DAY HOURS SYMBOLS RATE
"""
import datetime
import hashlib
import json
import math
import os
import sys

root, day, hours, symbols, rate = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
start = int(datetime.datetime.fromisoformat(day + "T00:00:00+00:00").timestamp() * 1000)
bases = [f"C{i:02d}" for i in range(symbols)]


def message(venue, base, t, mid):
    bid, ask = mid * 0.9999, mid * 1.0001
    if venue == "binance":
        return json.dumps({"stream": f"{base.lower()}usdt@ticker", "data": {"e": "24hrTicker", "E": t - 15, "s": f"{base}USDT", "c": f"{mid:.8f}",
                           "b": f"{bid:.8f}", "a": f"{ask:.8f}", "v": "1000.00000000"}}, separators=(",", ":"))
    if venue == "kraken":
        return json.dumps({"channel": "ticker", "type": "update", "data": [{"symbol": f"{base}/USDT", "bid": round(bid, 6), "ask": round(ask, 6),
                           "last": round(mid, 6), "volume": 1000.0}]}, separators=(",", ":"))
    stamp = datetime.datetime.fromtimestamp((t - 25) / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
    return json.dumps({"type": "ticker", "sequence": t, "product_id": f"{base}-USDT", "price": f"{mid:.2f}", "best_bid": f"{bid:.2f}",
                       "best_ask": f"{ask:.2f}", "volume_24h": "1000.0", "time": stamp}, separators=(",", ":"))


for venue_index, venue in enumerate(["binance", "kraken", "coinbase"]):
    folder = os.path.join(root, "raw", day, venue, "ws_ticker")
    os.makedirs(folder, exist_ok=True)
    step = 1000.0 / rate
    for minute in range(int(hours * 60)):
        lines = []
        t0 = start + minute * 60_000
        count = int(60_000 / step)
        for k in range(count):
            for s, base in enumerate(bases):
                t = t0 + int(k * step) + s % 7
                mid = 100 * (1 + s) * (1 + 0.001 * math.sin(t / 3.6e6 + venue_index))
                lines.append(json.dumps({"received_ms": t, "monotonic_ns": t * 1_000_000, "connection": 1,
                                         "message": message(venue, base, t, mid)}, separators=(",", ":")))
        body = ("\n".join(lines) + "\n").encode()
        name = f"bench-{minute // 60:02d}{minute % 60:02d}00"
        with open(os.path.join(folder, name + ".jsonl"), "wb") as handle:
            handle.write(body)
        meta = {"url": "generated", "status": 101, "fetched_at": datetime.datetime.fromtimestamp(t0 / 1000, datetime.timezone.utc).isoformat().replace("+00:00", "Z"),
                "sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body),
                "params": {"format": "stream-segment-1", "worker": "bench", "lines": str(len(lines)), "messages": str(len(lines)), "events": "0"}}
        with open(os.path.join(folder, name + ".meta.json"), "w") as handle:
            json.dump(meta, handle)
