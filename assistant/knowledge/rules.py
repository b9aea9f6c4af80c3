"""The knowledge base's limits and thresholds, as named data with their reasons."""
from __future__ import annotations

# Passages: one to MAX_SENTENCES sentences, never across a section.
MAX_SENTENCES = 3
MAX_CHARS = 420  # a passage stops growing past this, so cards stay readable

# Hybrid retrieval.
RRF_K = 60  # the constant of reciprocal rank fusion (Cormack et al. 2009)
CANDIDATES = 40  # per retriever, before fusion
DUPLICATE_JACCARD = 0.8  # token overlap above which two passages say the same
DEDUPE_DEPTH = 3  # keep this many times k distinct hits for the diversity step to choose from
MAX_SHARE_PER_SOURCE = 0.5  # at most this share of k from one source ...
DIVERSITY_MIN_SIMILARITY = 0.25  # ... while another source has a passage at least this similar
WINDOW_PASSAGES = 1  # a hit's window: this many passages before and after it in the same section

# The lexical index (BM25).
BM25_K1 = 1.5  # term-count saturation, rank_bm25's default, which the first index used
BM25_B = 0.75  # length normalisation, the usual value (Robertson & Zaragoza 2009)
MERGE_WIDTH = 8  # segments of one size tier (sizes within a factor of 8) merged at a time: few rewrites, few segments
TOMBSTONE_SHARE = 0.5  # a segment more than half deleted is rewritten, so dead postings do not pile up
