"""Time from starting the app to the first answer on screen, in headless Chromium.

Measured in one run, beside two baselines started and driven the same way:
- bare: a one-line Streamlit chat app that echoes the question (Streamlit + browser, nothing else);
- floor: the same app that first loads every model the answer path uses (the embedder and the stance
  cross-encoder), on the runtime Claimcheck uses (CLAIMCHECK_RUNTIME: ONNX Runtime or torch), and embeds the
  question: the unavoidable floor.
Claimcheck is measured on a first start (an empty CLAIMCHECK_HOME: the essays are embedded on first use) and a
second start on the same home. Each figure is the median of --rounds starts, interleaved.

Run: .venv/bin/python bench/bench_first_answer.py [--rounds 3] [--runtime onnx|torch] [--app OTHER/ui/app.py]
(--app measures another checkout's app beside the same baselines, e.g. the commit before a change.)
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from assistant.settings import RUNTIMES, Settings, offline_environment  # noqa: E402

offline_environment()

from tests.appdriver import (  # noqa: E402
    CHAT_INPUT,
    MESSAGES,
    answer_badge,
    ask,
    chromium,
    streamlit_app,
)

QUESTION = "Should we invest in brand conversation here?"
BARE_APP = """
import streamlit as st
if prompt := st.chat_input("Ask"):
    st.chat_message("user").write(prompt)
    st.chat_message("assistant").badge("echo")
"""
TORCH_FLOOR = """
import streamlit as st
from sentence_transformers import CrossEncoder, SentenceTransformer

@st.cache_resource
def models():
    return SentenceTransformer({embedder!r}, device="cpu"), CrossEncoder({stance!r}, device="cpu")

embedder, _ = models()
if prompt := st.chat_input("Ask"):
    st.chat_message("user").write(prompt)
    embedder.encode([prompt])
    st.chat_message("assistant").badge("embedded")
"""
ONNX_FLOOR = """
import numpy as np
import onnxruntime as ort
import streamlit as st
from tokenizers import Tokenizer

@st.cache_resource
def models():
    return [(ort.InferenceSession(f + "/model.onnx", providers=["CPUExecutionProvider"]),
             Tokenizer.from_file(f + "/tokenizer.json")) for f in ({embedder!r}, {stance!r})]

(embedder, tokenizer), _ = models()
if prompt := st.chat_input("Ask"):
    st.chat_message("user").write(prompt)
    e = tokenizer.encode(prompt)
    embedder.run(None, {{"input_ids": np.array([e.ids]), "attention_mask": np.array([e.attention_mask]),
                        "token_type_ids": np.array([e.type_ids])}})
    st.chat_message("assistant").badge("embedded")
"""


def floor_app(runtime: str) -> str:
    """The floor app's source: the models Claimcheck's answer path loads, from the same files, on its runtime."""
    from assistant.knowledge.embedding import default_model_path

    settings = Settings.from_env(runtime=runtime)
    embedder = Path(settings.model_path or default_model_path())
    stance = settings.stance_model_path
    if stance is None:
        raise SystemExit("no stance model is configured: the floor would not load what the answer path loads")
    if runtime == "torch":
        return TORCH_FLOOR.format(embedder=str(embedder), stance=str(stance))
    from assistant.knowledge.onnx_export import ensure_onnx

    return ONNX_FLOOR.format(embedder=str(ensure_onnx(embedder, "embedder")),
                             stance=str(ensure_onnx(stance, "cross-encoder")))


def first_answer(browser, script: Path, home: Path) -> float:
    """Seconds from launching `streamlit run` to the answer's badge on screen."""
    started = time.perf_counter()
    with streamlit_app(script, home, home / "streamlit.log") as url:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.set_default_timeout(300_000)
        page.goto(url)
        page.locator(CHAT_INPUT).wait_for(state="visible")
        ask(page, QUESTION)
        answer_badge(page, 1).wait_for(state="visible")
        seconds = time.perf_counter() - started
        assert page.locator(MESSAGES).count() >= 2
        page.close()
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runtime", choices=RUNTIMES, default=Settings.from_env().runtime,
                    help="what runs the models, in Claimcheck and in the floor app alike (CLAIMCHECK_RUNTIME)")
    ap.add_argument("--app", type=Path, default=ROOT / "ui" / "app.py", help="the Claimcheck app to start")
    args = ap.parse_args()
    os.environ["CLAIMCHECK_RUNTIME"] = args.runtime  # the apps started below inherit it
    times: dict[str, list[float]] = {"bare": [], "floor": [], "first": [], "second": []}
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        tmp = Path(tmp)
        (tmp / "bare.py").write_text(BARE_APP)
        (tmp / "floor.py").write_text(floor_app(args.runtime))
        for r in range(args.rounds):  # interleaved, so a noisy minute hits every variant alike
            home = tmp / f"home-{r}"
            home.mkdir()
            times["bare"].append(first_answer(browser, tmp / "bare.py", home))
            times["floor"].append(first_answer(browser, tmp / "floor.py", home))
            times["first"].append(first_answer(browser, args.app, home))
            times["second"].append(first_answer(browser, args.app, home))
            print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in times.items()), flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"\nTime from `streamlit run` to the first answer on screen (median of {args.rounds}, "
          f"{os.cpu_count()} cores, models on {args.runtime})")
    print("| app | seconds | × bare Streamlit | × floor |\n|---|---:|---:|---:|")
    labels = {"bare": "bare Streamlit chat (baseline)",
              "floor": f"floor: load the embedder and the stance model ({args.runtime}), embed the question",
              "first": "Claimcheck, first start (empty home: essays embedded on first use)",
              "second": "Claimcheck, second start"}
    for k, label in labels.items():
        print(f"| {label} | {med[k]:.1f} | {med[k] / med['bare']:.2f} | {med[k] / med['floor']:.2f} |")


if __name__ == "__main__":
    main()
