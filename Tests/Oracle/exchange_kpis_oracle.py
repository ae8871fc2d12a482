"""Independent computation of gold.exchange_kpis from the raw stream segments alone.

Usage: exchange_kpis_oracle.py ROOT
Reads every closed segment (a .jsonl with its .meta.json) under ROOT/raw, parses the venues'
messages with the json module, computes the KPIs as docs/exchanges.md defines them with numpy,
and compares them with ROOT/gold.sqlite. Prints the differences and "N problems".
"""
import datetime
import glob
import gzip
import json
import os
import sqlite3
import sys
from collections import defaultdict

import numpy as np

QUOTES = ["USDT", "USDC", "BUSD", "USD", "EUR", "GBP", "BTC", "ETH"]
ALIASES = {"XBT": "BTC", "XDG": "DOGE"}


def unify(symbol):
    for sep in "/-":
        if sep in symbol:
            base, quote = symbol.upper().split(sep)
            return f"{ALIASES.get(base, base)}/{ALIASES.get(quote, quote)}"
    for quote in QUOTES:
        if symbol.upper().endswith(quote) and len(symbol) > len(quote):
            base = symbol.upper()[: -len(quote)]
            return f"{ALIASES.get(base, base)}/{quote}"
    return None


def iso_ms(text):
    when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    whole = when.replace(microsecond=0)
    return int(whole.timestamp()) * 1000 + when.microsecond // 1000


def ticks(venue, text):
    """(symbol, exchange_ms) for each ticker in a message; [] for anything else."""
    try:
        message = json.loads(text)
    except ValueError:
        return []
    if not isinstance(message, dict):
        return []
    if venue == "binance":
        data = message.get("data")
        if "stream" not in message or not isinstance(data, dict) or data.get("e") == "serverShutdown" or "s" not in data:
            return []
        return [(unify(data["s"]), data.get("E"))]
    if venue == "kraken":
        if message.get("channel") != "ticker":
            return []
        return [(unify(item["symbol"]), None) for item in message.get("data", [])]
    if venue == "coinbase":
        if message.get("type") != "ticker":
            return []
        return [(unify(message["product_id"]), iso_ms(message["time"]) if "time" in message else None)]
    return []


def server_time(venue, body):
    """The venue's clock in a server-time answer, ms; None when it holds none."""
    try:
        answer = json.loads(body or "")
        if venue == "binance":
            return int(answer["serverTime"])
        if venue == "kraken":
            return int(answer["result"]["unixtime"]) * 1000
        if venue == "coinbase":
            return round(float(answer["epoch"]) * 1000)
    except (ValueError, KeyError, TypeError):
        return None
    return None


def day(ms):
    return datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc).strftime("%Y-%m-%d")


def main(root):
    received = defaultdict(list)      # (exchange, symbol, day) -> [received_ms]
    latency = defaultdict(list)
    events = defaultdict(list)        # (exchange, worker) -> [(received_ms, path, line, event dict)]
    for path in sorted(glob.glob(os.path.join(root, "raw", "*", "*", "ws_ticker", "*.jsonl*"))):
        name = os.path.basename(path)
        key = name[: -len(".jsonl.gz")] if name.endswith(".gz") else name[: -len(".jsonl")]
        if not os.path.exists(os.path.join(os.path.dirname(path), key + ".meta.json")):
            continue
        venue = path.split(os.sep)[-3]
        worker = key.split("-")[0]
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    line = json.loads(raw)
                except ValueError:
                    continue
                if "event" in line:
                    events[(venue, worker)].append((line["received_ms"], path, number, line))
                    continue
                for symbol, stamp in ticks(venue, line.get("message", "")):
                    if symbol is None:
                        continue
                    k = (venue, symbol, day(line["received_ms"]))
                    received[k].append(line["received_ms"])
                    if stamp is not None:
                        latency[k].append(line["received_ms"] - stamp)

    outages = defaultdict(lambda: [0, 0, 0.0])   # (exchange, day) -> disconnects, reconnects, downtime
    trips = defaultdict(list)                     # (exchange, day) -> clock-probe round trips, ms
    for (venue, worker), items in events.items():
        items.sort(key=lambda item: (item[0], item[1], item[2]))
        open_since = None
        for at, _, _, event in items:
            k = (venue, day(at))
            if event["event"] == "clock_probe":
                if "sent_ms" in event and "rtt_us" in event and server_time(venue, event.get("detail")) is not None:
                    trips[k].append(event["rtt_us"] / 1000)
            elif event["event"] == "closed" and event.get("detail") in ("by_venue", "lost", "stalled"):
                outages[k][0] += 1
                if open_since is None:
                    open_since = (at, k)
            elif event["event"] in ("connected", "stopped"):
                if event["event"] == "connected" and (event.get("connection") or 0) > 1:
                    outages[k][1] += 1
                if open_since is not None:
                    outages[open_since[1]][2] += (at - open_since[0]) / 1000
                    open_since = None

    expected = {}
    for (venue, symbol, d), times in received.items():
        times = sorted(times)
        minutes = len({t // 60000 for t in times})
        gaps = np.diff(np.array(times, dtype=float))
        lat = np.array(latency.get((venue, symbol, d), []), dtype=float)
        o = outages[(venue, d)]
        rtt = np.array(trips.get((venue, d), []), dtype=float)
        expected[(venue, symbol, d)] = {
            "messages": len(times), "covered_minutes": minutes, "share_covered": minutes / 1440,
            "updates_per_minute": len(times) / minutes,
            "interarrival_p50_ms": float(np.percentile(gaps, 50)) if len(gaps) else None,
            "interarrival_p95_ms": float(np.percentile(gaps, 95)) if len(gaps) else None,
            "latency_source": "exchange_ts" if len(lat) else "not sent by the venue",
            "latency_min_ms": float(lat.min()) if len(lat) else None,
            "latency_p50_ms": float(np.percentile(lat, 50)) if len(lat) else None,
            "latency_p95_ms": float(np.percentile(lat, 95)) if len(lat) else None,
            "latency_max_ms": float(lat.max()) if len(lat) else None,
            "clock_probes": len(rtt),
            "round_trip_p50_ms": float(np.percentile(rtt, 50)) if len(rtt) else None,
            "round_trip_p95_ms": float(np.percentile(rtt, 95)) if len(rtt) else None,
            "latency_estimate_ms": float(np.percentile(rtt, 50)) / 2 if len(rtt) else None,
            "disconnects": o[0], "reconnects": o[1], "downtime_seconds": o[2],
        }

    database = sqlite3.connect(os.path.join(root, "gold.sqlite"))
    database.row_factory = sqlite3.Row
    actual = {(r["exchange"], r["symbol"], r["date"]): dict(r) for r in database.execute("SELECT * FROM exchange_kpis")}
    problems = []
    for key in sorted(set(expected) | set(actual)):
        if key not in actual or key not in expected:
            problems.append(f"{key}: {'missing from gold' if key not in actual else 'not in the raw segments'}")
            continue
        for column, want in expected[key].items():
            got = actual[key][column]
            if isinstance(want, float) and got is not None:
                if abs(got - want) > 1e-9 * max(1.0, abs(want)):
                    problems.append(f"{key} {column}: gold {got}, oracle {want}")
            elif got != want:
                problems.append(f"{key} {column}: gold {got!r}, oracle {want!r}")
    for problem in problems[:40]:
        print(problem)
    print(f"{len(expected)} rows compared, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
