"""Onboarding and sharing: the claim map, the quiz, the journey tour and the brief.

Everything here is computed from the claim catalogue, the journey and an
answer; nothing here retrieves or weighs.
"""
