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
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ..errors import NotFound
from ..knowledge.embedding import Embedder
from ..knowledge.store import Record, Store
from ..knowledge.workspaces import collection
from ..schema import Finding
from . import rules
from .findings import analyse
from .table import describe, read_table


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

    def to_dict(self) -> dict:
        """The file as ``claimcheck data show --json`` prints it."""
        return {"file": self.file, "layout": self.layout, "grain": self.period, "rows_used": self.rows_used,
                "rows_total": self.rows_read, "columns": self.columns,
                "problems": [{"row": p["row"], "column": p["column"], "message": p["message"]} for p in self.problems],
                "findings": [f.to_dict() for f in self.findings]}


def _finding_record(f: Finding, vector: list[float]) -> Record:
    return Record(id=f.id, text=f.sentence, embedding=vector,
                  metadata={"file": f.file, "topic": f.topic, "json": json.dumps(asdict(f), ensure_ascii=False)})


def add_data(store: Store, embedder: Embedder, path: str | Path, workspace: str,
             mapping: dict[str, str] | None = None, name: str | None = None) -> DataReport:
    """Read, analyse and store one export; replaces an earlier upload of the same name."""

    table = read_table(path, mapping)  # raises UnreadableData before anything is stored
    if name:
        table.file = name
    findings = analyse(table, workspace)
    vectors = embedder.embed_batch([f.sentence for f in findings]) if findings else []
    report = DataReport(
        file=table.file, workspace=workspace, layout=table.layout, period=table.period, roles=table.roles,
        unrecognised=list(table.unrecognised), problems=[asdict(p) for p in table.problems],
        notes=list(table.notes), rows_read=table.rows_read, rows_used=table.rows_used, findings=findings,
        description=describe(table), columns=[c.to_dict() for c in table.columns],
    )
    files_col, findings_col = collection(workspace, "files"), collection(workspace, "findings")
    file_id = hashlib.sha1(table.file.encode()).hexdigest()[:20]
    store.delete(files_col, ids=[file_id])
    old = [r.id for r in store.get(findings_col, where={"file": table.file})]
    store.upsert(findings_col, [_finding_record(f, v) for f, v in zip(findings, vectors)])
    store.delete(findings_col, ids=[i for i in old if i not in {f.id for f in findings}])
    summary = {k: v for k, v in asdict(report).items() if k != "findings"}
    store.upsert(files_col, [Record(
        id=file_id, text=table.file,
        embedding=vectors[0] if vectors else embedder.embed_batch([table.file])[0],
        metadata={"file": table.file, "added": time.time(), "findings": len(findings),
                  "json": json.dumps(summary, ensure_ascii=False)},
    )])
    return report


def list_data(store: Store, workspace: str) -> list[DataReport]:
    out = []
    for r in store.get(collection(workspace, "files")):
        summary = json.loads(str(r.metadata["json"]))
        report = DataReport(**{k: v for k, v in summary.items() if k in _REPORT_FIELDS})
        report.findings = _findings(store, workspace, {report.file}, report.file)
        out.append(report)
    return sorted(out, key=lambda d: d.file)


def load_findings(store: Store, workspace: str | None, file: str | None = None) -> list[Finding]:
    """The findings of the workspace's listed files (or of one of them)."""
    if not workspace:
        return []
    return _findings(store, workspace, {str(r.metadata.get("file")) for r in store.get(collection(workspace, "files"))},
                     file)


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
