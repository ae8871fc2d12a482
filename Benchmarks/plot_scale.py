"""Plots `warehouse bench --json` results: throughput and peak memory against price points,
and prints them as a Markdown table (the one in docs/performance.md).

usage: plot_scale.py RESULTS.json OUT.png
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

results = sorted(json.load(open(sys.argv[1])), key=lambda r: r["points"])
points = [r["points"] for r in results]

print("| points | coins | raw JSON | silver.coin_prices | points/s | gold features | whole run | end to end | CLI, from process start | SQLite's own copy | parser alone | database | peak RSS (bench, CLI) | one more day |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in results:
    print(f"| {r['points']:,} | {r['next_day_points'] // 24:,} | {r['raw_bytes'] / 1e9:.2f} GB | {r['silver_seconds']:.1f} s | {r['points_per_second'] / 1e6:.2f} M "
          f"| {r['gold_seconds']:.1f} s | {r['run_seconds']:.1f} s | {r['end_to_end_points_per_second'] / 1e6:.2f} M points/s "
          f"| {r['cli_seconds']:.1f} s, {r['cli_points_per_second'] / 1e6:.2f} M points/s "
          f"| {r['sqlite_copy_seconds']:.1f} s, {r['sqlite_copy_points_per_second'] / 1e6:.2f} M points/s "
          f"| {r['parse_mb_per_second']:.0f} MB/s, {r['parse_points_per_second'] / 1e6:.2f} M points/s "
          f"| {r['database_bytes'] / 1e9:.2f} GB ({r['database_bytes_per_point']:.1f} B/point) | {r['peak_rss_mb']:.0f} MB, {r.get('cli_peak_rss_mb', float('nan')):.0f} MB "
          f"| {r['next_day_seconds']:.2f} s for {r['next_day_points']:,} points |")

figure, throughput = plt.subplots(figsize=(7, 5), dpi=120)
throughput.set_xscale("log")
throughput.plot(points, [r["points_per_second"] / 1e6 for r in results], "o-", color="tab:blue", label="silver.coin_prices (M points/s)")
throughput.plot(points, [r["end_to_end_points_per_second"] / 1e6 for r in results], "s--", color="tab:cyan", label="whole run: silver, gold, checks (M points/s)")
throughput.plot(points, [r["sqlite_copy_points_per_second"] / 1e6 for r in results], "d:", color="tab:gray", label="SQLite's own copy of silver (M points/s)")
throughput.plot(points, [r["parse_points_per_second"] / 1e6 for r in results], "v:", color="tab:green", label="silver's parser alone (M points/s)")
throughput.set_xlabel("price points")
throughput.set_ylabel("million points per second")
throughput.set_ylim(bottom=0)
memory = throughput.twinx()
memory.plot(points, [r["peak_rss_mb"] for r in results], "^-", color="tab:red", label="peak RSS, bench process (MB)")
memory.plot(points, [r.get("cli_peak_rss_mb", float("nan")) for r in results], "^--", color="tab:orange", label="peak RSS, the CLI's rebuild (MB)")
memory.axhline(250, color="tab:red", linestyle=":", linewidth=1)
memory.set_ylabel("peak RSS, MB")
memory.set_ylim(0, 300)
lines = throughput.get_lines() + memory.get_lines()[:2]
throughput.legend(lines, [line.get_label() for line in lines], loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize=8)
throughput.set_title("warehouse bench: throughput and memory against size (2 cores)")
figure.tight_layout()
figure.savefig(sys.argv[2])
