"""Similarity: sentence embeddings (protocol, real backend, fake) and lexical matrices."""
