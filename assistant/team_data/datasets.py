"""A team's uploaded metrics files and their findings, stored per workspace.

Findings are computed results (numbers, sample size, method, caveat), kept
whole as JSON beside an embedding of their sentence; they are never split
into text chunks. A rejected file stores nothing.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..knowledge.embedding import Embedder
from ..errors import NotFound
from ..schema import Finding
from ..knowledge.store import Record, Store
from ..knowledge.workspaces import collection


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


def _finding_record(f: Finding, vector: list[float]) -> Record:
    return Record(id=f.id, text=f.sentence, embedding=vector,
                  metadata={"file": f.file, "topic": f.topic, "json": json.dumps(asdict(f), ensure_ascii=False)})


def add_data(store: Store, embedder: Embedder, path: str | Path, workspace: str,
             mapping: dict[str, str] | None = None, name: str | None = None) -> DataReport:
    """Read, analyse and store one export; replaces an earlier upload of the same name."""
    from .findings import analyse
    from .table import describe, read_table

    table = read_table(path, mapping)  # raises UnreadableData before anything is stored
    if name:
        table.file = name
    findings = analyse(table, workspace)
    vectors = embedder.embed_batch([f.sentence for f in findings]) if findings else []
    report = DataReport(
        file=table.file, workspace=workspace, layout=table.layout, period=table.period, roles=table.roles,
        unrecognised=list(table.unrecognised), problems=[asdict(p) for p in table.problems],
        notes=list(table.notes), rows_read=table.rows_read, rows_used=table.rows_used, findings=findings,
        description=describe(table),
    )
    files_col, findings_col = collection(workspace, "files"), collection(workspace, "findings")
    old = [r.id for r in store.get(findings_col, where={"file": table.file})]
    store.upsert(findings_col, [_finding_record(f, v) for f, v in zip(findings, vectors)])
    store.delete(findings_col, ids=[i for i in old if i not in {f.id for f in findings}])
    summary = {k: v for k, v in asdict(report).items() if k != "findings"}
    store.upsert(files_col, [Record(
        id=hashlib.sha1(table.file.encode()).hexdigest()[:20], text=table.file,
        embedding=vectors[0] if vectors else embedder.embed_batch([table.file])[0],
        metadata={"file": table.file, "added": time.time(), "findings": len(findings),
                  "json": json.dumps(summary, ensure_ascii=False)},
    )])
    return report


def list_data(store: Store, workspace: str) -> list[DataReport]:
    out = []
    for r in store.get(collection(workspace, "files")):
        summary = json.loads(str(r.metadata["json"]))
        report = DataReport(**summary)
        report.findings = load_findings(store, workspace, file=report.file)
        out.append(report)
    return sorted(out, key=lambda d: d.file)


def load_findings(store: Store, workspace: str | None, file: str | None = None) -> list[Finding]:
    if not workspace:
        return []
    records = store.get(collection(workspace, "findings"), where={"file": file} if file else None)
    return [Finding(**json.loads(str(r.metadata["json"]))) for r in records]


def remove_data(store: Store, workspace: str, file: str) -> int:
    """Remove an uploaded file and every finding computed from it."""
    files_col, findings_col = collection(workspace, "files"), collection(workspace, "findings")
    if not store.get(files_col, where={"file": file}):
        names = ", ".join(r.text for r in store.get(files_col)) or "none"
        raise NotFound(f"no data file {file!r} in workspace {workspace!r} (files there: {names})")
    ids = [r.id for r in store.get(findings_col, where={"file": file})]
    store.delete(findings_col, ids=ids)
    store.delete(files_col, where={"file": file})
    return len(ids)
