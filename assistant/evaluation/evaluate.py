"""``claimcheck eval``: score a question set end to end.

Measures what a marketer would notice: is the passage that answers cited,
does the verdict point the right way, is every quote verbatim, does every
[E#] resolve, and how long it takes; beside the tutorial baseline and the
latency floor (one query embedding plus one Chroma query), in one run.
"""
from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path
from typing import Any, Iterator

from ..answering.understanding import Conversation
from ..errors import BadInput
from ..knowledge.workspaces import collection
from ..schema import VERDICT_DIRECTION
from .sets import read_jsonl
from .stance import external_stance, team_stance

CITATION = re.compile(r"\[(E\d+)\]")
HALVES = ("development", "held_out")


def norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def load_questions(path: Path) -> list[dict]:
    return read_jsonl(path, ("id", "question"))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def load_split(path: Path | None) -> dict[str, list[str]]:
    """The halves of a question set (corpus/eval/split.json): {"development": [ids], "held_out": [ids]}."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {half: list(data[half]) for half in HALVES}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BadInput(f"{path}: not a split file with \"development\" and \"held_out\" lists ({exc})") from exc


def default_split(questions: Path) -> Path | None:
    """split.json beside the question set, when there is one."""
    candidate = questions.with_name("split.json")
    return candidate if candidate.exists() else None


def default_data_questions(questions: Path) -> Path | None:
    """data_questions.jsonl beside the question set, when there is one."""
    candidate = questions.with_name("data_questions.jsonl")
    return candidate if candidate.exists() else None


def run_data_eval(assistant: Any, path: Path) -> dict:
    """Questions about a team's numbers: is the finding that answers each one cited first, with at most
    two other findings? Each sample export goes into a workspace of its own (eval-data-<file>)."""
    questions = load_questions(path)
    rows = []
    for q in questions:
        data = (path.parent / q["data"]).resolve()
        workspace = "eval-data-" + re.sub(r"[^A-Za-z0-9]+", "-", data.stem).strip("-")[:40]
        if not assistant.data_files(workspace):
            assistant.add_data(data, workspace=workspace)
        expected = {f.sentence for f in assistant.findings(workspace) if f.topic == q["expect_topic"]}
        answer = assistant.ask(q["question"], workspace=workspace)
        cited = [e for e in answer.evidence if e.kind == "company_data"]
        rows.append({"id": q["id"], "first": bool(cited) and cited[0].quote in expected,
                     "others": max(0, len(cited) - 1), "kind": answer.kind})
    first = sum(r["first"] for r in rows)
    return {"questions": len(rows), "answering_finding_first": _rate(first, len(rows)),
            "at_most_two_others": _rate(sum(r["others"] <= 2 for r in rows), len(rows)),
            "misses": [r["id"] for r in rows if not r["first"]], "rows": rows}


TEAM_WORKSPACE = "eval-team"  # where the evaluation's team documents are ingested


def direction(verdict: str | None, has_evidence: bool) -> str:
    """Which way an answer points, as the sets' ``expect`` says it: an answer with nothing shown is insufficient."""
    return VERDICT_DIRECTION[verdict] if has_evidence or verdict else "insufficient"


def heldout_triples(triples: Path) -> Path:
    """The held-out triples beside a triples file (written after the answer path they score)."""
    return triples.with_name(triples.stem + "_heldout.jsonl")


def ask_triples(assistant: Any, path: Path, team_workspace: str = TEAM_WORKSPACE) -> Iterator[tuple[dict, list]]:
    """Each triple with its three answers, each wording asked in a fresh conversation; questions on team
    documents in the team-documents workspace."""
    ensure_team_documents(assistant, path.with_name("team_docs"), team_workspace)
    for t in read_jsonl(path, ("id", "questions", "expect")):
        workspace = team_workspace if t.get("source") == "team_docs" else None
        yield t, [assistant.ask(question, workspace=workspace) for question in t["questions"]]


def ensure_team_documents(assistant: Any, documents: Path, workspace: str = TEAM_WORKSPACE) -> None:
    """The team documents of the evaluation (corpus/eval/team_docs) in their own workspace, once."""
    if not assistant.documents(workspace) or all(d.shared for d in assistant.documents(workspace)):
        assistant.ingest([documents], workspace=workspace)


def run_team_eval(assistant: Any, questions: Path, documents: Path) -> dict:
    """Questions a team asks of its own documents (ingested into workspace eval-team): is the gold phrase
    cited, and does the verdict point the way the documents do?"""
    ensure_team_documents(assistant, documents)
    rows = []
    for q in load_questions(questions):
        answer = assistant.ask(q["question"], workspace=TEAM_WORKSPACE)
        quotes = [norm(e.quote) for e in answer.evidence]
        rows.append({"id": q["id"], "gold_cited": any(norm(g) in quote for g in q.get("gold", []) for quote in quotes),
                     "expect": q.get("expect"), "got": direction(answer.verdict, bool(answer.evidence))})
    return {"questions": len(rows), **_scores([{**r, "chars_shown": 0} for r in rows]),
            "misses": [r["id"] for r in rows if not r["gold_cited"]]}


def run_paraphrase_eval(assistant: Any, path: Path, team_workspace: str = TEAM_WORKSPACE) -> dict:
    """The same question asked three ways (corpus/eval/paraphrase_triples.jsonl): how often all three
    answers point the expected way, and how often all three point the same way (``ask_triples``)."""
    rows = [{"id": t["id"], "expect": t["expect"], "got": [direction(a.verdict, bool(a.evidence)) for a in answers]}
            for t, answers in ask_triples(assistant, path, team_workspace)]
    return {"triples": len(rows),
            "all_three_right": _rate(sum(all(g == r["expect"] for g in r["got"]) for r in rows), len(rows)),
            "all_three_same": _rate(sum(len(set(r["got"])) == 1 for r in rows), len(rows)),
            "questions_right": _rate(sum(g == r["expect"] for r in rows for g in r["got"]), 3 * len(rows)),
            "rows": rows}


def run_eval(assistant: Any, path: Path, baseline: bool = True, workspace: str | None = None,
             split: Path | None = None, data_questions: Path | None = None,
             external_stance_set: Path | None = None, team_stance_set: Path | None = None,
             team_questions: Path | None = None, paraphrases: Path | None = None) -> dict:
    questions = load_questions(path)
    halves = load_split(split)
    knowledge = assistant.answerer.knowledge
    assistant.ask("warm-up: does engagement build loyalty?")  # first-call costs are not latency
    conversations: dict[str, Conversation] = {}
    rows = []
    floor = []
    for q in questions:
        root = q.get("follows") or q["id"]
        conv = conversations.setdefault(root, Conversation())
        floor.append(_floor_once(assistant, q["question"]))  # measured beside each answer: same load, same moment
        started = time.perf_counter()
        answer = assistant.ask(q["question"], workspace=workspace, conversation=conv)
        elapsed = (time.perf_counter() - started) * 1000
        gold = [norm(g) for g in q.get("gold", [])]
        quotes = [norm(e.quote) for e in answer.evidence]
        verbatim = sum(_verbatim(e, knowledge.sources, assistant) for e in answer.evidence)
        ids = {e.id for e in answer.evidence}
        rows.append({
            "id": q["id"], "type": q.get("type"), "expect": q.get("expect"),
            "got": direction(answer.verdict, bool(answer.evidence)),
            "verdict": answer.verdict, "claim_id": answer.claim_id,
            "gold_cited": any(g in quote for g in gold for quote in quotes) if gold else None,
            "quotes": len(answer.evidence), "verbatim": verbatim,
            "dangling": sorted(set(CITATION.findall(answer.answer)) - ids),
            "chars_shown": sum(len(e.quote) for e in answer.evidence), "ms": round(elapsed, 1),
        })
    report: dict[str, Any] = {"questions": len(rows), "rows": rows, **_scores(rows)}
    report["halves"] = {half: {"questions": len(ids), **_scores([r for r in rows if r["id"] in set(ids)])}
                        for half, ids in halves.items()}
    report["quotes_verbatim"] = _rate(sum(r["verbatim"] for r in rows), sum(r["quotes"] for r in rows))
    report["dangling_citations"] = sum(len(r["dangling"]) for r in rows)
    latencies = [r["ms"] for r in rows]
    remembered = knowledge.gatherer.embedder
    report["latency_ms"] = {"p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95),
                            "sentences_asked": getattr(remembered, "asked", None),
                            "sentences_embedded": getattr(remembered, "embedded", None),
                            "floor_p50": percentile(floor, 0.5),
                            "p50_over_floor": round(percentile(latencies, 0.5) / max(percentile(floor, 0.5), 1e-6), 2)}
    report["stance"] = stance_accuracy(assistant)
    if data_questions is not None:
        report["data_questions"] = run_data_eval(assistant, data_questions)
    if external_stance_set is not None:
        report["external_stance"] = external_stance(assistant, external_stance_set)
    if team_stance_set is not None:
        report["team_stance"] = team_stance(assistant, team_stance_set)
    if team_questions is not None:
        report["team_questions"] = run_team_eval(assistant, team_questions, team_questions.with_name("team_docs"))
    if paraphrases is not None:
        report["paraphrases"] = run_paraphrase_eval(assistant, paraphrases)
        later = heldout_triples(paraphrases)
        if later.exists():
            report["paraphrases_heldout"] = run_paraphrase_eval(assistant, later)
    report["catalogue"] = bool(assistant.answerer.knowledge.catalogue.claims)
    if baseline:
        report["baseline"] = _baseline(assistant, questions)
    return report


def _scores(rows: list[dict]) -> dict:
    """Gold cited, direction (overall and by expected direction) and characters shown, for a set of rows."""
    with_gold = [r for r in rows if r["gold_cited"] is not None]
    expected = [r for r in rows if r["expect"]]
    return {
        "gold_cited": _rate(sum(r["gold_cited"] for r in with_gold), len(with_gold)),
        "direction": _rate(sum(r["got"] == r["expect"] for r in expected), len(expected)),
        "direction_by_expect": {
            e: _rate(sum(r["got"] == e for r in expected if r["expect"] == e), sum(r["expect"] == e for r in expected))
            for e in sorted({r["expect"] for r in expected})},
        "chars_shown_mean": round(statistics.mean(r["chars_shown"] for r in with_gold), 1) if with_gold else 0,
        "chars_shown_median": statistics.median(r["chars_shown"] for r in rows) if rows else 0,
    }


def _rate(hit: int, total: int) -> dict:
    return {"hit": hit, "total": total, "rate": round(hit / total, 3) if total else None}


def _verbatim(e: Any, sources: dict, assistant: Any) -> bool:
    if e.kind == "company_data":
        return e.start == 0 and e.end == len(e.quote)
    src = sources.get(e.source_id) or assistant.source_text(e.source_id)
    return bool(src) and e.start is not None and src.text[e.start:e.end] == e.quote


def _floor_once(assistant: Any, question: str) -> float:
    """One query embedding plus one Chroma query: no pipeline can beat this."""
    started = time.perf_counter()
    vector = assistant.embedder.embed_batch([question])[0]
    assistant.store.query(collection(None, "passages"), vector, 8)
    return (time.perf_counter() - started) * 1000


def _baseline(assistant: Any, questions: list[dict]) -> dict:
    from .baseline import TutorialRetriever

    sources = list(assistant.answerer.knowledge.sources.values())
    retriever = TutorialRetriever(sources, assistant.embedder)
    top4 = first600 = n = 0
    shown = []
    for q in questions:
        gold = [norm(g) for g in q.get("gold", [])]
        if not gold:
            continue
        chunks = retriever.invoke(q["question"])
        joined = norm("\n\n".join(chunks))
        n += 1
        top4 += any(g in joined for g in gold)
        first600 += any(g in joined[:600] for g in gold)
        shown.append(sum(len(c) for c in chunks))
    return {"gold_in_top4": _rate(top4, n), "gold_in_first_600_chars": _rate(first600, n),
            "chars_shown_mean": round(statistics.mean(shown), 1) if shown else 0}


def stance_accuracy(assistant: Any) -> dict:
    """Leave-one-source-out: each catalogue quote that takes a side, classified with its own source's labels hidden."""
    knowledge = assistant.answerer.knowledge
    right = decided = total = 0
    for claim in knowledge.catalogue.claims:
        for e in claim.evidence:
            vec = knowledge.gatherer.quote_vectors.get((claim.id, e.quote))
            if vec is None or e.stance == "neutral":
                continue
            stance, _ = knowledge.gatherer.stance.classify(e.quote, vec, claim.id, exclude_source=e.source_id)
            total += 1
            if stance != "neutral":
                decided += 1
                right += stance == e.stance
    return {"labelled": total, "decided": decided, "correct": right,
            "accuracy_when_decided": round(right / decided, 3) if decided else None,
            "coverage": round(decided / total, 3) if total else None}


def _fraction(rate: dict) -> str:
    return f"{rate['hit']}/{rate['total']} ({rate['rate']})"


def format_report(r: dict) -> str:
    lines = [
        f"questions: {r['questions']}",
        f"gold passage cited:  {r['gold_cited']['hit']}/{r['gold_cited']['total']} ({r['gold_cited']['rate']})",
        f"verdict direction:   {r['direction']['hit']}/{r['direction']['total']} ({r['direction']['rate']})",
        "  by expected: " + ", ".join(f"{k} {v['hit']}/{v['total']}" for k, v in r["direction_by_expect"].items()),
        f"quotes verbatim:     {r['quotes_verbatim']['hit']}/{r['quotes_verbatim']['total']}",
        f"dangling citations:  {r['dangling_citations']}",
        f"latency ms:          p50 {r['latency_ms']['p50']:.1f}, p95 {r['latency_ms']['p95']:.1f}; floor p50 "
        f"{r['latency_ms']['floor_p50']:.1f} (p50 = {r['latency_ms']['p50_over_floor']}x floor); sentences embedded "
        f"{r['latency_ms'].get('sentences_embedded')} of {r['latency_ms'].get('sentences_asked')} asked for (the rest remembered)",
        f"stance (leave-one-source-out): accuracy {r['stance']['accuracy_when_decided']} on "
        f"{r['stance']['decided']}/{r['stance']['labelled']} decided, the rest neutral",
        f"characters quoted per answer: median {r['chars_shown_median']}, mean {r['chars_shown_mean']}",
        f"catalogue: {'on' if r.get('catalogue', True) else 'off (ablation)'}",
    ]
    if r.get("halves"):
        lines.append(f"{'by half of the split:':<27}" + "".join(f"{half:<26}" for half in r["halves"]))
        for label, key in (("gold passage cited", "gold_cited"), ("verdict direction", "direction")):
            lines.append(f"  {label + ':':<25}" + "".join(f"{_fraction(v[key]):<26}" for v in r["halves"].values()))
    if "data_questions" in r:
        d = r["data_questions"]
        lines.append(f"questions about a team's numbers: answering finding cited first "
                     f"{_fraction(d['answering_finding_first'])}, at most two other findings "
                     f"{_fraction(d['at_most_two_others'])}" + (f"; misses {', '.join(d['misses'])}" if d["misses"] else ""))
    if "external_stance" in r:
        x = r["external_stance"]
        lines.append(f"stance on Perspectrum test ({x['pairs']} pairs, model {x['model']}): forced choice "
                     f"{x.get('forced_choice_accuracy')}; at the answer cutoff decides {x['decided_share']} of pairs, "
                     f"right on {x['right_when_decided']} of those")
    if "team_questions" in r:
        t = r["team_questions"]
        lines.append(f"questions on team documents ({t['questions']}): gold cited {_fraction(t['gold_cited'])}, "
                     f"verdict direction {_fraction(t['direction'])}")
    for key, label in (("paraphrases", "paraphrase triples"), ("paraphrases_heldout", "paraphrase triples, held out")):
        if key in r:
            p = r[key]
            lines.append(f"{label} ({p['triples']}): all three right {_fraction(p['all_three_right'])}, all three "
                         f"the same direction {_fraction(p['all_three_same'])}, questions right "
                         f"{_fraction(p['questions_right'])}")
    if "team_stance" in r:
        t = r["team_stance"]
        lines.append(f"stance on team documents ({t['pairs']} pairs): accuracy {t['accuracy']}, neutral "
                     f"(abstained) {t['abstained']}; " + ", ".join(
                         f"{s} P {v['precision']} R {v['recall']}" for s, v in t["per_stance"].items()))
    if "baseline" in r:
        b = r["baseline"]
        lines += [
            "baseline (LangChain tutorial: 1000/200 chunks, MiniLM, Chroma, top 4):",
            f"  gold in top 4 chunks:        {b['gold_in_top4']['hit']}/{b['gold_in_top4']['total']}",
            f"  gold in first 600 chars:     {b['gold_in_first_600_chars']['hit']}/{b['gold_in_first_600_chars']['total']}",
            f"  characters shown per answer: {b['chars_shown_mean']}",
        ]
    misses = [f"{x['id']} (expected {x['expect']}, got {x['got']})" for x in r["rows"] if x["expect"] and x["got"] != x["expect"]]
    if misses:
        lines.append("direction misses: " + ", ".join(misses))
    return "\n".join(lines)
