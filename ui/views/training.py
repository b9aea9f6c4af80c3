"""Training: an onboarding quiz on what the essays argue, and a tour of the Social Customer Journey."""
from __future__ import annotations

import random

import streamlit as st

from ui.views._common import esc, get_assistant

QUIZ_LENGTH = 8

assistant = get_assistant()


def new_quiz(seed: int | None = None) -> None:
    seed = random.randrange(1_000_000) if seed is None else seed
    st.session_state["quiz"] = {"seed": seed, "current": 1, "answers": {}}


if "quiz" not in st.session_state:
    new_quiz(seed=random.randrange(1_000_000))
quiz = st.session_state["quiz"]
questions = assistant.quiz(quiz["seed"], QUIZ_LENGTH)


def _check(number: int) -> None:
    choice = st.session_state.get(f"choice-{quiz['seed']}-{number}")
    if choice is not None:
        quiz["answers"][number] = choice


def _next() -> None:
    quiz["current"] = min(len(questions) + 1, quiz["current"] + 1)


def render_question(q) -> None:
    st.markdown(f"**Question {q.number} of {len(questions)}.** {esc(q.prompt)}")
    if q.passage:
        st.markdown(f"> “{esc(q.passage)}”")
    answered = q.number in quiz["answers"]
    st.radio("Your answer", q.options, index=None, key=f"choice-{quiz['seed']}-{q.number}", format_func=esc,
             disabled=answered, label_visibility="collapsed")
    if not answered:
        st.button("Check answer", type="primary", on_click=_check, args=(q.number,), key="quiz-check")
        return
    choice = quiz["answers"][q.number]
    if choice == q.answer:
        st.success(f"Correct — {esc(q.answer)}.")
    else:
        st.error(f"Not quite: you chose “{esc(choice)}”; the answer is **{esc(q.answer)}**.")
    st.markdown(f"> “{esc(q.quote)}”  \n> — *{esc(q.source)}*")
    st.caption(esc(q.explanation))
    label = "Next question" if q.number < len(questions) else "See results"
    st.button(label, on_click=_next, key="quiz-next", icon=":material/arrow_forward:")


def quiz_tab() -> None:
    result = assistant.score_quiz(questions, quiz["answers"])
    top, restart = st.columns([5, 1], vertical_alignment="center")
    top.metric("Score", f"{result.correct} / {result.answered}", help=result.describe(), border=False)
    restart.button("New quiz", on_click=new_quiz, icon=":material/refresh:", key="quiz-new")
    st.progress(result.answered / len(questions), text=f"{result.answered} of {len(questions)} answered")
    if quiz["current"] <= len(questions):
        with st.container(border=True):
            render_question(questions[quiz["current"] - 1])
    else:
        st.success(f"Done: {result.correct} of {len(questions)} correct.")
    if result.answered:
        st.download_button("Download results (CSV)", data=assistant.quiz_results_csv(questions, quiz["answers"]),
                           file_name="claimcheck-quiz-results.csv", mime="text/csv", key="quiz-csv",
                           icon=":material/download:", on_click="ignore")


def tour_tab() -> None:
    stages = assistant.journey_tour()
    names = [s.name for s in stages]
    st.caption("The journey from “The Social Customer’s Journey”, stage by stage, with the claims each stage "
               "bears on and what the essays make of them.")
    chosen = st.segmented_control("Stage", names, default=names[0], key="tour-stage") or names[0]
    stage = stages[names.index(chosen)]
    st.markdown(f"#### {stage.number}. {esc(stage.name)}")
    st.markdown(esc(stage.summary))
    st.markdown(f"> “{esc(stage.quote)}”  \n> — *{esc(stage.source)}*")
    if stage.metrics:
        st.caption("Measured in your data by: " + ", ".join(esc(m.replace("_", " ")) for m in stage.metrics))
    st.markdown("**Claims this stage bears on**")
    for claim in stage.claims:
        st.markdown(f"- {esc(claim.statement)} — *{esc(claim.lean)}* ({esc(claim.balance)})")
    if stage.more:
        with st.expander(f"More passages on this stage ({len(stage.more)})"):
            for quote, source in stage.more:
                st.markdown(f"> “{esc(quote)}”  \n> — *{esc(source)}*")


st.title("Training")
quiz_part, tour_part = st.tabs(["Quiz", "Journey tour"])
with quiz_part:
    quiz_tab()
with tour_part:
    tour_tab()
