"""Page furniture: the lines of a published readout that are not statements.

A wire dateline ("BEIJING, Oct. 8 (Xinhua) --"), a spokesperson lead-in ("The following is
attributable to Spokesperson ..."), a byline, a line that only announces what follows, a
date printed above the text. They say who issued or filed the text, not what was said, so
they become the readout's metadata: never omissions, never topics. The patterns are data
(``furniture.json``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from diffreadout.model import Furniture

FURNITURE_FILE = Path(__file__).with_name("furniture.json")
Span = tuple[int, int]


@lru_cache(maxsize=1)
def _kinds() -> tuple[tuple[str, re.Pattern[str], bool], ...]:
    data = json.loads(FURNITURE_FILE.read_text(encoding="utf-8"))
    out = []
    for item in data["kinds"]:
        flags = 0 if item.get("case_sensitive") else re.IGNORECASE
        out.append((item["kind"], re.compile(item["pattern"], flags), bool(item.get("requires_upper_place"))))
    return tuple(out)


def classify(text: str, span: Span) -> Furniture | None:
    """The furniture a segmented span is (the whole span must match), or None for a statement."""
    start, end = span
    piece = text[start:end]
    if len(piece) > 200:
        return None
    for kind, pattern, upper_place in _kinds():
        match = pattern.fullmatch(piece)
        if match is None:
            continue
        value = next((v for k, v in match.groupdict().items() if k.startswith("value") and v), piece)
        if upper_place:
            place = re.match(r"[^\W\d_]+(?:[ .'\-]{1,2}[^\W\d_]+){0,4}", value)
            if place is None or not place.group(0).isupper():
                continue
        return Furniture(kind, start, end, piece, " ".join(value.split()))
    return None


def split_furniture(text: str, spans: Sequence[Span]) -> tuple[list[Span], tuple[Furniture, ...]]:
    """Statement spans, and the furniture found among the spans (a text of furniture alone keeps it)."""
    statements: list[Span] = []
    furniture: list[Furniture] = []
    for span in spans:
        found = classify(text, span)
        if found is None:
            statements.append(span)
        else:
            furniture.append(found)
    if not statements:
        return list(spans), ()
    return statements, tuple(furniture)
