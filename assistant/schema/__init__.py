"""What every layer shares: the dataclasses passed between stages, their vocabulary, and how their text is shown.

``records``: the dataclasses; ``words``: stances, verdicts, directions and kinds
with their words on screen; ``markdown``: untrusted text made inert;
``display``: an answer summed up in words (verdict line, totals, citation titles);
``spreadsheet``: exported cells that a spreadsheet will not run as formulas.
"""
from .display import card_title, headline, passage_parts, signed, totals
from .markdown import JOINER, defang, literal, md_escape
from .records import (
                    Answer,
                    Caller,
                    Evidence,
                    Finding,
                    Hit,
                    Judgement,
                    Passage,
                    Section,
                    SourceText,
)
from .spreadsheet import safe_cell
from .words import (
                    KIND_WORDS,
                    LEAN_WORDS,
                    STANCE_MARKS,
                    STANCE_WORDS,
                    STANCES,
                    VERDICT_DIRECTION,
                    VERDICT_WORDS,
                    VERDICTS,
                    Direction,
                    Kind,
                    Stance,
                    Verdict,
)

__all__ = ["Answer", "Caller", "Evidence", "Finding", "Hit", "Judgement", "Passage", "Section", "SourceText",
           "Kind", "Stance", "Verdict", "Direction", "STANCES", "VERDICTS", "STANCE_WORDS", "STANCE_MARKS",
           "VERDICT_WORDS", "VERDICT_DIRECTION", "LEAN_WORDS", "KIND_WORDS", "JOINER", "md_escape", "literal",
           "defang", "signed", "headline", "totals", "passage_parts", "card_title", "safe_cell"]
