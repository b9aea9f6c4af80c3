"""Write corpus/claims.json from the two blind passes and the adjudication log.

    python corpus/labelling/apply.py

Every pair's final stance is the label both passes gave, or the adjudicated one where they disagreed.
A curated entry keeps its place with the final stance (dropped when final is ``unrelated``); a retrieved
or proposed pair that bears on its claim becomes a new entry; ``statistic`` is the passes' flag (they agreed
on every pair), never set on a reader's comment; ``agreed`` says whether both passes gave the same stance
(the quiz asks only about those). Reworded claims keep their ids. Prints what changed, for README.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
COMMENT_SOURCES = {"there-is-no-social-customer-comment"}


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    catalogue = json.loads((CORPUS / "claims.json").read_text(encoding="utf-8"))
    proposed = json.loads((HERE / "proposed_claims.json").read_text(encoding="utf-8"))
    review = json.loads((HERE / "claim_review.json").read_text(encoding="utf-8"))
    origin = {row["pair"]: row for row in lines(HERE / "pairs-origin.jsonl")}
    first = {row["pair"]: row for row in lines(HERE / "pass-a.jsonl")}
    second = {row["pair"]: row for row in lines(HERE / "pass-b.jsonl")}
    adjudicated = {row["pair"]: row for row in lines(HERE / "adjudication.jsonl")}
    final: dict[str, dict] = {}
    for pair, row in origin.items():
        a, b = first[pair], second[pair]
        agreed = a["stance"] == b["stance"]
        stance = a["stance"] if agreed else adjudicated[pair]["final"]
        note = (a["reason"] if agreed else adjudicated[pair]["reason"]).strip()
        final[pair] = {**row, "stance": stance, "agreed": agreed, "note": note,
                       "statistic": bool(a["statistic"] and b["statistic"]) and row["source_id"] not in COMMENT_SOURCES}
    claims = {c["id"]: c for c in catalogue["claims"]}
    for c in proposed["claims"]:
        claims[c["id"]] = {"id": c["id"], "claim": c["claim"], "topic": c["topic"], "paraphrases": [],
                           "keywords": [], "if_supported": c["if_supported"], "if_unsupported": c["if_unsupported"],
                           "what_would_change": c["what_would_change"], "evidence": c["evidence"]}
    changed: Counter = Counter()
    added: Counter = Counter()
    by_claim: dict[str, list[dict]] = {cid: [] for cid in claims}
    for pair, row in sorted(final.items(), key=lambda t: (t[1]["origin"] != "curated", t[1].get("entry", 0), t[0])):
        claim = claims[row["claim_id"]]
        if row["origin"] in ("curated", "proposed"):
            old = claim["evidence"][row["entry"]]
            before = old.get("stance", "new") if row["origin"] == "curated" else "proposed"
            changed[(before, row["stance"])] += 1
            if row["stance"] == "unrelated":
                continue
            entry = {"source_id": old["source_id"], "stance": row["stance"], "quote": old["quote"],
                     "note": old.get("note") or row["note"]}
        else:
            added[row["stance"]] += 1
            if row["stance"] == "unrelated":
                continue
            entry = {"source_id": row["source_id"], "stance": row["stance"], "quote": row["quote"], "note": row["note"]}
        if row["statistic"]:
            entry["statistic"] = True
        entry["agreed"] = row["agreed"]
        if row["origin"] != "curated" or entry["stance"] != claim["evidence"][row["entry"]].get("stance"):
            entry["note"] = row["note"]
        by_claim[row["claim_id"]].append((row.get("entry", 10_000), pair, entry))
    for cid, claim in claims.items():
        claim["evidence"] = [entry for _, _, entry in sorted(by_claim[cid], key=lambda t: (t[0], t[1]))]
    reworded = []
    for item in review["rewordings"]:
        claim = claims[item["id"]]
        reworded.append((item["id"], claim["claim"], item["claim"]))
        claim["claim"] = item["claim"]
    for item in review.get("advice", []):
        claims[item["id"]].update({k: item[k] for k in ("if_supported", "if_unsupported", "what_would_change")
                                   if k in item})
    catalogue["claims"] = list(claims.values())
    catalogue["version"] = catalogue.get("version", 1) + 1
    (CORPUS / "claims.json").write_text(json.dumps(catalogue, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("curated and proposed entries, label before -> after:")
    for (before, after), n in sorted(changed.items()):
        print(f"  {before:>11} -> {after:<11} {n}")
    print("retrieved pairs, final label:", dict(added))
    print(f"claims: {len(catalogue['claims'])} ({len(proposed['claims'])} added, {len(reworded)} reworded)")
    for cid, old, new in reworded:
        print(f"  {cid}: '{old}' -> '{new}'")
    entries = [e for c in catalogue["claims"] for e in c["evidence"]]
    print(f"entries: {len(entries)}; by stance {dict(Counter(e['stance'] for e in entries))}; "
          f"agreed {sum(e['agreed'] for e in entries)}; statistics {sum(bool(e.get('statistic')) for e in entries)}")


if __name__ == "__main__":
    main()
