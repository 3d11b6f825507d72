"""``diffreadout cache``: where the disposable caches live, how large they are, and clearing them.

Never the analyst's own work: corrections and the library live under the data folder, which
``cache clear`` does not touch.
"""

from __future__ import annotations

import click


@click.group("cache")
def cache_group() -> None:
    """Manage the on-disk embedding cache."""


@cache_group.command("clear")
def cache_clear() -> None:
    """Delete every cached embedding and fetched page."""
    from diffreadout.storage.embeddings import EmbeddingCache
    from diffreadout.storage.pages import PageCache

    removed = EmbeddingCache().clear()
    pages = PageCache().clear()
    click.echo(f"removed {removed} cached embeddings and {pages} cached pages")


@cache_group.command("info")
def cache_info() -> None:
    """Show where the cache lives and how large it is."""
    from diffreadout.storage.embeddings import EmbeddingCache

    from diffreadout.storage.pages import PageCache

    cache = EmbeddingCache()
    entries, size = cache.stats()
    click.echo(f"{cache.root}: {entries} embeddings, {size / 1024:.0f} KiB (limit {cache.max_bytes // (1024 * 1024)} MiB)")
    pages, page_bytes = PageCache().stats()
    click.echo(f"fetched pages: {pages}, {page_bytes / 1024:.0f} KiB")
