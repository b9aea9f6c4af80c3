"""The ONNX Runtime models are the torch models: the same vectors and stance probabilities, without torch.

Both are exported here from the packaged models into a fresh folder, so these tests check the export itself
and never read what `make setup` or a developer left in the virtual environment.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.answering.catalogue import load_catalogue
from assistant.answering.stance_model import CrossEncoderStance, get_stance_model
from assistant.errors import ConfigError
from assistant.knowledge.embedding import SentenceTransformerEmbedder, default_model_path, get_embedder
from assistant.knowledge.onnx_export import ensure_onnx, onnx_folder
from assistant.knowledge.onnx_models import OnnxCrossEncoder, OnnxEmbedder
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
STANCE = ROOT / "assistant" / "answering" / "models" / "stance"
COSINE_MIN = 1 - 1e-4  # the bar for "the same vectors"
PROBABILITY_TOLERANCE = 1e-4  # seen: 2e-7; a stance decided at |p - 0.5| >= 0.1 cannot flip within it
HEAVY = ("torch", "transformers", "sentence_transformers", "langchain_core")  # what a start must not import

EDGE_TEXTS = [
    "", " ", "Trust.", "   leading and trailing spaces   ", "UPPER CASE CLAIM ABOUT LOYALTY",
    "Engagement builds loyalty, doesn't it? 41% vs 27% (n = 1,850).", "Ünïcödé café — naïve résumé, 東京, Ελληνικά 🙂",
    "word " * 600, "a" * 1000, "Social media drives B2B sales. " * 20, "tab\tseparated\nnew lines\r\nand more",
    "https://example.com/a?b=c and someone@example.com", "=HYPERLINK(\"x\")", "1234567890 3.14159 -42",
]


def catalogue_texts(n: int) -> list[str]:
    """Real texts the app embeds: claims and quotes from the catalogue, short and long."""
    catalogue = load_catalogue(ROOT / "corpus")
    texts = [c.claim for c in catalogue.claims] + [e.quote for c in catalogue.claims for e in c.evidence]
    return texts[:: max(1, len(texts) // n)][:n]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """Both models exported from nothing into a folder of this test run's own."""
    root = tmp_path_factory.mktemp("onnx")
    ensure_onnx(Path(default_model_path()), "embedder", root)
    ensure_onnx(STANCE, "cross-encoder", root)
    return root


def test_the_onnx_vectors_are_the_torch_vectors(exported):
    texts = EDGE_TEXTS + catalogue_texts(26)
    onnx, torch = OnnxEmbedder(default_model_path(), exported), SentenceTransformerEmbedder(default_model_path())
    a, b = np.asarray(onnx.embed_batch(texts)), np.asarray(torch.embed_batch(texts))
    assert a.shape == b.shape == (len(texts), 384) and len(texts) >= 36
    cosines = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    assert cosines.min() >= COSINE_MIN, texts[int(cosines.argmin())]
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert onnx.lengths(texts) == torch.lengths(texts), "the same tokens, so ingestion batches alike"
    assert (onnx.name, onnx.dim) == (torch.name, torch.dim), "the same name: cached catalogue vectors are shared"


def test_a_text_has_the_same_vector_alone_and_in_a_padded_batch(exported):
    onnx = OnnxEmbedder(default_model_path(), exported)
    texts = ["Trust comes from peers.", "word " * 300, "Engagement builds loyalty."]
    together = np.asarray(onnx.embed_batch(texts, batch_size=3))
    alone = np.asarray([onnx.embed_batch([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_the_onnx_stance_model_gives_the_torch_probabilities(exported):
    claims = ["Engagement on social media builds customer loyalty",
              "Engagement on social media does not build customer loyalty",
              "Our loyalty scheme raises repeat purchases", "Customers trust their peers more than brands " * 12]
    passages = catalogue_texts(6) + [
        "The loyalty scheme made no difference: members and non-members reordered at the same rate, 24%.",
        "Members come back and buy again far more often, 38% against 21%.", "Our office moved in March.",
        "Yes they do. " * 80, ""]
    pairs = [(c, p) for c in claims for p in passages]
    onnx = np.asarray(OnnxCrossEncoder(STANCE, exported).scores(pairs))
    torch = np.asarray(CrossEncoderStance(STANCE).support_probability(pairs))
    assert len(pairs) >= 40
    assert np.abs(onnx - torch).max() <= PROBABILITY_TOLERANCE
    decided = np.abs(torch - 0.5) > PROBABILITY_TOLERANCE
    assert ((onnx > 0.5) == (torch > 0.5))[decided].all(), "the same stance on every pair"
    assert OnnxCrossEncoder(STANCE, exported).scores([]) == []


def test_the_export_is_made_once_and_again_for_a_changed_model(exported, tmp_path):
    folder = ensure_onnx(STANCE, "cross-encoder", exported)
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["kind"] == "cross-encoder" and meta["max_length"] == 128 and meta["activation"] == "Sigmoid"
    before = (folder / "model.onnx").stat().st_mtime_ns
    assert ensure_onnx(STANCE, "cross-encoder", exported) == folder
    assert (folder / "model.onnx").stat().st_mtime_ns == before, "a current export is not made again"
    assert not [p for p in exported.iterdir() if p.name.endswith(".tmp")], "no half-written export is left"

    changed = tmp_path / "stance"
    shutil.copytree(STANCE, changed)
    (changed / "config.json").write_text((changed / "config.json").read_text().replace('"LABEL_0"', '"SUPPORTS"'))
    assert onnx_folder(changed, "cross-encoder", exported) != folder, "a retrained model gets its own export"


def test_the_runtime_is_a_setting():
    assert Settings().runtime == "onnx"
    assert Settings.from_env({"CLAIMCHECK_RUNTIME": "torch"}).runtime == "torch"
    with pytest.raises(ConfigError, match="CLAIMCHECK_RUNTIME"):
        Settings.from_env({"CLAIMCHECK_RUNTIME": "tensorflow"})
    torch = get_embedder(Settings(home=Path("/nonexistent"), runtime="torch"))
    assert isinstance(torch, SentenceTransformerEmbedder) and torch._loaded is None, "loaded on first use only"
    assert isinstance(get_embedder(Settings(home=Path("/nonexistent"))), OnnxEmbedder)
    assert type(get_stance_model(STANCE, "torch").inner).__name__ == "CrossEncoderStance"
    assert type(get_stance_model(STANCE, "onnx").inner).__name__ == "OnnxStance"


def test_a_second_start_and_its_first_answer_import_no_torch(tmp_path):
    """What the app does on a second start, in a process of its own: no torch, transformers,
    sentence-transformers or langchain is imported, from the page's imports to the first answer."""
    script = f"""
import sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from assistant.settings import Settings, offline_environment
offline_environment()
import ui.views._common
from assistant.facade import Assistant
Assistant(Settings(home=Path({str(tmp_path)!r}))).ensure_ready()  # the first start, in an earlier process
assistant = Assistant(Settings(home=Path({str(tmp_path)!r})))
assistant.warm_up()
answer = assistant.ask("Does engaging on social media build customer loyalty?")
assert answer.verdict and answer.evidence, answer
print(sorted(m for m in {HEAVY!r} if m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_importing_the_settings_imports_no_other_layer():
    """Every entry point's first import: the package's names load when asked for, not with it."""
    done = subprocess.run([sys.executable, "-c", "import sys, assistant.settings, assistant.errors; "
                           "print(sorted(m for m in sys.modules if m.startswith(('assistant.', 'pandas', 'numpy'))))"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.strip() == "['assistant.errors', 'assistant.settings']", done.stderr
