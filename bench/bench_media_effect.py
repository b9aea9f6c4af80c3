"""Validate media_effect on 100 seeded synthetic sets with known truth, and time it.

Figures and goals (the script exits 1 when a goal is missed):
  1. sign right: among channels whose true ROI is positive, the share whose estimated ROI is > 0
     (a channel the model drops, roi nan, counts as wrong). Goal >= 90%.
  2. no-effect channel: the share of sets whose no-effect channel's 90% interval contains zero
     (roi_low <= 0 <= roi_high). Goal >= 85%.
  3. coverage: among all channels (the no-effect one included), the share whose 90% interval
     contains the true ROI. Goal 80%-97% (a 90% interval should cover about 90% of the time;
     much less is overconfident, much more is uselessly wide).
Timings: median and slowest fit over the 100 sets; one fit at 150 weeks x 5 channels (goal about
1 s, checked as < 1.5 s so a busy machine does not fail it); one fit on 250 weeks x 20 regions x
20 channels = 5,000 rows (goal < 60 s).

Seeds 0..99 are the validation sets; the model was developed on other seeds (1000 and up), so
these figures are not tuned to the sets they are measured on. BLAS runs on one thread.

Run:  .venv/bin/python bench/bench_media_effect.py [--sets 100] [--json PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # time on one core, as the goal says
    os.environ.setdefault(_var, "1")

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evaluation.synthetic_media import make_set
from assistant.team_data.media_effect import fit_media

SETS = 100
SIGN_GOAL = 0.90
ZERO_GOAL = 0.85
COVERAGE_GOAL = (0.80, 0.97)
SMALL_GOAL_S = 1.5  # "about 1 s" for one fit at 150 weeks x 5 channels
LARGE_GOAL_S = 60.0


def validate(sets: int) -> dict:
    """Fit every set and score the estimates against the truth."""
    signs, zeros, covered, seconds, rows = [], [], [], [], []
    for seed in range(sets):
        frame, truth = make_set(seed)
        region = "region" if "region" in frame.columns else None
        start = time.perf_counter()
        fit = fit_media(frame, list(truth.roi), truth.outcome, list(truth.controls), region=region, seed=seed)
        seconds.append(time.perf_counter() - start)
        for ch in fit.channels:
            true = truth.roi[ch.channel]
            inside = bool(ch.roi_low <= true <= ch.roi_high)
            covered.append(inside)
            if ch.channel == truth.no_effect:
                zeros.append(bool(ch.roi_low <= 0 <= ch.roi_high))
            else:
                signs.append(bool(ch.roi > 0))
            rows.append({"seed": seed, "channel": ch.channel, "true": round(true, 3), "roi": round(ch.roi, 3),
                         "low": round(ch.roi_low, 3), "high": round(ch.roi_high, 3), "covered": inside,
                         "no_effect": ch.channel == truth.no_effect, "carryover": truth.carryover,
                         "regions": truth.regions, "periods": truth.periods, "decay": fit.decay,
                         "saturation": fit.saturation, "collinear": list(ch.collinear_with)})
    return {"sign_right": float(np.mean(signs)), "no_effect_contains_zero": float(np.mean(zeros)),
            "coverage": float(np.mean(covered)), "effect_channels": len(signs), "sets": len(zeros),
            "channels": len(covered), "fit_seconds_median": float(np.median(seconds)),
            "fit_seconds_max": float(np.max(seconds)), "rows": rows}


def time_small() -> float:
    """Seconds for one fit on 150 weeks x 5 channels, national (best of three)."""
    frame, truth = make_set(4321, channels=5, periods=150, regions=0)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        fit_media(frame, list(truth.roi), truth.outcome, list(truth.controls))
        times.append(time.perf_counter() - start)
    return min(times)


def time_large() -> float:
    """Seconds for one fit on 250 weeks x 20 regions x 20 channels (5,000 rows)."""
    frame, truth = make_set(12345, channels=6, periods=250, regions=20)
    rng = np.random.default_rng(0)
    base = [c for c in truth.roi]
    for i in range(20 - len(base)):
        frame[f"extra_{i}"] = frame[base[i % len(base)]].to_numpy() * rng.lognormal(0, 0.5, len(frame))
    channels = base + [f"extra_{i}" for i in range(20 - len(base))]
    start = time.perf_counter()
    fit_media(frame, channels, truth.outcome, list(truth.controls), region="region")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=SETS)
    parser.add_argument("--json", type=Path, help="write the figures (and per-channel rows) here")
    parser.add_argument("--no-large", action="store_true", help="skip the 5,000-row timing")
    args = parser.parse_args()
    result = validate(args.sets)
    result["small_fit_seconds"] = time_small()
    result["large_fit_seconds"] = None if args.no_large else time_large()
    checks = {
        "sign_right": result["sign_right"] >= SIGN_GOAL,
        "no_effect_contains_zero": result["no_effect_contains_zero"] >= ZERO_GOAL,
        "coverage": COVERAGE_GOAL[0] <= result["coverage"] <= COVERAGE_GOAL[1],
        "small_fit_seconds": result["small_fit_seconds"] < SMALL_GOAL_S,
        "large_fit_seconds": result["large_fit_seconds"] is None or result["large_fit_seconds"] < LARGE_GOAL_S,
    }
    print(f"sets: {result['sets']}, channels: {result['channels']} ({result['effect_channels']} with an effect)")
    print(f"1. sign right (effect channels with roi > 0): {result['sign_right']:.1%}   goal >= {SIGN_GOAL:.0%}")
    print(f"2. no-effect channel's 90% interval contains 0: {result['no_effect_contains_zero']:.1%}   "
          f"goal >= {ZERO_GOAL:.0%}")
    print(f"3. 90% intervals cover the true ROI: {result['coverage']:.1%}   "
          f"goal {COVERAGE_GOAL[0]:.0%}-{COVERAGE_GOAL[1]:.0%}")
    print(f"fit time per set: median {result['fit_seconds_median']:.2f} s, slowest {result['fit_seconds_max']:.2f} s")
    print(f"one fit, 150 weeks x 5 channels: {result['small_fit_seconds']:.2f} s   goal about 1 s (< {SMALL_GOAL_S} s)")
    if result["large_fit_seconds"] is not None:
        print(f"one fit, 5,000 rows x 20 channels: {result['large_fit_seconds']:.1f} s   goal < {LARGE_GOAL_S:.0f} s")
    missed = [name for name, ok in checks.items() if not ok]
    print("all goals met" if not missed else "MISSED: " + ", ".join(missed))
    result["goals_met"] = not missed
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
