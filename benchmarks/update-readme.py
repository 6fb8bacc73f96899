#!/usr/bin/env python3
"""Regenerates the README's benchmark table from the newest file in benchmarks/results/.

usage: python3 benchmarks/update-readme.py
The table goes between the README's <!-- bench:begin --> and <!-- bench:end --> markers; it is never
typed by hand. Files are named <date>-<host>.json by `lossgrid bench`.
"""
import json
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parents[1]
results = sorted((root / "benchmarks" / "results").glob("*.json"))
if not results:
    sys.exit("no results in benchmarks/results; run `./lossgrid bench` first")
latest = results[-1]
data = json.loads(latest.read_text())
machine, setup = data["machine"], data["setup"]


def find(loss, prefix):
    for row in data["results"]:
        if row["loss"] == loss and row["implementation"].startswith(prefix):
            return row["evals_per_second"]
    return None


def ratio(value, reference):
    return "-" if reference is None else f"{value / reference:.2f}x"


devices = "; ".join(f"{d['backend']}: {d.get('device') or 'unavailable (' + d['reason'] + ')'}" for d in machine["devices"])
lines = [
    f"From `{latest.relative_to(root)}`: {machine['cpu']}, {machine['cores']} cores, {machine['jdk']}, {machine['os']}.",
    f"Devices: {devices}.",
    f"Surface {setup['grid']} x {setup['samples']} samples ({setup['data']}); {setup['measure']}, "
    f"{setup['repeat']} repeats (peers: at most 3).",
    "",
    "| implementation | loss | evals/s | vs native | vs numpy | vs PyTorch | vs Java cpu |",
    "| --- | --- | --- | --- | --- | --- | --- |",
]
for row in data["results"]:
    loss, value = row["loss"], row["evals_per_second"]
    lines.append(f"| {row['implementation']} | {loss} | {value:.3g} | {ratio(value, find(loss, 'native'))} | "
                 f"{ratio(value, find(loss, 'numpy'))} | {ratio(value, find(loss, 'PyTorch'))} | "
                 f"{ratio(value, find(loss, 'cpu brute'))} |")
block = "<!-- bench:begin -->\n" + "\n".join(lines) + "\n<!-- bench:end -->"
readme = root / "README.md"
text, count = re.subn(r"<!-- bench:begin -->.*?<!-- bench:end -->", lambda m: block, readme.read_text(), flags=re.S)
if count != 1:
    sys.exit("README.md has no bench markers")
readme.write_text(text)
print("updated README.md from", latest.name)
