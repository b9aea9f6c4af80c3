"""Make the blind labelling file: every (claim, passage) pair that may bear on a claim, shuffled, unlabelled.

    python corpus/labelling/make_pairs.py

Pairs: every entry of corpus/claims.json, the ten passages retrieval ranks first for each claim's statement
(those not already an entry), and the same for the claims in ``proposed_claims.json`` (claims the essays argue
that the catalogue lacked). Annotators get ``pairs.jsonl``: pair id, claim, the source's title, quote and the quote's
paragraph, and nothing else (no stance, kind or statistic), curated and retrieved pairs shuffled together with a fixed
seed. Where each pair came from is kept apart in ``pairs-origin.jsonl``, for merging after adjudication.
"""
from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from assistant.settings import Settings, offline_environment  # noqa: E402

SEED = 20261127
RETRIEVED_PER_CLAIM = 10


def paragraph(text: str, start: int, end: int) -> str:
    a = text.rfind("\n\n", 0, start)
    b = text.find("\n\n", end)
    return text[0 if a < 0 else a + 2: len(text) if b < 0 else b].strip()


def main() -> None:
    offline_environment()
    from assistant.facade import Assistant

    catalogue = json.loads((ROOT / "corpus" / "claims.json").read_text(encoding="utf-8"))
    proposed = json.loads((HERE / "proposed_claims.json").read_text(encoding="utf-8"))
    claims = [(c["id"], c["claim"], c.get("evidence", [])) for c in catalogue["claims"]]
    curated = {c["id"] for c in catalogue["claims"]}
    claims += [(c["id"], c["claim"], c["evidence"]) for c in proposed["claims"]]
    with tempfile.TemporaryDirectory() as home:
        assistant = Assistant(Settings(home=Path(home), corpus_dir=ROOT / "corpus"))
        sources = {sid: s.text for sid, s in assistant.answerer.knowledge.sources.items()}
        titles = {sid: s.title for sid, s in assistant.answerer.knowledge.sources.items()}
        pairs, origins = [], []
        for claim_id, statement, entries in claims:
            taken: list[tuple[str, int, int]] = []
            for n, e in enumerate(entries):
                text = sources[e["source_id"]]
                at = text.find(e["quote"])
                assert at >= 0, (claim_id, e["quote"])
                taken.append((e["source_id"], at, at + len(e["quote"])))
                pairs.append({"claim_id": claim_id, "claim": statement, "source_id": e["source_id"],
                              "source": titles[e["source_id"]],
                              "quote": e["quote"], "paragraph": paragraph(text, at, at + len(e["quote"]))})
                origins.append({"origin": "curated" if claim_id in curated else "proposed", "entry": n})
            for hit in assistant.search(statement, k=RETRIEVED_PER_CLAIM * 2)[:RETRIEVED_PER_CLAIM * 2]:
                p = hit.passage
                if any(sid == p.source_id and a < p.end and p.start < b for sid, a, b in taken):
                    continue
                if sum(o["origin"] == "retrieved" and q["claim_id"] == claim_id
                       for o, q in zip(origins, pairs)) >= RETRIEVED_PER_CLAIM:
                    break
                taken.append((p.source_id, p.start, p.end))
                pairs.append({"claim_id": claim_id, "claim": statement, "source_id": p.source_id,
                              "source": titles[p.source_id], "quote": p.text,
                              "paragraph": paragraph(sources[p.source_id], p.start, p.end)})
                origins.append({"origin": "retrieved", "start": p.start, "end": p.end})
    order = list(range(len(pairs)))
    random.Random(SEED).shuffle(order)
    with (HERE / "pairs.jsonl").open("w", encoding="utf-8") as blind, \
            (HERE / "pairs-origin.jsonl").open("w", encoding="utf-8") as origin:
        for number, i in enumerate(order, 1):
            pair_id = f"p{number:03d}"
            blind.write(json.dumps({"pair": pair_id, "claim": pairs[i]["claim"], "source": pairs[i]["source"],
                                    "quote": pairs[i]["quote"], "paragraph": pairs[i]["paragraph"]},
                                   ensure_ascii=False) + "\n")
            origin.write(json.dumps({"pair": pair_id, "claim_id": pairs[i]["claim_id"],
                                     "source_id": pairs[i]["source_id"], "quote": pairs[i]["quote"],
                                     **origins[i]}, ensure_ascii=False) + "\n")
    counts = {k: sum(o["origin"] == k for o in origins) for k in ("curated", "proposed", "retrieved")}
    print(f"{len(pairs)} pairs: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


if __name__ == "__main__":
    main()
