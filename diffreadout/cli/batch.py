"""``diffreadout report --batch DIR``: one report per pair folder, embedding everything once.

All statements of all pairs are embedded in one batched call before any pair is aligned, so
the model runs at full batch efficiency; each pair then aligns from memory.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from diffreadout.config import AnalysisConfig
from diffreadout.core.pipeline import compare
from diffreadout.core.similarity.embed import Embedder, MemoEmbedder, ModelError
from diffreadout.evaluation.cases import CaseError, read_case_data
from diffreadout.inputs.sources import InputError, default_labels, read_source, segment_source
from diffreadout.model import Readout
from diffreadout.output import OutputError, write_output
from diffreadout.textsafe import printable

READOUT_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class PairJob:
    """One pair folder and where its report goes."""

    name: str
    paths: tuple[str, str]
    labels: tuple[str, str]


def find_pairs(root: Path) -> tuple[list[PairJob], list[str]]:
    """Pair folders under root: a case.json naming two readouts, or exactly two .txt/.md files."""
    jobs: list[PairJob] = []
    problems: list[str] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        case_file = folder / "case.json"
        if case_file.is_file():
            try:
                readouts = sorted(read_case_data(case_file)["readouts"], key=lambda r: r["side"])[:2]
                paths = tuple(str(folder / r["file"]) for r in readouts)
                labels = tuple(str(r.get("label") or r["file"]) for r in readouts)
            except (CaseError, ValueError, KeyError, TypeError, AttributeError) as exc:
                problems.append(f"{case_file}: cannot read the readouts it names ({exc})")
                continue
            if len(paths) == 2:
                jobs.append(PairJob(folder.name, (paths[0], paths[1]), (labels[0], labels[1])))
                continue
        files = sorted(str(p) for p in folder.iterdir() if p.is_file() and p.suffix.lower() in READOUT_SUFFIXES)
        if len(files) == 2:
            names = default_labels(files)
            jobs.append(PairJob(folder.name, (files[0], files[1]), (names[0], names[1])))
        else:
            problems.append(f"{folder}: skipped, holds {len(files)} .txt/.md readouts, not 2")
    return jobs, problems


def run_batch(
    batch_dir: str,
    output: str,
    *,
    fmt: str,
    force: bool,
    max_bytes: int,
    config: AnalysisConfig,
    embedder: Embedder,
    render: Callable[[Any, str], str],
) -> int:
    """Write one report per pair; returns 0, or 1 if any pair failed (the others still run)."""
    root = Path(batch_dir)
    if not root.is_dir():
        click.echo(f"diffreadout: error: {printable(batch_dir)}: not a folder", err=True)
        return 1
    if output == "-":
        click.echo("diffreadout: error: with --batch, -o must name an output folder", err=True)
        return 2
    out_dir = Path(output)
    if out_dir.exists() and not out_dir.is_dir():
        click.echo(f"diffreadout: error: {printable(output)}: exists and is not a folder", err=True)
        return 1
    jobs, problems = find_pairs(root)
    for problem in problems:
        click.echo(f"diffreadout: warning: {printable(problem)}", err=True)
    if not jobs:
        click.echo(f"diffreadout: error: {printable(batch_dir)}: no pair folders found", err=True)
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    loaded: list[tuple[PairJob, list[Readout]]] = []
    failures = 0
    written = 0
    for job in jobs:
        try:
            readouts = [
                segment_source(read_source(path, max_bytes=max_bytes), side, label, config.segment)
                for side, path, label in zip("AB", job.paths, job.labels)
            ]
            loaded.append((job, readouts))
        except InputError as exc:
            failures += 1
            click.echo(f"diffreadout: error: {printable(str(exc))}", err=True)
    memo = MemoEmbedder(embedder)
    suffix = ".json" if fmt == "json" else ".md"
    try:
        memo.prefill([st.text for _, readouts in loaded for r in readouts for st in r.statements])
        with click.progressbar(loaded, label="comparing", file=sys.stderr,
                               item_show_func=lambda item: printable(item[0].name, keep_newlines=False) if item else None) as bar:
            for job, readouts in bar:
                comparison = compare(readouts, config, embedder=memo)
                target = out_dir / (job.name + suffix)
                try:
                    write_output(os.fspath(target), render(comparison, fmt), force=force)
                    written += 1
                except OutputError as exc:
                    failures += 1
                    click.echo(f"\ndiffreadout: error: {printable(str(exc))}", err=True)
    except ModelError as exc:
        click.echo(f"diffreadout: error: {printable(str(exc))}", err=True)
        return 1
    click.echo(f"wrote {written} of {len(jobs)} reports to {printable(str(out_dir))}", err=True)
    return 1 if failures else 0
