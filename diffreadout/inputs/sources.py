"""The only input I/O: read a readout from a path, standard input or a URL, or say why not.

Every failure raises :class:`InputError` (see :mod:`diffreadout.inputs.decode`), whose message
is one line naming the input and the problem.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import sys
from typing import TYPE_CHECKING, BinaryIO

from diffreadout.config import DEFAULT_MAX_BYTES
from diffreadout.inputs.decode import STDIN_NAME, InputError, Source, decode_bytes
from diffreadout.inputs.fetch import is_url, read_url, url_label
from diffreadout.inputs.html import extract_html, is_html_name, looks_like_html

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

# Statements are compared all against all, and some analyses grow faster than that: a readout
# with more statements than this is refused with a message instead of exhausting time and
# memory. Real readouts have tens to a few hundred.
MAX_STATEMENTS = 2000
# Documented input formats; any other extension is still read as text.
DOCUMENTED_EXTENSIONS = (".txt", ".md", ".html", ".htm")


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
    if is_url(path_str):
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
    if is_html_name(path_str) or looks_like_html(data):
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
