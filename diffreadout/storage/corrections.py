"""The analyst's corrections files: user data under $XDG_DATA_HOME/diffreadout, never the cache.

One JSON file per pair of readouts, named by their sha256s; every change is written
atomically (a temporary file in the same folder, fsync, os.replace), so a crash or Ctrl-C
leaves the previous version or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


class CorrectionsFileError(Exception):
    """A corrections file cannot be read or written; str() is one line naming the file."""


def default_data_dir() -> Path:
    """$DIFFREADOUT_DATA_DIR, else $XDG_DATA_HOME/diffreadout, else ~/.local/share/diffreadout."""
    explicit = os.environ.get("DIFFREADOUT_DATA_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "diffreadout"


def corrections_path(sha_a: str, sha_b: str, data_dir: Path | str | None = None) -> Path:
    """Where the corrections of this pair of readouts live."""
    root = Path(data_dir) if data_dir else default_data_dir()
    return root / "corrections" / f"{sha_a}-{sha_b}.json"


def read_json(path: Path) -> dict[str, Any] | None:
    """The parsed file, None when it does not exist; CorrectionsFileError when unreadable or not JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise CorrectionsFileError(f"{path}: cannot be read ({exc})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorrectionsFileError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict):
        raise CorrectionsFileError(f"{path}: not a JSON object")
    return data


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write atomically: temp file in the same folder, fsync, os.replace (and fsync the folder)."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        try:
            dir_fd = os.open(path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)
    except OSError as exc:
        raise CorrectionsFileError(f"{path}: cannot be written ({exc.strerror or exc})") from exc
