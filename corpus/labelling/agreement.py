"""Agreement between the two blind passes: Cohen's kappa overall and per label, before adjudication.

    python corpus/labelling/agreement.py          # prints the table README quotes
    python corpus/labelling/agreement.py --json

Per label, kappa is the two-class kappa of "this label or not" (so a label both passes rarely use can still
be judged); overall, the five-class kappa. ``statistic`` is scored on its own.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = ("supports", "contradicts", "qualifies", "neutral", "unrelated")


def read(path: Path) -> dict[str, dict]:
    return {row["pair"]: row for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if row}


def kappa(a: list, b: list) -> float:
    """Cohen's kappa: (observed agreement - chance agreement) / (1 - chance agreement)."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    chance = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def agreement(first: dict[str, dict], second: dict[str, dict]) -> dict:
    pairs = sorted(first)
    assert set(first) == set(second), "both passes must label the same pairs"
    a = [first[p]["stance"] for p in pairs]
    b = [second[p]["stance"] for p in pairs]
    return {
        "pairs": len(pairs),
        "agreed": sum(x == y for x, y in zip(a, b)),
        "kappa": round(kappa(a, b), 3),
        "per_label": {label: {"kappa": round(kappa([x == label for x in a], [y == label for y in b]), 3),
                              "first": a.count(label), "second": b.count(label),
                              "both": sum(x == y == label for x, y in zip(a, b))} for label in LABELS},
        "statistic_kappa": round(kappa([bool(first[p]["statistic"]) for p in pairs],
                                       [bool(second[p]["statistic"]) for p in pairs]), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = agreement(read(HERE / "pass-a.jsonl"), read(HERE / "pass-b.jsonl"))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['pairs']} pairs, {result['agreed']} labelled alike; Cohen's kappa {result['kappa']:.2f}")
    print("| label | kappa | pass A | pass B | both |\n|---|---:|---:|---:|---:|")
    for label, r in result["per_label"].items():
        print(f"| {label} | {r['kappa']:.2f} | {r['first']} | {r['second']} | {r['both']} |")
    print(f"statistic flag: kappa {result['statistic_kappa']:.2f}")


if __name__ == "__main__":
    main()
