"""Write split.json: a seeded split of questions.jsonl into a development and a held-out half.

Run once (`python corpus/eval/make_split.py`); the file it writes is committed and never edited
afterwards. A follow-up always goes with the question it follows, and the split is stratified by
question type: conversations are grouped by the type of their first question (and whether they
carry a follow-up), shuffled with a fixed seed inside each group, and dealt alternately, so both
halves get the same mix of claim, information, out-of-scope and follow-up questions.
"""
from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261127


def split(questions: list[dict], seed: int = SEED) -> dict[str, list[str]]:
    root = {q["id"]: q["id"] for q in questions}
    for q in questions:
        if q.get("follows"):
            root[q["id"]] = root[q["follows"]]
    units: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        units[root[q["id"]]].append(q["id"])
    by_type = {q["id"]: q["type"] for q in questions}
    strata: dict[str, list[str]] = defaultdict(list)
    for head, members in units.items():
        strata[by_type[head] + ("+follow_up" if len(members) > 1 else "")].append(head)
    rng = random.Random(seed)
    halves: dict[str, list[str]] = {"development": [], "held_out": []}
    turn = 0
    for name in sorted(strata):
        heads = sorted(strata[name])
        rng.shuffle(heads)
        for head in heads:
            halves["development" if turn % 2 == 0 else "held_out"].extend(units[head])
            turn += 1
    return {k: sorted(v) for k, v in halves.items()}


def main() -> None:
    questions = [json.loads(line) for line in (HERE / "questions.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    halves = split(questions)
    out = {"seed": SEED, "source": "questions.jsonl",
           "how": "stratified by question type; a follow-up stays with the question it follows; see make_split.py",
           **halves}
    (HERE / "split.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print({k: len(v) for k, v in halves.items()})


if __name__ == "__main__":
    main()
