"""Undo a response's Content-Encoding in bounded pieces, so a decompression bomb cannot fill memory.

httpx inflates each received chunk in one call, so 3.5 KB of ``gzip, gzip`` on the wire became
gigabytes before any size check ran. Here every stage of the encoding chain is a zlib
decompressor asked for at most ``PIECE`` bytes at a time, and the stages are lazy generators: at
any moment a few pieces are in memory, and the caller stops pulling as soon as the decoded total
passes its cap.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

__all__ = ["ACCEPT_ENCODING", "PIECE", "UnsupportedEncoding", "decoded_pieces", "encodings"]

PIECE = 64 * 1024
# What diffreadout asks for; a server sending anything else is refused, not guessed at.
ACCEPT_ENCODING = "gzip, deflate"
_GZIP = frozenset({"gzip", "x-gzip"})


class UnsupportedEncoding(ValueError):
    """A Content-Encoding diffreadout does not decode (the message names it)."""


def encodings(header: str) -> list[str]:
    """The codings of a Content-Encoding header, in the order they were applied (identity dropped)."""
    codings = [c.strip().lower() for c in header.split(",")]
    codings = [c for c in codings if c and c != "identity"]
    for coding in codings:
        if coding not in _GZIP and coding != "deflate":
            raise UnsupportedEncoding(coding)
    return codings


def _inflate(pieces: Iterable[bytes], coding: str) -> Iterator[bytes]:
    """One decoding stage: gzip (members concatenated allowed) or deflate (zlib-wrapped or raw)."""
    wbits = 16 + zlib.MAX_WBITS if coding in _GZIP else zlib.MAX_WBITS
    decoder = zlib.decompressobj(wbits)
    first = True
    for data in pieces:
        while data:
            try:
                out = decoder.decompress(data, PIECE)
            except zlib.error:
                if not (first and coding == "deflate"):
                    raise
                # Some servers send raw deflate without the zlib header.
                decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                out = decoder.decompress(data, PIECE)
            first = False
            if out:
                yield out
            if decoder.eof:
                data = decoder.unused_data
                if data and coding in _GZIP:
                    decoder = zlib.decompressobj(wbits)  # the next gzip member
                    continue
                break
            data = decoder.unconsumed_tail
            if not data:
                # Input used up: drain what the decoder still holds, a piece at a time.
                while out and not decoder.eof:
                    out = decoder.decompress(b"", PIECE)
                    if out:
                        yield out
    if not decoder.eof and not first:
        tail = decoder.flush()
        if tail:
            yield tail


def decoded_pieces(raw: Iterable[bytes], codings: list[str]) -> Iterator[bytes]:
    """The body with every coding undone (last applied, first undone), in pieces of at most PIECE."""
    stream: Iterable[bytes] = raw
    for coding in reversed(codings):
        stream = _inflate(stream, coding)
    return iter(stream)
