#!/usr/bin/env python3
"""Oracle for the drift statistics: reads {"pairs": [[a, b], ...], "grid": [[n, d], ...]}
on stdin and prints scipy's answers as JSON: ks_2samp(a, b, method="asymp") (two-sided) for
each pair, and kstwo.sf(d, n) for each grid point. NaN (no answer, e.g. two samples of one
value each) is written as null."""
import json
import math
import sys

from scipy import stats

def number(value):
    value = float(value)
    return None if math.isnan(value) else value


request = json.load(sys.stdin)
pairs = []
for a, b in request["pairs"]:
    result = stats.ks_2samp(a, b, alternative="two-sided", method="asymp")
    pairs.append([float(result.statistic), number(result.pvalue)])
grid = [number(stats.kstwo.sf(d, n)) for n, d in request["grid"]]
json.dump({"pairs": pairs, "grid": grid}, sys.stdout)
