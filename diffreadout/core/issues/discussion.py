"""Statements that report issues as discussed, without a position on them.

"They also discussed the situation in the Middle East" says only that the subject came up; it
stands for the whole exchange on the issues it names, however the other readout reports it.
The verbs are data: the ``discussion`` list of ``lexicon.toml``.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from diffreadout.core.issues.lexicon import BUNDLED, _term_regex

__all__ = ["reports_discussion"]


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    terms = tomllib.loads(BUNDLED.read_text(encoding="utf-8")).get("discussion", [])
    return re.compile("|".join(_term_regex(t) for t in sorted(terms, key=lambda t: (-len(t), t))))


def reports_discussion(text: str) -> bool:
    """True when a statement's verb reports a subject as discussed ("discussed", "exchanged views on")."""
    return _pattern().search(text) is not None
