"""``Assistant``: the one object the CLI and the app call.

It owns the settings, the store and the embedder (both loaded lazily, once
per process) and hands each request to the layer that does it. Every method
takes the ``caller`` (``None`` for the local command line), so access checks
live here and nowhere else.
"""
from __future__ import annotations

import re
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, Sequence

from threadpoolctl import threadpool_limits

from .answering import rules as answering_rules
from .answering.answer import Answerer
from .answering.stance_model import get_stance_model
from .answering.understanding import Conversation
from . import access
from .access import Member, Role, allows, role_of
from .errors import AccessDenied, BadInput, ClaimcheckError, UploadTooLarge
from .evaluation.bands import choose_bands
from .evaluation.evaluate import run_eval
from .evaluation.thresholds import choose_thresholds
from .knowledge import ingest, library
from .knowledge.embedding import Embedder, get_embedder
from .knowledge.ingest import IngestReport, Progress
from .knowledge.library import DocumentInfo
from .knowledge.retrieval import Retriever
from .knowledge.lexical_store import LexicalStore, open_store
from .knowledge.workspaces import check_name, collection, list_workspaces
from .onboarding import quiz
from .onboarding.brief import brief as markdown_brief
from .onboarding.claim_map import ClaimMap, build_claim_map
from .onboarding.journey import Journey, TourStage, load_journey, tour
from .schema import Answer, Caller, Finding, Hit, SourceText
from .schema.spreadsheet import safe_cell
from .settings import Settings
from .team_data import datasets
from .team_data.datasets import DataReport
from .team_data.rules import CHANNEL_ROLES, ROLES

if TYPE_CHECKING:  # pandas loads with the first file read, not with the first question
    from .team_data.table import Table

UPLOAD_NAME = re.compile(r"[^A-Za-z0-9._ -]+")  # characters kept in an uploaded file's name on disk
# One background worker fits media models, one at a time: twenty uploads at once must not start twenty
# BLAS-heavy fits beside the app's own threads (that crashed the server process in the concurrency test).
_FIT_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-fit")
_FITTING: dict[tuple[str, str], Future] = {}  # (workspace, file) -> its queued or running media-model fit


@dataclass
class Assistant:
    settings: Settings
    _store: LexicalStore | None = None
    _embedder: Embedder | None = None
    _ready: bool = field(default=False, repr=False)

    @classmethod
    def from_env(cls, **overrides: object) -> "Assistant":
        return cls(Settings.from_env(**overrides))

    # -- what it is built from -------------------------------------------------
    @property
    def store(self) -> LexicalStore:
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.settings)
        return self._embedder

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.store, self.embedder)

    @cached_property
    def answerer(self) -> Answerer:
        self.ensure_ready()
        return Answerer(self.store, self.embedder, self.retriever, self.settings.corpus_dir,
                        self.settings.home / "cache", self.settings.stance_model_path,
                        use_catalogue=self.settings.catalogue == "on", runtime=self.settings.runtime)

    @cached_property
    def journey(self) -> Journey:
        return load_journey(self.settings.corpus_dir)

    def ensure_ready(self, progress: Progress | None = None) -> IngestReport | None:
        """Load the bundled essays on first use (cheap once they are in)."""
        if self._ready:
            return None
        report = ingest.ensure_bundled(self.store, self.embedder, self.settings.corpus_dir, progress)
        self._ready = True
        return report

    def warm_up(self) -> None:
        """Load the models, the essays and the catalogue's vectors now rather than on the first question.

        On ONNX Runtime the two models load on a thread of their own while this one opens the store and reads
        the catalogue: building a session leaves the GIL free, so the models add next to nothing to a second
        start (bench/bench_first_answer.py). torch's loads hold the GIL, so there they load in turn."""
        def load_models() -> None:
            self.embedder.dim  # noqa: B018 - loads the embedder
            get_stance_model(self.settings.stance_model_path, self.settings.runtime)

        if self.settings.runtime != "onnx":
            load_models()
            self.answerer.knowledge  # noqa: B018
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-warm-up") as pool:
            models = pool.submit(load_models)
            self.answerer.knowledge  # noqa: B018 - takes the stance model loading above (one load per process)
            models.result()

    def _workspace(self, workspace: str | None, caller: Caller | None, need: Role = "viewer") -> str:
        """The workspace a request names (the configured one when it names none), checked for this caller:
        a signed-in caller needs the role ``need`` in it; the command line (``None``) is the administrator."""
        name = check_name(workspace or self.settings.workspace)
        if caller is not None:
            role = self.role(name, caller=caller)
            if not allows(role, need):
                raise AccessDenied(_denied(caller, name, role, need))
        return name

    # -- asking -------------------------------------------------------------------
    @property
    def max_question_chars(self) -> int:
        return answering_rules.MAX_QUESTION_CHARS

    def new_conversation(self) -> Conversation:
        """An empty chat: pass it to every ``ask`` of one conversation so follow-ups keep the claim."""
        return Conversation()

    def ask(self, question: str, workspace: str | None = None, conversation: Conversation | None = None,
            *, caller: Caller | None = None) -> Answer:
        question = (question or "").strip()
        if not question:
            raise BadInput("the question is empty; ask about a marketing claim, e.g. "
                           "'Does social engagement build loyalty?'")
        if len(question) > answering_rules.MAX_QUESTION_CHARS:
            raise BadInput(f"the question is {len(question)} characters; keep it under "
                           f"{answering_rules.MAX_QUESTION_CHARS}")
        return self.answerer.ask(question, self._workspace(workspace, caller), conversation)

    def brief(self, answer: Answer) -> str:
        """The answer as a Markdown brief to download."""
        return markdown_brief(answer)

    def choose_bands(self, path: Path, split: Path) -> dict:
        return choose_bands(self, path, split)

    def choose_thresholds(self, path: Path, split: Path) -> dict:
        return choose_thresholds(self, path, split)

    def evaluate(self, path: Path, baseline: bool = True, workspace: str | None = None,
                 split: Path | None = None, data_questions: Path | None = None,
                 external_stance_set: Path | None = None, team_stance_set: Path | None = None,
                 team_questions: Path | None = None, paraphrases: Path | None = None) -> dict:
        return run_eval(self, path, baseline=baseline, workspace=workspace, split=split,
                        data_questions=data_questions, external_stance_set=external_stance_set,
                        team_stance_set=team_stance_set, team_questions=team_questions, paraphrases=paraphrases)

    # -- the knowledge base -------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], workspace: str | None = None, progress: Progress | None = None,
               *, caller: Caller | None = None) -> IngestReport:
        workspace = self._workspace(workspace, caller, "editor")
        self.ensure_ready()
        return ingest.ingest_paths(self.store, self.embedder, paths, workspace, progress, self.settings.batch_size)

    def add_documents(self, uploads: Sequence[tuple[str, bytes]], workspace: str | None = None,
                      progress: Progress | None = None, *, caller: Caller | None = None) -> IngestReport:
        """Documents uploaded in the app, as (file name, bytes); reported by file name."""
        _refuse_too_large(uploads, self.settings.max_upload_mb)
        with _staged(uploads) as (folder, paths):
            report = self.ingest(paths, workspace, progress, caller=caller)
        for file in report.files:
            file.path = Path(file.path).name
            file.error = _unstaged(file.error, folder) if file.error else file.error
        return report

    def search(self, query: str, k: int = 8, workspace: str | None = None,
               *, caller: Caller | None = None) -> list[Hit]:
        workspace = self._workspace(workspace, caller)
        self.ensure_ready()
        return self.retriever.search(query, k, workspace)

    def documents(self, workspace: str | None = None, *, caller: Caller | None = None) -> list[DocumentInfo]:
        workspace = self._workspace(workspace, caller)
        self.ensure_ready()
        return library.list_documents(self.store, workspace)

    def remove_document(self, source_id: str, workspace: str | None = None,
                        *, caller: Caller | None = None) -> int:
        return library.remove_document(self.store, self._workspace(workspace, caller, "editor"), source_id)

    def source_text(self, source_id: str, workspace: str | None = None,
                    *, caller: Caller | None = None) -> SourceText | None:
        return library.source_text(self.store, self._workspace(workspace, caller), source_id)

    # -- a team's data ----------------------------------------------------------
    @property
    def column_roles(self) -> tuple[str, ...]:
        """Every role a column of an export can be given ("ignore" leaves it out)."""
        return ROLES

    @property
    def channel_roles(self) -> frozenset[str]:
        """The roles a column can be given with a channel ("spend:tv")."""
        return CHANNEL_ROLES

    def preview_data(self, name: str, data: bytes, mapping: Mapping[str, str] | None = None,
                     *, caller: Caller | None = None) -> Table:
        """How an uploaded export would be read, without storing anything."""
        _refuse_too_large([(name, data)], self.settings.max_upload_mb)
        with _staged([(name, data)]) as (folder, paths):
            try:
                from .team_data.table import read_table

                return read_table(paths[0], dict(mapping) if mapping else None)
            except ClaimcheckError as exc:
                raise _without_folder(exc, folder)

    def add_data(self, path: str | Path, workspace: str | None = None, mapping: dict[str, str] | None = None,
                 name: str | None = None, *, caller: Caller | None = None) -> DataReport:
        return datasets.add_data(self.store, self.embedder, path, self._workspace(workspace, caller, "editor"),
                                 mapping, name)

    def add_data_upload(self, name: str, data: bytes, workspace: str | None = None,
                        mapping: Mapping[str, str] | None = None, *, caller: Caller | None = None) -> DataReport:
        """An export uploaded in the app, stored under the name it was uploaded with.

        The app never waits on the media model: the file is stored with its quick findings and comes back
        ``pending``; the model is fitted on a background thread and its findings are stored when ready
        (``fitting`` says whether that is still going on).
        """
        _refuse_too_large([(name, data)], self.settings.max_upload_mb)
        ws = self._workspace(workspace, caller, "editor")
        with _staged([(name, data)]) as (folder, paths):
            try:
                report, table = datasets.add_data_deferred(self.store, self.embedder, paths[0], ws,
                                                           dict(mapping) if mapping else None, name=name)
            except ClaimcheckError as exc:
                raise _without_folder(exc, folder)
        if table is not None:
            _FITTING[(ws, report.file)] = _FIT_POOL.submit(self._fit, table, report)
        return report

    def _fit(self, table: Table, report: DataReport) -> None:
        try:
            with threadpool_limits(limits=1):  # one core for the fit; the app's sessions keep the other
                datasets.complete_fit(self.store, self.embedder, table, report)
        except Exception as exc:  # a failed fit must not lose the file: it is kept, marked, and said
            report.pending = False
            report.notes.append(f"The media model could not be fitted ({type(exc).__name__}: {exc}); "
                                "the other findings stand.")
            datasets.mark_fitted(self.store, self.embedder, report)
        finally:
            _FITTING.pop((report.workspace, report.file), None)

    def fitting(self, workspace: str | None = None, *, caller: Caller | None = None) -> list[str]:
        """Files of the workspace whose media model this process is still fitting."""
        ws = self._workspace(workspace, caller)
        return sorted(file for (w, file), job in list(_FITTING.items()) if w == ws and not job.done())

    def model_input(self, path: str | Path, fmt: str, mapping: dict[str, str] | None = None):
        """An export as a media-mix tool's input table (``claimcheck data export``); cells formula-safe."""
        from .team_data.model_input import model_input
        from .team_data.table import read_table

        frame = model_input(read_table(path, mapping), fmt)
        frame.columns = [str(safe_cell(c)) for c in frame.columns]
        return frame

    def data_files(self, workspace: str | None = None, *, caller: Caller | None = None) -> list[DataReport]:
        return datasets.list_data(self.store, self._workspace(workspace, caller))

    def data_file(self, file: str, workspace: str | None = None, *, caller: Caller | None = None) -> DataReport:
        return datasets.get_data(self.store, self._workspace(workspace, caller), file)

    def remove_data(self, file: str, workspace: str | None = None, *, caller: Caller | None = None) -> int:
        return datasets.remove_data(self.store, self._workspace(workspace, caller, "editor"), file)

    def findings(self, workspace: str | None = None, *, caller: Caller | None = None) -> list[Finding]:
        return datasets.load_findings(self.store, self._workspace(workspace, caller))

    # -- workspaces and status ----------------------------------------------------
    def check_workspace_name(self, name: str) -> str:
        """The name, if a workspace may be called that; else BadWorkspace saying why."""
        return check_name(name)

    def workspaces(self, *, caller: Caller | None = None) -> list[str]:
        """Every workspace for the command line; for a signed-in caller only those they are a member of."""
        names = set(list_workspaces(self.store))
        if caller is None:
            return sorted(names | {self.settings.workspace})
        return sorted(n for n in names if self.role(n, caller=caller) is not None)

    def role(self, workspace: str | None = None, *, caller: Caller | None = None) -> Role | None:
        """The caller's role in a workspace (the command line is its owner); None when not a member."""
        name = check_name(workspace or self.settings.workspace)
        if caller is None:
            return "owner"
        return role_of(((m.member, m.role) for m in access.list_members(self.store, name)), caller)

    def create_workspace(self, name: str, *, caller: Caller | None = None) -> str:
        """A new workspace; a signed-in creator becomes its owner. One that exists is not taken over."""
        name = check_name(name)
        if caller is None or self.role(name, caller=caller) is not None:
            return name
        if name in list_workspaces(self.store):
            raise AccessDenied(f"workspace {name!r} already exists and you are not a member; ask one of its owners "
                               f"to add you, or pick another name")
        access.grant(self.store, name, caller.email, "owner")
        return name

    # -- members --------------------------------------------------------------------
    def members(self, workspace: str, *, caller: Caller | None = None) -> list[Member]:
        return access.list_members(self.store, self._workspace(workspace, caller, "owner"))

    def grant(self, workspace: str, member: str, role: str, *, caller: Caller | None = None) -> Member:
        """Add a member or change their role (owners, and the command line, which also creates the list)."""
        name = self._workspace(workspace, caller, "owner")
        if caller is not None:
            self._keep_an_owner(name, access.check_member(member), role)
        return access.grant(self.store, name, member, role)

    def revoke(self, workspace: str, member: str, *, caller: Caller | None = None) -> bool:
        name = self._workspace(workspace, caller, "owner")
        if caller is not None:
            self._keep_an_owner(name, access.check_member(member), None)
        return access.revoke(self.store, name, member)

    def _keep_an_owner(self, workspace: str, member: str, role: str | None) -> None:
        """A signed-in owner cannot leave a workspace without an owner (the command line still can)."""
        owners = {m.member for m in access.list_members(self.store, workspace) if m.role == "owner"}
        if owners == {member} and role != "owner":
            raise AccessDenied(f"{member} is the only owner of {workspace!r}; make someone else an owner first")

    def status(self, workspace: str | None = None, *, caller: Caller | None = None) -> dict:
        workspace = self._workspace(workspace, caller)
        self.ensure_ready()
        docs = library.list_documents(self.store, workspace)
        return {
            "store": getattr(self.store, "label", type(self.store).__name__),
            "home": str(self.settings.home),
            "workspace": workspace,
            "shared_documents": sum(d.shared for d in docs),
            "workspace_documents": sum(not d.shared for d in docs),
            "passages": self.store.count(collection(None, "passages"))
            + self.store.count(collection(workspace, "passages")),
            "documents": [d.__dict__ for d in docs],
            "workspaces": self.workspaces(caller=caller),
        }

    # -- onboarding ---------------------------------------------------------------
    @property
    def _titles(self) -> dict[str, str]:
        return {sid: s.title for sid, s in self.answerer.knowledge.sources.items()}

    def claim_map(self, *, caller: Caller | None = None) -> ClaimMap:
        return build_claim_map(self.answerer.knowledge.catalogue, self._titles)

    def quiz(self, seed: int, n: int = 8, *, caller: Caller | None = None) -> list[quiz.Question]:
        """``n`` questions, the same for the same seed."""
        return quiz.make_quiz(self.answerer.knowledge.catalogue, self.journey, n=n, seed=seed, titles=self._titles)

    def score_quiz(self, questions: Sequence[quiz.Question], answers: Mapping[int, str]) -> quiz.Score:
        return quiz.score(questions, answers)

    def quiz_results_csv(self, questions: Sequence[quiz.Question], answers: Mapping[int, str]) -> str:
        return quiz.results_csv(questions, answers)

    def journey_tour(self, *, caller: Caller | None = None) -> list[TourStage]:
        return tour(self.journey, self.answerer.knowledge.catalogue, self._titles)


# -- uploads: bytes from the app, staged in a temporary folder under a safe name ------------

def _safe_name(name: str) -> str:
    """A file name safe to write in a temporary folder (its suffix decides how it is read)."""
    return (UPLOAD_NAME.sub("_", Path(name).name).strip(" .") or "upload")[-120:]


def _refuse_too_large(uploads: Sequence[tuple[str, bytes]], limit_mb: int) -> None:
    """Checked before anything is written: the app's own limit holds even when Streamlit's is set higher."""
    for name, data in uploads:
        if len(data) > limit_mb * UploadTooLarge.MB:
            raise UploadTooLarge(name, len(data), limit_mb)


@contextmanager
def _staged(uploads: Sequence[tuple[str, bytes]]) -> Iterator[tuple[str, list[Path]]]:
    with tempfile.TemporaryDirectory(prefix="claimcheck-upload-") as folder:
        paths = []
        for name, data in uploads:
            path = Path(folder) / _safe_name(name)
            path.write_bytes(data)
            paths.append(path)
        yield folder, paths


def _unstaged(message: str, folder: str) -> str:
    """A message without the temporary folder an upload was staged in."""
    return message.replace(folder.rstrip("/") + "/", "")


def _without_folder(exc: ClaimcheckError, folder: str) -> ClaimcheckError:
    exc.args = (_unstaged(str(exc), folder),)
    return exc


def _denied(caller: Caller, workspace: str, role: Role | None, need: Role) -> str:
    doing = {"viewer": "open", "editor": "add to or remove from", "owner": "manage the members of"}[need]
    if role is None:
        return (f"{caller.email} is not a member of workspace {workspace!r}; ask one of its owners to add you "
                f"(an administrator can run `claimcheck access grant {workspace} {caller.email} --role {need}`)")
    return (f"{caller.email} is a {role} of workspace {workspace!r} and may not {doing} it; ask one of its owners "
            f"for the {need} role")
