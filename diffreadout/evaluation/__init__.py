"""Evaluation against gold cases: reading case folders and scoring comparisons."""
