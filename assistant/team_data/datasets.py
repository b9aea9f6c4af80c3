"""A team's uploaded metrics files and their findings, stored per workspace.

Findings are computed results (numbers, sample size, method, caveat), kept
whole as JSON beside an embedding of their sentence; they are never split
into text chunks. A rejected file stores nothing.

A file's record is what lists it and its findings, so it is written last and,
when a file is uploaded again, deleted first: a run killed at any instant
leaves the file either listed with exactly its findings or not listed, its
stored findings unused; running it again completes it.
"""
from __future__ import annotations

import hashlib
import json
import time

import numpy as np
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NotFound
from ..knowledge.embedding import Embedder
from ..knowledge.store import Record, Store
from ..knowledge.workspaces import collection
from ..schema import Finding
from . import rules

if TYPE_CHECKING:  # pandas loads with the readers and the analysis, not with answering a question
    from .table import Table


@dataclass
class DataReport:
    """What was understood of one uploaded file."""

    file: str
    workspace: str
    layout: str
    period: str
    roles: dict[str, list[str]]
    unrecognised: list[str]
    problems: list[dict]
    notes: list[str]
    rows_read: int
    rows_used: int
    findings: list[Finding] = field(default_factory=list)
    description: str = ""
    columns: list[dict] = field(default_factory=list)  # {"name", "role", "channel"} per column, in file order
    sha: str = ""  # the file's content, so the same export under another name is recognised
    coverage: dict = field(default_factory=dict)  # grain, first and last date, channels, roles: what it overlaps
    overlaps: list[str] = field(default_factory=list)  # files covering the same periods, channels and metrics
    pending: bool = False  # the media model is still being fitted; its findings are added when ready

    def to_dict(self) -> dict:
        """The file as ``claimcheck data show --json`` prints it."""
        return {"file": self.file, "layout": self.layout, "grain": self.period, "rows_used": self.rows_used,
                "rows_total": self.rows_read, "columns": self.columns,
                "problems": [{"row": p["row"], "column": p["column"], "message": p["message"]} for p in self.problems],
                "findings": [f.to_dict() for f in self.findings]}


def _finding_record(f: Finding, vector: list[float]) -> Record:
    return Record(id=f.id, text=f.sentence, embedding=vector,
                  metadata={"file": f.file, "topic": f.topic, "json": json.dumps(asdict(f), ensure_ascii=False)})


def coverage(table: Table) -> dict:
    """What an export measures, compactly: enough to tell that two files cover the same ground."""
    df = table.frame
    dated = table.dated and len(df)
    return {"grain": table.period, "start": f"{df['date'].min():%Y-%m-%d}" if dated else "",
            "end": f"{df['date'].max():%Y-%m-%d}" if dated else "",
            "channels": sorted(map(str, df["channel"].unique())) if "channel" in df.columns else [],
            "roles": sorted(c for c in df.columns if c in rules.METRIC_ROLES)}


def overlapping(a: dict, b: dict) -> bool:
    """Same grain, channels and metrics in common, and at least half of the shorter span shared."""
    if not a or not b or a["grain"] != b["grain"] or a["grain"] == "none":
        return False
    if not set(a["channels"]) & set(b["channels"]) or not set(a["roles"]) & set(b["roles"]):
        return False
    start, end = max(a["start"], b["start"]), min(a["end"], b["end"])
    if start > end:
        return False
    days = lambda s, e: (np.datetime64(e) - np.datetime64(s)).astype(int) + 1  # noqa: E731
    return days(start, end) >= rules.OVERLAP_SHARE * min(days(a["start"], a["end"]), days(b["start"], b["end"]))


def _report(table: Table, workspace: str, findings: list[Finding], sha: str) -> DataReport:
    from .table import describe

    return DataReport(
        file=table.file, workspace=workspace, layout=table.layout, period=table.period, roles=table.roles,
        unrecognised=list(table.unrecognised), problems=[asdict(p) for p in table.problems],
        notes=list(table.notes), rows_read=table.rows_read, rows_used=table.rows_used, findings=findings,
        description=describe(table), columns=[c.to_dict() for c in table.columns], sha=sha,
        coverage=coverage(table))


def _file_id(file: str) -> str:
    return hashlib.sha1(file.encode()).hexdigest()[:20]


def _write_record(store: Store, embedder: Embedder, report: DataReport, vector: list[float] | None) -> None:
    """The file's record, which lists it and its findings: always the last write."""
    summary = {k: v for k, v in asdict(report).items() if k != "findings"}
    store.upsert(collection(report.workspace, "files"), [Record(
        id=_file_id(report.file), text=report.file,
        embedding=vector if vector is not None else embedder.embed_batch([report.file])[0],
        metadata={"file": report.file, "added": time.time(), "findings": len(report.findings), "sha": report.sha,
                  "json": json.dumps(summary, ensure_ascii=False)},
    )])


def add_data(store: Store, embedder: Embedder, path: str | Path, workspace: str,
             mapping: dict[str, str] | None = None, name: str | None = None) -> DataReport:
    """Read, analyse and store one export; replaces an earlier upload of the same name.

    The same bytes already stored under another name are not stored again (the report says which file
    holds them).
    """
    return add_data_deferred(store, embedder, path, workspace, mapping, name, defer_fit=False)[0]


def add_data_deferred(store: Store, embedder: Embedder, path: str | Path, workspace: str,
                      mapping: dict[str, str] | None = None, name: str | None = None,
                      defer_fit: bool = True) -> tuple[DataReport, Table | None]:
    """``add_data`` without waiting for the media model: the report is ``pending`` and the table comes
    back, for ``complete_fit`` to add the model's findings when they are ready."""
    path = Path(path)
    from .findings import analyse
    from .table import read_table

    table = read_table(path, mapping)  # raises UnreadableData before anything is stored
    if name:
        table.file = name
    sha = hashlib.sha256(path.read_bytes() + json.dumps(mapping or {}, sort_keys=True).encode()).hexdigest()
    twin = next((r for r in store.get(collection(workspace, "files"), where={"sha": sha})
                 if r.metadata.get("file") != table.file), None)
    if twin is not None:
        existing = get_data(store, workspace, str(twin.metadata["file"]))
        existing.notes = [f"'{table.file}' has the same content as '{existing.file}', already in this workspace: "
                          "not added again, so its findings count once.", *existing.notes]
        return existing, None
    findings = analyse(table, workspace, fits=not defer_fit)
    report = _report(table, workspace, findings, sha)
    report.overlaps = [other["file"] for other in _summaries(store, workspace)
                       if other["file"] != report.file and overlapping(report.coverage, other.get("coverage", {}))]
    if report.overlaps:
        report.notes.append(f"Covers the same {rules.PERIOD_PLURAL.get(table.period, 'periods')}, channels and "
                            f"metrics as {', '.join(repr(o) for o in report.overlaps)}: in answers, findings of "
                            "the same kind from these files count once (the file with more rows).")
    report.pending = defer_fit and bool(table.dated)
    vectors = embedder.embed_batch([f.sentence for f in findings]) if findings else []
    files_col, findings_col = collection(workspace, "files"), collection(workspace, "findings")
    store.delete(files_col, ids=[_file_id(table.file)])
    old = [r.id for r in store.get(findings_col, where={"file": table.file})]
    store.upsert(findings_col, [_finding_record(f, v) for f, v in zip(findings, vectors)])
    store.delete(findings_col, ids=[i for i in old if i not in {f.id for f in findings}])
    _write_record(store, embedder, report, vectors[0] if vectors else None)
    return report, (table if report.pending else None)


def mark_fitted(store: Store, embedder: Embedder, report: DataReport) -> None:
    """Rewrite a file's record once its pending model fit is over (fitted or given up)."""
    _write_record(store, embedder, report, None)


def complete_fit(store: Store, embedder: Embedder, table: Table, report: DataReport) -> DataReport:
    """The media model's findings for a file added with ``defer_fit``, stored beside the others."""
    from .effects import media_effect_findings

    found = media_effect_findings(table, report.workspace)
    if found:
        vectors = embedder.embed_batch([f.sentence for f in found])
        store.upsert(collection(report.workspace, "findings"),
                     [_finding_record(f, v) for f, v in zip(found, vectors)])
    report.findings = [*report.findings, *found]
    report.pending = False
    _write_record(store, embedder, report, None)
    return report


def _summaries(store: Store, workspace: str) -> list[dict]:
    """Every listed file's stored summary (a DataReport without its findings): one read of the file records."""
    return [json.loads(str(r.metadata["json"])) for r in store.get(collection(workspace, "files"))]


def list_data(store: Store, workspace: str) -> list[DataReport]:
    out = []
    for summary in _summaries(store, workspace):
        report = DataReport(**{k: v for k, v in summary.items() if k in _REPORT_FIELDS})
        report.findings = _findings(store, workspace, {report.file}, report.file)
        out.append(report)
    return sorted(out, key=lambda d: d.file)


def load_findings(store: Store, workspace: str | None, file: str | None = None) -> list[Finding]:
    """The findings of the workspace's listed files (or of one of them).

    Files that cover the same ground are not independent: of findings with the same topic among
    overlapping files, only those of the file with the most rows are kept.
    """
    if not workspace:
        return []
    summaries = _summaries(store, workspace)
    found = _findings(store, workspace, {s["file"] for s in summaries}, file)
    if file is not None:
        return found
    rows = {}
    overlaps: dict[str, list[str]] = {}
    for summary in summaries:
        rows[summary["file"]] = summary.get("rows_used", 0)
        overlaps[summary["file"]] = summary.get("overlaps", [])
    for name, others in list(overlaps.items()):
        for other in others:
            overlaps.setdefault(other, []).append(name)
    topics: dict[str, set] = {}
    for f in found:
        topics.setdefault(f.file, set()).add((f.topic, tuple(f.channels)))

    def outranked(f: Finding) -> bool:
        return any((rows.get(o, 0), o) > (rows.get(f.file, 0), f.file) and (f.topic, tuple(f.channels)) in topics.get(o, ())
                   for o in overlaps.get(f.file, []))
    return [f for f in found if not outranked(f)]


def _findings(store: Store, workspace: str, listed: set[str], file: str | None) -> list[Finding]:
    if file is not None and file not in listed:
        return []
    records = store.get(collection(workspace, "findings"), where={"file": file} if file else None)
    return [finding_from_json(json.loads(str(r.metadata["json"]))) for r in records
            if r.metadata.get("file") in listed]


def get_data(store: Store, workspace: str, file: str) -> DataReport:
    """One uploaded file with its findings, by the name ``list_data`` shows."""
    for report in list_data(store, workspace):
        if report.file in (file, Path(file).name):
            return report
    raise _not_found(store, workspace, file)


_REPORT_FIELDS = {f.name for f in fields(DataReport)}
_FINDING_FIELDS = {f.name for f in fields(Finding)}
# Findings stored before they had a signal kept their claim stances instead; this reads those back.
_LEGACY_SIGNAL = {"supports": "positive", "qualifies": "weak", "contradicts": "none"}
_LEGACY_RANK = {"supports": "best", "qualifies": "middle", "contradicts": "worst"}


def finding_from_json(data: dict) -> Finding:
    """A stored finding; one stored by an earlier version (with ``claims``, without ``kind``) is read as today's."""
    if "kind" not in data:
        topic = data.get("topic", "")
        stance = next(iter((data.get("claims") or {}).values()), None)
        ranked = topic.startswith(("cost_per", "return_on", "spend_vs"))
        data = {**data, "kind": rules.FINDING_KINDS.get(topic, topic),
                "signal": "any" if topic not in rules.FINDING_KINDS or topic in ("trend", "funnel", "referral_rate",
                                                                                   "repeat_rate", "too_little_data")
                else (_LEGACY_RANK.get(stance, "absent") if ranked else _LEGACY_SIGNAL.get(stance, "none"))}
    return Finding(**{k: v for k, v in data.items() if k in _FINDING_FIELDS})


def _not_found(store: Store, workspace: str, file: str) -> NotFound:
    names = ", ".join(r.text for r in store.get(collection(workspace, "files"))) or "none"
    return NotFound(f"no data file {file!r} in workspace {workspace!r} (files there: {names}); "
                    f"`claimcheck data list` shows them")


def remove_data(store: Store, workspace: str, file: str) -> int:
    """Remove an uploaded file and every finding computed from it."""
    files_col, findings_col = collection(workspace, "files"), collection(workspace, "findings")
    ids = [r.id for r in store.get(findings_col, where={"file": file})]
    # Unlisted findings are what a killed upload or removal left: removing them again completes that.
    if not store.get(files_col, where={"file": file}) and not ids:
        raise _not_found(store, workspace, file)
    store.delete(files_col, where={"file": file})
    store.delete(findings_col, ids=ids)
    return len(ids)

