"""Profile: topics, order and share of each readout, and the meeting metadata."""
