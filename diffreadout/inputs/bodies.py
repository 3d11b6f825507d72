"""Decode a compressed HTTP body while streaming, never holding more than the size cap.

httpx decompresses a whole network chunk at once, so a 3.5 KB body sent with
``Content-Encoding: gzip, gzip`` becomes gigabytes in memory before any size check can run.
Here the raw bytes go through one bounded zlib decoder per encoding (applied in reverse of the
order the server lists them); every decoder hands on at most a small piece at a time, and the
total decoded size is checked after every piece. The cap therefore holds whatever the ratio and
however many layers are stacked.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

__all__ = ["BodyTooLarge", "UnsupportedEncoding", "BadEncoding", "decode_stream", "parse_encodings"]

# Largest piece one decoder hands on per call: memory per layer stays near this, whatever the ratio.
_PIECE = 64 * 1024


class BodyTooLarge(Exception):
    """The decoded body passed the cap."""


class UnsupportedEncoding(Exception):
    """A content coding other than gzip, deflate or identity."""


class BadEncoding(Exception):
    """The body does not decompress as its Content-Encoding says."""


def parse_encodings(header: str) -> list[str]:
    """The content codings of a Content-Encoding header, in the order the server applied them."""
    codings = [part.strip().lower() for part in header.split(",")]
    codings = [c for c in codings if c and c != "identity"]
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise UnsupportedEncoding(coding)
    return codings


class _Layer:
    """One bounded decoder: gzip or deflate (zlib-wrapped, or raw as some servers send it)."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._raw_deflate_tried = False
        wbits = 16 + zlib.MAX_WBITS if coding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._obj = zlib.decompressobj(wbits)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self._obj.decompress(data, _PIECE)
            except zlib.error as exc:
                if self._coding == "deflate" and not self._raw_deflate_tried:
                    # "deflate" sent without the zlib header: retry the same bytes as raw deflate.
                    self._raw_deflate_tried = True
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise BadEncoding(str(exc)) from None
            self._raw_deflate_tried = True
            data = self._obj.unconsumed_tail
            if out:
                yield out
            if self._obj.eof:
                return  # trailing bytes after the stream end are ignored, as browsers do


def decode_stream(raw_chunks: Iterable[bytes], codings: list[str], max_bytes: int) -> Iterator[bytes]:
    """Yield the decoded body piece by piece; raise BodyTooLarge as soon as it passes max_bytes.

    Intermediate layers are capped too (at the same bound plus slack), so a stack of encodings
    cannot grow an inner layer without limit either.
    """
    layers = [_Layer(c) for c in reversed(codings)]
    inner_cap = max_bytes + 1024 * 1024
    sizes = [0] * len(layers)
    total = 0

    def through(index: int, data: bytes) -> Iterator[bytes]:
        if index == len(layers):
            yield data
            return
        for piece in layers[index].feed(data):
            sizes[index] += len(piece)
            if index < len(layers) - 1 and sizes[index] > inner_cap:
                raise BodyTooLarge()
            yield from through(index + 1, piece)

    for chunk in raw_chunks:
        for piece in through(0, chunk):
            total += len(piece)
            if total > max_bytes:
                raise BodyTooLarge()
            yield piece
