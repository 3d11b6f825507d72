"""``diffreadout eval``: run the pipeline on every gold case and print the FORMAT.md figures."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from diffreadout.config import DEFAULT_MAX_BYTES, AnalysisConfig
from diffreadout.core.similarity.embed import Embedder, ModelError
from diffreadout.core.pipeline import compare, make_readout, readout_from_spans
from diffreadout.evaluation.cases import CaseError, GoldCase, find_cases, load_case
from diffreadout.evaluation.scoring import Score, score_comparison, total
from diffreadout.inputs.sources import InputError, check_statement_count
from diffreadout.model import Comparison
from diffreadout.textsafe import printable


def comparison_for_case(case: GoldCase, config: AnalysisConfig, embedder: Embedder, gold_segments: bool) -> Comparison:
    """Run the pipeline on one case, with our segmentation or the gold statements."""
    readouts = []
    for side, text, label, name in zip("AB", case.texts, case.labels, case.files):
        if gold_segments:
            spans = [(s, e) for _, s, e in sorted(case.statements[side], key=lambda g: g[1])]
            readouts.append(readout_from_spans(side, label, name, text, spans))
        else:
            readouts.append(make_readout(side, label, name, text, segment_mode=config.segment))
        try:
            check_statement_count(str(case.folder / name), len(readouts[-1].statements))
        except InputError as exc:
            raise CaseError(str(exc)) from exc
    return compare(readouts, config, embedder=embedder)


def evaluate_cases(
    root: Path,
    config: AnalysisConfig,
    embedder: Embedder,
    gold_segments: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_problem: Callable[[str], None] | None = None,
) -> list[tuple[GoldCase, Score]]:
    """Score every case folder under root.

    With on_problem, a bad case is reported through it (one line naming the case) and the
    others are still scored; without, the first bad case raises CaseError.
    """
    results = []
    for folder in find_cases(root):
        try:
            case = load_case(folder, max_bytes=max_bytes)
            results.append((case, score_comparison(comparison_for_case(case, config, embedder, gold_segments), case)))
        except CaseError as exc:
            if on_problem is None:
                raise
            on_problem(str(exc))
    return results


def format_table(results: list[tuple[GoldCase, Score]]) -> str:
    """Per-case rows and the micro-averaged total, as aligned text."""
    head = f"{'case':48s} {'pairP':>6s} {'pairR':>6s} {'pairF1':>6s} {'labF1':>6s} {'omP':>6s} {'omR':>6s} {'omF1':>6s}"
    lines = [head, "-" * len(head)]
    rows = [(printable(case.id, keep_newlines=False)[:48], score) for case, score in results]
    rows.append(("micro-average over %d cases" % len(results), total(s for _, s in results)))
    for name, score in rows:
        d = score.as_dict()
        if name.startswith("micro-average"):
            lines.append("-" * len(head))
        lines.append(
            f"{name:48s} {d['pair_precision']:6.3f} {d['pair_recall']:6.3f} {d['pair_f1']:6.3f} "
            f"{d['labelled_f1']:6.3f} {d['omission_precision']:6.3f} {d['omission_recall']:6.3f} {d['omission_f1']:6.3f}"
        )
    return "\n".join(lines)


def run_eval(
    cases_dir: str,
    *,
    fmt: str,
    gold_segments: bool,
    config: AnalysisConfig,
    embedder_factory: Callable[[], Any],
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> int:
    """The eval command's body; returns the exit code."""
    root = Path(cases_dir)
    if not root.exists():
        click.echo(f"diffreadout: error: {printable(cases_dir)}: no such folder", err=True)
        return 1
    if not root.is_dir():
        click.echo(f"diffreadout: error: {printable(cases_dir)}: not a folder", err=True)
        return 1
    if not find_cases(root):
        click.echo(f"diffreadout: error: {printable(cases_dir)}: no case folders (with a case.json) found", err=True)
        return 1
    problems: list[str] = []

    def report_problem(message: str) -> None:
        problems.append(message)
        click.echo(f"diffreadout: error: {printable(message, keep_newlines=False)}", err=True)

    try:
        results = evaluate_cases(root, config, embedder_factory(), gold_segments, max_bytes=max_bytes,
                                 on_problem=report_problem)
    except ModelError as exc:  # a bad case is reported by report_problem and skipped
        click.echo(f"diffreadout: error: {printable(str(exc), keep_newlines=False)}", err=True)
        return 1
    if not results:
        return 1  # each case's problem has been said, one line each
    if fmt == "json":
        payload = {
            "cases": [{"id": case.id, **score.as_dict()} for case, score in results],
            "micro_average": total(s for _, s in results).as_dict(),
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        click.echo(format_table(results))
    if problems:
        click.echo(f"diffreadout: {len(problems)} of {len(problems) + len(results)} cases skipped (see above)", err=True)
        return 1
    return 0
