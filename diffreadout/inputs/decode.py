"""Decoding input bytes to text, and the error every input failure raises.

Every failure raises :class:`InputError`, whose message is one line naming the input and the
problem, so the CLI can print it as is and exit 1.

Offsets used everywhere else index ``Source.text``: the decoded text after removing a
byte-order mark and translating ``\\r\\n`` and lone ``\\r`` to ``\\n`` exactly as Python's text
mode does, so a UTF-8 file without a BOM gives the same text as
``open(path, encoding="utf-8").read()``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from diffreadout.core.text.words import LETTERS
from diffreadout.textsafe import C0_NOT_SPACE, DEL_C1_BUT_NEL, char_class

__all__ = ["InputError", "STDIN_NAME", "Source", "decode_bytes"]

STDIN_NAME = "<stdin>"


# Checked longest first, so a UTF-32 LE BOM is not taken for a UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A decoded text is refused as binary when more than this share of it is control characters.
_MAX_CONTROL_SHARE = 0.05
# A legacy-encoding reading is accepted only when at least this share of it looks like language.
_MIN_PLAUSIBILITY = 0.8
# Plausibility is judged on a prefix; the whole input must still decode strictly.
_SNIFF_BYTES = 64 * 1024
_NEWLINES = re.compile(r"\r\n?")
# Control characters (Unicode category Cc) that are not whitespace.
_CONTROL = char_class(C0_NOT_SPACE, DEL_C1_BUT_NEL)
# Punctuation that Russian text in cp1251 commonly carries (quotes, dashes, numero, NBSP...).
_RU_PUNCT = frozenset("«»„“”‘’‚–—…№\u00a0\u00ad")


class InputError(Exception):
    """An input that cannot be read as a readout; str() is one line naming it and the problem."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


@dataclass(frozen=True)
class Source:
    """One decoded input: its display name, text, detected encoding and the raw bytes' hash."""

    name: str
    text: str
    encoding: str
    sha256: str
    path: str | None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _russian_plausibility(text: str) -> float:
    """Share of non-ASCII characters that sit in well-formed Cyrillic words or Russian punctuation.

    Bytes of another legacy encoding read as cp1251 give Cyrillic letters in random case
    ("ЦРъКП"), words mixing scripts, and stray symbols; Russian gives lower-case, Title-case or
    upper-case Cyrillic words.
    """
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if not non_ascii:
        return 1.0
    good = sum(1 for ch in text if ch in _RU_PUNCT)
    for match in LETTERS.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        cyrillic = all("\u0400" <= ch <= "\u04ff" for ch in word)
        title_case = word[0].isupper() and word[1:].islower()
        well_formed = word.islower() or word.isupper() or title_case
        if cyrillic and well_formed:
            good += len(word)
    return good / non_ascii


def _chinese_plausibility(data: bytes) -> float:
    """Share of GB double-byte characters that are common Chinese text.

    Common means GB2312 punctuation and symbols (lead byte A1-A9) or level-1 hanzi (lead byte
    B0-D7, the 3,755 most frequent characters). Russian cp1251 bytes read as GB18030 land mostly
    on lead bytes E0-FF (the lower-case letters), outside both.
    """
    common = total = 0
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        if byte < 0x80:
            i += 1
            continue
        total += 1
        if 0xA1 <= byte <= 0xA9 or 0xB0 <= byte <= 0xD7:
            common += 1
        # A second byte in 0x30-0x39 means a four-byte GB18030 sequence.
        i += 4 if i + 1 < n and 0x30 <= data[i + 1] <= 0x39 else 2
    return common / total if total else 1.0


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decode_legacy(data: bytes) -> tuple[str, str] | None:
    """Decode non-UTF-8 bytes as cp1251 or GB18030, whichever reads as plausible language."""
    sample = data[:_SNIFF_BYTES]
    candidates: list[tuple[float, str]] = []
    ru_sample = _strict(sample, "cp1251")
    if ru_sample is not None:
        candidates.append((_russian_plausibility(ru_sample), "cp1251"))
    zh_sample = _strict(sample, "gb18030")
    if zh_sample is not None or len(data) > _SNIFF_BYTES:  # the cut may split a character
        candidates.append((_chinese_plausibility(sample), "gb18030"))
    # On a tie GB18030 wins: short Chinese often reads as "plausible" cp1251 ("中国" -> "ЦР№ъ"),
    # while Russian cp1251 text almost never decodes strictly as GB18030.
    ranked = sorted(candidates, key=lambda c: (c[0], c[1] == "gb18030"), reverse=True)
    for score, encoding in ranked:
        if score < _MIN_PLAUSIBILITY:
            break
        text = _strict(data, encoding)
        if text is not None:
            return text, encoding
    return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Decode UTF-16 that has no byte-order mark, when its zero bytes give it away.

    UTF-8 and the legacy encodings never hold a zero byte; UTF-16 text holds one in the high
    byte of every ASCII character (spaces, digits, Latin letters), always on the same side:
    odd positions for little-endian, even ones for big-endian. Binary data has zeros on both.
    The text must then decode strictly and hold spaces and hardly any unassigned code points.
    """
    units = len(data) // 2
    if units < 2 or len(data) % 2 or 0 not in data:
        return None
    zeros_even, zeros_odd = data[0::2].count(0), data[1::2].count(0)
    for heavy, light, encoding in ((zeros_odd, zeros_even, "utf-16-le"), (zeros_even, zeros_odd, "utf-16-be")):
        if heavy >= 2 and heavy * 16 >= units and light * 8 <= heavy:
            text = _strict(data, encoding)
            if text is None or "\x00" in text or not any(ch.isspace() for ch in text):
                continue
            if _unassigned_share(text) <= _MAX_CONTROL_SHARE:
                return text, encoding
    return None


def _unassigned_share(text: str) -> float:
    """Share of characters that no text holds: unassigned code points and private use."""
    return sum(1 for ch in text if unicodedata.category(ch) in ("Cn", "Co")) / max(1, len(text))


def _mixed_encoding_line(data: bytes) -> int | None:
    """The first line that is not UTF-8 in a file whose other lines are UTF-8, or None.

    A line of cp1251 or GB18030 text with two or more non-ASCII characters is practically
    never valid UTF-8 by accident, so such a valid line next to an invalid one means the file
    was pasted together from different encodings, and no single decoding can read it.
    """
    first_invalid: int | None = None
    utf8_line = False
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        if _strict(line, "utf-8") is None:
            first_invalid = first_invalid or number
        elif sum(1 for byte in line if byte >= 0xC0) >= 2:  # two multi-byte characters
            utf8_line = True
        if first_invalid is not None and utf8_line:
            return first_invalid
    return None


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode raw input bytes to (text, encoding), or raise InputError naming the problem.

    Tries a BOM (UTF-8, UTF-16, UTF-32), then UTF-16 without one (recognised by its zero
    bytes), then strict UTF-8, then cp1251 and GB18030 judged by plausibility; a file whose
    lines mix UTF-8 with another encoding is refused rather than half garbled. The BOM is
    removed and newlines are translated as in Python's text mode.
    """
    if not data:
        raise InputError(name, "input is empty" if name == STDIN_NAME else "file is empty")
    text: str | None = None
    encoding = ""
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], bom_encoding.removesuffix("-sig"))
            if text is None:
                bom_name = f"a {bom_encoding} byte-order mark"
                raise InputError(name, f"starts with {bom_name} but is not valid {bom_encoding}")
            encoding = bom_encoding
            if not text:
                raise InputError(name, "contains only a byte-order mark, no text")
            break
    if text is None:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            text, encoding = utf16
        elif b"\x00" in data:
            raise InputError(name, "looks like binary data (NUL bytes), not text")
        else:
            text = _strict(data, "utf-8")
            encoding = "utf-8"
    if text is None:
        mixed_line = _mixed_encoding_line(data)
        if mixed_line is not None:
            raise InputError(
                name, f"mixes text encodings (some lines are UTF-8, line {mixed_line} is not); save it as UTF-8"
            )
        legacy = _decode_legacy(data)
        if legacy is None:
            raise InputError(name, "cannot decode text (not UTF-8, UTF-16, cp1251 or GB18030)")
        text, encoding = legacy
    if not text.strip():
        raise InputError(name, "contains only whitespace")
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise InputError(name, "looks like binary data (control characters), not text")
    return _NEWLINES.sub("\n", text), encoding

