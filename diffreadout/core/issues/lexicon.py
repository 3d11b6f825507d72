"""The issue lexicon: the bundled ``lexicon.toml`` and any user file that extends it.

A user file has the bundled file's format (``[[issue]]`` tables with ``id``, ``name``, ``kind``
and ``terms``); an issue whose id is already known adds its terms to it, a new id adds an issue.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["KINDS", "IssueDef", "LexiconError", "load_lexicon", "word_prefixes"]

BUNDLED = Path(__file__).parent / "lexicon.toml"
KINDS = ("specific", "broad", "general", "meeting")


class LexiconError(ValueError):
    """An issues file that cannot be read: the message names the file and the problem."""


@dataclass(frozen=True)
class IssueDef:
    """One issue: its key, the name shown, its kind and the compiled patterns of its terms."""

    id: str
    name: str
    kind: str
    terms: tuple[str, ...]
    pattern: re.Pattern[str]
    within: tuple[str, ...] = ()  # wider issues this one is part of (Iran within the Middle East)
    # The first word of each term, lower case: a match starts at a word that begins with one of
    # them, so a set test skips the regex for the many issues a statement does not name.
    anchors: frozenset[str] = frozenset()

    def finditer(self, text: str, prefixes: frozenset[str]) -> list[re.Match[str]]:
        """The pattern's matches in text; ``prefixes`` is ``word_prefixes(text)``, for the quick test."""
        if self.anchors and self.anchors.isdisjoint(prefixes):
            return []
        return list(self.pattern.finditer(text))


_WORD = re.compile(r"\w+")


# Prefixes (and anchors) are cut at this length: a line of Chinese with no spaces is one "word"
# of half a megabyte, whose every prefix would fill the memory.
ANCHOR_LENGTH = 24


def word_prefixes(text: str) -> frozenset[str]:
    """Every prefix of every word of a text, lower case, up to ANCHOR_LENGTH ("sanctions": "s", ..., "sanctions")."""
    words = {m.group().lower()[:ANCHOR_LENGTH] for m in _WORD.finditer(text)}
    return frozenset(word[:k] for word in words for k in range(1, len(word) + 1))


def _anchor(term: str) -> str:
    first = _WORD.search(term.lower())
    return first.group()[:ANCHOR_LENGTH] if first else ""


def _term_regex(term: str) -> str:
    """A term as a regex: words literal, a trailing * any word ending, word boundaries outside."""
    wild = term.endswith("*")
    body = re.escape(term.rstrip("*")).replace(r"\ ", r"\s+")
    body = body.replace("'", "['’]")
    if wild:
        body += r"[\w'’-]*"
    core = f"(?<![\\w]){body}(?![\\w])"
    # Acronyms (AI, WHO, SCO) are matched in their own case only: "who" is not the WHO.
    if re.fullmatch(r"[A-Z0-9.\-]{2,6}s?", term.rstrip("*")):
        return core
    return f"(?i:{core})"


def _parse(path: Path) -> list[dict[str, object]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise LexiconError(f"{path}: cannot read the issues file ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise LexiconError(f"{path}: the issues file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise LexiconError(f"{path}: not valid TOML ({error})") from None
    issues = data.get("issue")
    if not isinstance(issues, list) or not issues:
        raise LexiconError(f"{path}: no [[issue]] tables")
    out: list[dict[str, object]] = []
    for k, item in enumerate(issues, start=1):
        if not isinstance(item, dict):
            raise LexiconError(f"{path}: issue {k} is not a table")
        issue_id = item.get("id")
        terms = item.get("terms")
        if not isinstance(issue_id, str) or not issue_id.strip():
            raise LexiconError(f"{path}: issue {k} has no id")
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            raise LexiconError(f"{path}: issue {issue_id!r} needs a non-empty list of terms")
        kind = item.get("kind", "specific")
        if kind not in KINDS:
            raise LexiconError(f"{path}: issue {issue_id!r} has kind {kind!r}; use one of {', '.join(KINDS)}")
        name = item.get("name", issue_id)
        if not isinstance(name, str):
            raise LexiconError(f"{path}: issue {issue_id!r} has a name that is not a string")
        within = item.get("within", [])
        if not isinstance(within, list) or not all(isinstance(w, str) for w in within):
            raise LexiconError(f"{path}: issue {issue_id!r} has a 'within' that is not a list of ids")
        out.append({"id": issue_id.strip(), "name": name, "kind": kind, "terms": [t.strip() for t in terms],
                    "within": within})
    return out


@lru_cache(maxsize=8)
def load_lexicon(user_file: str | None = None) -> tuple[IssueDef, ...]:
    """The bundled issues, extended by a user file when one is given (read once per path)."""
    merged: dict[str, dict[str, object]] = {}
    for path in (BUNDLED, *([Path(user_file)] if user_file else [])):
        for item in _parse(path):
            known = merged.get(str(item["id"]))
            if known is None:
                merged[str(item["id"])] = item
            else:
                known["terms"] = [*known["terms"], *item["terms"]]  # type: ignore[misc]
                known["within"] = [*known["within"], *item["within"]]  # type: ignore[misc]
    out = []
    for item in merged.values():
        terms = tuple(dict.fromkeys(item["terms"]))  # type: ignore[call-overload]
        pattern = re.compile("|".join(_term_regex(t) for t in sorted(terms, key=lambda t: (-len(t), t))))
        within = tuple(w for w in dict.fromkeys(item["within"]) if w in merged)  # type: ignore[call-overload]
        anchors = frozenset(_anchor(t) for t in terms)
        anchors = frozenset() if "" in anchors else anchors  # a term without a word: always run the pattern
        out.append(IssueDef(str(item["id"]), str(item["name"]), str(item["kind"]), terms, pattern, within, anchors))
    return tuple(out)
