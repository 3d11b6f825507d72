"""Disposable caches on disk: sentence embeddings and fetched pages."""
