"""A team's own metrics: exports in, findings out.

In scope: reading an export's bytes, recognising its columns, tidying it into
one frame, the findings computed from it, and storing files and findings per
workspace. Out of scope: which claim a finding bears on (``answering``).
"""
