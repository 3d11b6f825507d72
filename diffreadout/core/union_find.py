"""Disjoint sets with path halving: the one grouping rule of N-way claims and of topics."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, Generic, Protocol, TypeVar


class _Ordered(Hashable, Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


K = TypeVar("K", bound=_Ordered)


class UnionFind(Generic[K]):
    """Disjoint sets over orderable keys; a set's root is always its smallest key.

    Keeping the smallest key as the root makes the grouping deterministic whatever order the
    unions come in, so groups can be sorted by root.
    """

    def __init__(self, keys: Iterable[K]) -> None:
        self.parent: dict[K, K] = {k: k for k in keys}

    def find(self, key: K) -> K:
        """The root (smallest key) of key's set."""
        parent = self.parent
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, x: K, y: K) -> None:
        """Join the sets of x and y under the smaller of their two roots."""
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            if ry < rx:
                rx, ry = ry, rx
            self.parent[ry] = rx
