"""The only input I/O: read a readout from a path or standard input, decode it, or say why not.

Every failure raises :class:`InputError`, whose message is one line naming the input and the
problem, so the CLI can print it as is and exit 1.

Offsets used everywhere else index ``Source.text``: the decoded text after removing a
byte-order mark and translating ``\\r\\n`` and lone ``\\r`` to ``\\n`` exactly as Python's text
mode does, so a UTF-8 file without a BOM gives the same text as
``open(path, encoding="utf-8").read()``.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from diffreadout.config import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from diffreadout.model import Readout

__all__ = [
    "DOCUMENTED_EXTENSIONS",
    "InputError",
    "MAX_STATEMENTS",
    "Source",
    "check_statement_count",
    "decode_bytes",
    "default_label",
    "default_labels",
    "read_source",
    "segment_source",
]

STDIN_NAME = "<stdin>"
# Statements are compared all against all, and some analyses grow faster than that: a readout
# with more statements than this is refused with a message instead of exhausting time and
# memory. Real readouts have tens to a few hundred.
MAX_STATEMENTS = 2000
# Documented input formats; any other extension is still read as text.
DOCUMENTED_EXTENSIONS = (".txt", ".md", ".html", ".htm")

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
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_CYRILLIC_WORD = re.compile(r"[^\W\d_]+")
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


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        value, unit = n / 1024, "KB"
    else:
        value, unit = n / (1024 * 1024), "MB"
    text = f"{value:.1f}"
    return f"{text.removesuffix('.0')} {unit}"


def _too_large(name: str, size: int | None, max_bytes: int) -> InputError:
    limit = _size(max_bytes)
    if size is None:
        what = "input"
    else:
        what = _size(size)
        if what == limit:  # e.g. one byte over: show exact counts rather than "5 MB over 5 MB"
            what, limit = f"{size:,} bytes", f"{max_bytes:,}-byte"
    return InputError(name, f"{what} is over the {limit} limit (use --max-bytes to raise it)")


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a special file"


def _os_error(name: str, path: str, exc: OSError) -> InputError:
    code = exc.errno
    if code == errno.ENOENT:
        if os.path.islink(path):
            return InputError(name, "broken symbolic link (its target does not exist)")
        return InputError(name, "file not found")
    if code in (errno.EACCES, errno.EPERM):
        return InputError(name, "permission denied")
    if code == errno.ELOOP:
        return InputError(name, "too many levels of symbolic links (a symlink loop?)")
    if code == errno.ENOTDIR:
        return InputError(name, "file not found (a part of the path is not a directory)")
    if code == errno.EISDIR:
        return InputError(name, "is a directory, not a file")
    if code == errno.ENAMETOOLONG:
        return InputError(name, "file name too long")
    reason = exc.strerror or type(exc).__name__
    return InputError(name, f"cannot read ({reason.lower()})")


def _read_capped(stream: BinaryIO, limit: int) -> bytes:
    """Read at most limit bytes, looping because raw streams may return short reads."""
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _read_file(path: str, name: str, max_bytes: int) -> bytes:
    try:
        # stat first: opening a FIFO for reading would block until a writer appears.
        st = os.stat(path)
    except OSError as exc:
        raise _os_error(name, path, exc) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(name, "is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(name, f"is {_kind_of(st.st_mode)}, not a regular file")
    if st.st_size > max_bytes:
        raise _too_large(name, st.st_size, max_bytes)
    try:
        # O_NONBLOCK guards the race where the path is swapped for a FIFO after the stat.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _os_error(name, path, exc) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(name, "is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = _read_capped(stream, max_bytes + 1)
    except OSError as exc:
        raise _os_error(name, path, exc) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # the file grew, or its size was not known to stat
        raise _too_large(name, None, max_bytes)
    return data


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
    for match in _CYRILLIC_WORD.finditer(text):
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


def read_source(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Source:
    """Read and decode one readout from a file path, or from standard input when path is "-".

    Refuses anything but regular files (and stdin) before opening it, so a FIFO never blocks,
    and reads at most max_bytes + 1 bytes. Any failure raises InputError.
    """
    path_str = os.fspath(path)
    from diffreadout.inputs import is_url  # here, not at the top: diffreadout.inputs imports this module

    if is_url(path_str):
        from diffreadout.inputs import read_url

        return read_url(path_str, max_bytes=max_bytes)
    if path_str == "-":
        name = STDIN_NAME
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            data = _read_capped(stream, max_bytes + 1)
        except OSError as exc:
            reason = (exc.strerror or type(exc).__name__).lower()
            raise InputError(name, f"cannot read ({reason})") from None
        if len(data) > max_bytes:
            raise _too_large(name, None, max_bytes)
        source_path: str | None = None
    else:
        name = path_str
        if not path_str:
            raise InputError("''", "empty file name")
        data = _read_file(path_str, name, max_bytes)
        source_path = path_str
    from diffreadout.inputs import is_html_name, looks_like_html

    if is_html_name(path_str) or looks_like_html(data):
        from diffreadout.inputs import extract_html

        text, encoding = extract_html(data, name)
    else:
        text, encoding = decode_bytes(data, name)
    return Source(
        name=name,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        path=source_path,
    )


def check_statement_count(name: str, count: int, limit: int = MAX_STATEMENTS) -> None:
    """Raise InputError when one readout has more statements than the analysis can take."""
    if count > limit:
        raise InputError(
            name, f"{count:,} statements is over the {limit:,}-statement limit for one readout (split it into parts)"
        )


def segment_source(source: Source, side: str, label: str, segment_mode: str = "sentences") -> Readout:
    """Cut a decoded input into a Readout (statements with offsets); InputError past the statement limit."""
    from diffreadout.core.text.readouts import make_readout

    readout = make_readout(
        side, label, source.name, source.text, segment_mode=segment_mode, sha256=source.sha256, encoding=source.encoding
    )
    check_statement_count(source.name, len(readout.statements))
    return readout


_LABEL_UNDERSCORES = re.compile(r"[_\s]+")
_LABEL_HYPHENS = re.compile(r"-{2,}|(?<![^\W_])-|-(?![^\W_])")


def _clean(stem: str) -> str:
    """Turn a file or folder name into words: underscores and stray hyphens become spaces."""
    words = _LABEL_UNDERSCORES.sub(" ", stem)
    words = _LABEL_HYPHENS.sub(" ", words)
    return " ".join(words.split())


def default_label(path: str) -> str:
    """Return a readable label from a file name: "fixtures/ru-mfa_lavrov.txt" -> "ru-mfa lavrov".

    The extension is dropped, underscores and hyphen runs become spaces (a single hyphen inside a
    word is kept); "-" (standard input) gives "stdin".
    """
    if path == "-":
        return "stdin"
    from diffreadout.inputs import is_url, url_label

    if is_url(path):
        return url_label(path)
    base = os.path.basename(os.path.normpath(path)) or path
    stem, _ext = os.path.splitext(base)
    return _clean(stem) or _clean(base) or base


def default_labels(paths: list[str]) -> list[str]:
    """Return one label per path, made distinct where names collide.

    Colliding labels take parent folder names ("ru/readout", "cn/readout") until they differ;
    paths that are still alike (the same file twice) are numbered: "a (1)", "a (2)".
    """
    labels = [default_label(p) for p in paths]
    parts = [
        [] if p == "-" else [_clean(x) or x for x in os.path.abspath(p).split(os.sep)[:-1] if x]
        for p in paths
    ]
    depth = 0
    while True:
        clashing = {i for i, label in enumerate(labels) if labels.count(label) > 1}
        if not clashing:
            return labels
        depth += 1
        grew = False
        for i in clashing:
            if depth <= len(parts[i]):
                labels[i] = "/".join(parts[i][-depth:] + [default_label(paths[i])])
                grew = True
        if not grew:
            break
    for i in {i for i, label in enumerate(labels) if labels.count(label) > 1}:
        labels[i] = default_label(paths[i])  # folders did not tell them apart: number them
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    numbered: dict[str, int] = {}
    result = []
    for label in labels:
        if seen[label] > 1:
            numbered[label] = numbered.get(label, 0) + 1
            result.append(f"{label} ({numbered[label]})")
        else:
            result.append(label)
    return result
