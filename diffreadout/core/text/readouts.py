"""Build Readouts from decoded text: segmentation plus statement ids and offsets.

Kept free of numpy so that the TUI can paint the texts before any heavy import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

from diffreadout.core.text.furniture import split_furniture
from diffreadout.core.text.language import detect_language
from diffreadout.core.text.segment import segment
from diffreadout.model import Readout, Statement


def readout_from_spans(
    side: str,
    label: str,
    source: str,
    text: str,
    spans: Sequence[tuple[int, int]],
    *,
    sha256: str | None = None,
    encoding: str = "utf-8",
) -> Readout:
    """Build a Readout from given statement spans (eval with gold segmentation uses this)."""
    statements = tuple(
        Statement(id=f"{side}{i + 1}", side=side, index=i, start=s, end=e, text=text[s:e])
        for i, (s, e) in enumerate(spans)
    )
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Readout(
        side=side, label=label, source=source, text=text, statements=statements, sha256=digest, encoding=encoding,
        language=detect_language(text),
    )


def make_readout(
    side: str,
    label: str,
    source: str,
    text: str,
    *,
    segment_mode: str = "sentences",
    sha256: str | None = None,
    encoding: str = "utf-8",
) -> Readout:
    """Cut a decoded text into statements with offsets and wrap it as a Readout.

    Page furniture (core/text/furniture.py) is kept as the readout's metadata, not as statements.
    """
    spans, furniture = split_furniture(text, segment(text, segment_mode))
    readout = readout_from_spans(side, label, source, text, spans, sha256=sha256, encoding=encoding)
    return replace(readout, furniture=furniture) if furniture else readout
