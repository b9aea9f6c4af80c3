"""Benchmark: a 100,000-row, 20-channel weekly-by-region export end to end, against plain pandas.read_csv.

The export is long layout: 100 weeks x 50 regions x 20 channels = 100,000 rows, columns week, region,
channel, spend ("$1,234.56" with a currency symbol and thousands separator, as real exports write it),
impressions, clicks, engagements (social channels only), orders (as the platform credits them), revenue,
and two controls per week and region (competitor_sales_control, holiday). Orders come from every
channel's spend with carry-over and diminishing returns, so the media model has something to find.
"End to end" is read_table (read, recognise, tidy) and analyse with every finding, the media model
(``media_effect``, 5,000 week-regions x 20 channels, bootstrap included) among them.

Each measurement runs in a fresh child process so ru_maxrss (the process's peak resident memory) is
comparable: we report its growth over the child's baseline after imports. Wall time is the best of two
runs without tracing (three for read_csv); tracemalloc's peak is measured in a separate run, since tracing
slows allocation-heavy code. The goal: end to end under 120 s here.

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
WEEKS, REGIONS, CHANNELS = 100, 50, 20
GOAL_SECONDS = 120


def _adstock(x: np.ndarray, decay: float) -> np.ndarray:
    out, carry = np.zeros_like(x), np.zeros(x.shape[1])
    for t in range(len(x)):
        carry = x[t] + decay * carry
        out[t] = carry
    return out * (1 - decay)


def make_export(path: Path, seed: int = 1) -> int:
    """Write the synthetic export; returns its row count."""
    rng = np.random.default_rng(seed)
    weeks = pd.date_range("2022-01-03", periods=WEEKS, freq="7D").strftime("%Y-%m-%d")
    names = [f"social_{i}" if i < 4 else f"channel_{i}" for i in range(CHANNELS)]
    size = rng.uniform(0.5, 2.0, REGIONS)
    spend = rng.gamma(3, 400, (WEEKS, REGIONS, CHANNELS)) * size[None, :, None]
    beta = np.where(np.arange(CHANNELS) % 5 == 4, 0.0, rng.uniform(50, 300, CHANNELS))  # every fifth does nothing
    media = np.zeros((WEEKS, REGIONS, CHANNELS))
    for r in range(REGIONS):
        a = _adstock(spend[:, r, :], 0.4)
        media[:, r, :] = beta * a / (a + spend[:, r, :].mean(axis=0)) * size[r]
    competitor = rng.normal(0, 1, (WEEKS, REGIONS))
    holiday = (rng.uniform(size=(WEEKS, 1)) < 0.08) * np.ones((1, REGIONS))
    total = 400 * size + media.sum(axis=2) - 40 * competitor + 150 * holiday + rng.normal(0, 40, (WEEKS, REGIONS))
    share = rng.dirichlet(np.ones(CHANNELS), (WEEKS, REGIONS))
    orders = np.maximum(0, np.round(total[:, :, None] * share)).astype(int)
    n = WEEKS * REGIONS * CHANNELS
    social = np.tile(np.arange(CHANNELS) < 4, WEEKS * REGIONS)
    frame = pd.DataFrame({
        "week": np.repeat(weeks, REGIONS * CHANNELS), "region": np.tile(np.repeat([f"R{i:02d}" for i in range(REGIONS)],
                                                                                    CHANNELS), WEEKS),
        "channel": np.tile(names, WEEKS * REGIONS), "spend": ["${:,.2f}".format(x) for x in spend.ravel()],
        "impressions": rng.poisson(20000, n), "clicks": rng.poisson(600, n),
        "engagements": np.where(social, rng.poisson(800, n).astype(str), ""), "orders": orders.ravel(),
        "revenue": (orders.ravel() * rng.uniform(40, 60, n)).round(2),
        "competitor_sales_control": np.repeat(competitor.ravel().round(4), CHANNELS),
        "holiday": np.repeat(holiday.ravel().astype(int), CHANNELS),
    })
    frame.to_csv(path, index=False)
    return n


def _pipeline(path: str) -> int:
    sys.path.insert(0, str(ROOT))
    from assistant.team_data.findings import analyse
    from assistant.team_data.table import read_table

    found = analyse(read_table(path), "bench")
    return sum(f.kind == "media_effect" for f in found) * 1000 + len(found)


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
    for _ in range(2 if kind == "pipeline" else 3):
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
    effects, findings = divmod(pipe["result"], 1000)
    print(f"Export: {rows:,} rows ({WEEKS} weeks x {REGIONS} regions x {CHANNELS} channels), {size_mb:.1f} MB CSV; "
          f"end to end produced {findings} findings, {effects} of them media_effect (one per channel).\n")
    print("| measure | end to end (read_table + analyse) | pandas.read_csv | ratio |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| wall time (best of 2; read_csv best of 3) | {pipe['seconds']:.2f} s | {base['seconds']:.2f} s | "
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
    print(f"\nGoal: end to end under {GOAL_SECONDS} s: {'met' if pipe['seconds'] < GOAL_SECONDS else 'MISSED'}.")
    if pipe["seconds"] >= GOAL_SECONDS:
        sys.exit(1)

if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
