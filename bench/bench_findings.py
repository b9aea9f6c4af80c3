"""Benchmark: read_table + analyse on a 100,000-row export, against plain pandas.read_csv.

The export is long layout: 4,000 consecutive days x 25 channels = 100,000 rows,
columns date, channel, spend ("$1,234.56" with a currency symbol and thousands
separator, as real exports write it), impressions, clicks, engagements (social
channels only), orders, revenue. Each measurement runs in a fresh child process
so ru_maxrss (the process's peak resident memory) is comparable: we report its
growth over the child's baseline after imports. Wall time is the best of three
runs without tracing; tracemalloc's peak is measured in a separate fourth run,
since tracing slows allocation-heavy code.

Run:  .venv/bin/python bench/bench_findings.py
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DAYS, CHANNELS = 4000, 25


def make_export(path: Path, seed: int = 1) -> int:
    """Write the synthetic export; returns its row count."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2013-01-01", periods=DAYS, freq="D").strftime("%Y-%m-%d")
    names = [f"social_{i}" if i < 5 else f"channel_{i}" for i in range(CHANNELS)]
    n = DAYS * CHANNELS
    spend = rng.uniform(50, 5000, n)
    engagements = np.where(np.tile(np.arange(CHANNELS) < 5, DAYS), rng.poisson(800, n).astype(str), "")
    frame = pd.DataFrame({
        "date": np.repeat(dates, CHANNELS), "channel": np.tile(names, DAYS),
        "spend": ["${:,.2f}".format(x) for x in spend], "impressions": rng.poisson(20000, n),
        "clicks": rng.poisson(600, n), "engagements": engagements, "orders": rng.poisson(30, n),
        "revenue": rng.uniform(100, 9000, n).round(2),
    })
    frame.to_csv(path, index=False)
    return n


def _pipeline(path: str) -> int:
    sys.path.insert(0, str(ROOT))
    from assistant.team_data.findings import analyse
    from assistant.team_data.table import read_table

    return len(analyse(read_table(path), "bench"))


def _baseline(path: str) -> int:
    return len(pd.read_csv(path))


def child(kind: str, path: str) -> None:
    """Measure one kind in this process and print JSON (called via a subprocess)."""
    work = _pipeline if kind == "pipeline" else _baseline
    if kind == "pipeline":  # import our modules before the memory baseline, as pandas already is
        sys.path.insert(0, str(ROOT))
        import assistant.team_data.findings  # noqa: F401
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = work(path)
        times.append(time.perf_counter() - start)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    work(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(json.dumps({"seconds": min(times), "tracemalloc_peak": peak, "rss_before_kb": rss_before,
                      "rss_delta_kb": rss_after - rss_before, "result": result}))


def measure(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        rows = make_export(path)
        size_mb = path.stat().st_size / 1e6
        pipe, base = measure("pipeline", path), measure("baseline", path)
    mb = 1024 * 1024
    print(f"Export: {rows:,} rows ({DAYS:,} days x {CHANNELS} channels), {size_mb:.1f} MB CSV; "
          f"pipeline produced {pipe['result']} findings.\n")
    print("| measure | read_table + analyse | pandas.read_csv | ratio |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| wall time (best of 3) | {pipe['seconds']:.2f} s | {base['seconds']:.2f} s | "
          f"{pipe['seconds'] / base['seconds']:.1f}x |")
    print(f"| tracemalloc peak | {pipe['tracemalloc_peak'] / mb:.0f} MiB | {base['tracemalloc_peak'] / mb:.0f} MiB | "
          f"{pipe['tracemalloc_peak'] / base['tracemalloc_peak']:.1f}x |")
    ratio = f"{pipe['rss_delta_kb'] / base['rss_delta_kb']:.1f}x" if base["rss_delta_kb"] else "n/a"
    print(f"| ru_maxrss growth over the post-import peak | {pipe['rss_delta_kb'] / 1024:.0f} MiB | "
          f"{base['rss_delta_kb'] / 1024:.0f} MiB | {ratio} |")
    print(f"| ru_maxrss after imports (for scale) | {pipe['rss_before_kb'] / 1024:.0f} MiB | "
          f"{base['rss_before_kb'] / 1024:.0f} MiB | |")
    print("\ntracemalloc sees Python and NumPy allocations, not Arrow's: pandas keeps text columns in Arrow,"
          " so the read_csv peak is understated. A growth of 0 means the run stayed under the import peak.")

if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
