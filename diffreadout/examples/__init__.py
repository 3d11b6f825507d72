"""The bundled example pair that ``diffreadout demo`` opens (readouts we wrote ourselves)."""

from __future__ import annotations

from pathlib import Path

from diffreadout.inputs.sources import read_source

DEMO_DIR = Path(__file__).resolve().parent / "lavrov-wang-2025-02"
DEMO_LABELS = ("Russian MFA", "Chinese MFA")


def demo_paths() -> tuple[str, str]:
    """Paths of the two demo readouts."""
    return str(DEMO_DIR / "a.txt"), str(DEMO_DIR / "b.txt")


def demo_sources() -> list[tuple[str, str, str, str, str]]:
    """(label, source name, text, sha256 of the bytes, encoding) for each demo readout."""
    out = []
    for label, path in zip(DEMO_LABELS, demo_paths()):
        source = read_source(path)
        out.append((label, Path(path).name, source.text, source.sha256, source.encoding))
    return out
