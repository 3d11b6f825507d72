"""Exports for three or more readouts: the claim x source matrix in Markdown, and JSON groups.

Pure functions of a MultiComparison; the same escaping as the two-readout report applies to
every piece of readout text.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from diffreadout.export.json import FORMAT_VERSION, _finite, _link_dict, _readout_dict
from diffreadout.export.markdown import provenance_lines
from diffreadout.export.mdtext import escape_inline, readout_label, visible_controls
from diffreadout.model import ClaimGroup, MultiComparison
from diffreadout.present import present, timestamp
from diffreadout.present.warnings import language_warnings

_STATUS_WORDS = {"present": "present", "differs": "differs", "absent": "absent"}


def to_json_dict(multi: MultiComparison, *, version: str | None = None) -> dict[str, Any]:
    """The JSON contract for N readouts: readouts, claim groups, and every pairwise alignment."""
    if version is None:
        from diffreadout import __version__ as version
    return {
        "version": FORMAT_VERSION,
        "generator": {"name": "diffreadout", "version": version},
        "readouts": [_readout_dict(r) for r in multi.readouts],
        "groups": [
            {
                "statements": {side: list(ids) for side, ids in group.statements},
                "label": group.label,
                "status": dict(group.status),
            }
            for group in multi.groups
        ],
        "pairs": [
            {
                "a": pair.a.side,
                "b": pair.b.side,
                "links": [_link_dict(link, present(pair)) for link in pair.links],
                "omissions": {side: list(ids) for side, ids in pair.omissions.items()},
            }
            for pair in multi.pairs
        ],
        "model": {"name": multi.model.name, "sha256": multi.model.sha256},
        "thresholds": dict(multi.thresholds),
    }


def dumps(multi: MultiComparison, *, version: str | None = None) -> str:
    """Serialise to JSON text (UTF-8, indented, NaN written as null)."""
    from diffreadout.export.json import _UNSAFE_IN_JSON

    text = json.dumps(_finite(to_json_dict(multi, version=version)), ensure_ascii=False, indent=2, allow_nan=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _claim_text(multi: MultiComparison, group: ClaimGroup) -> str:
    """The claim as its first source words it (the first side that reports it)."""
    side, ids = group.statements[0]
    readout = multi.readout(side)
    first = readout.statement(ids[0])
    return f"`{first.id}` {escape_inline(visible_controls(first.text))}"


def render_markdown(multi: MultiComparison, *, version: str, generated: datetime | date | str) -> str:
    """The N-readout report: provenance, summary, claim x source matrix, and each claim quoted."""
    stamp = timestamp(generated)
    names = [readout_label(r) for r in multi.readouts]
    lines = [f"# {', '.join(names)}: readouts compared", ""]
    warnings = language_warnings(multi.readouts, multi.model.name)
    lines += provenance_lines(multi.readouts, multi.model, multi.thresholds, version, stamp, warnings=warnings)
    lines += [
        "## Summary",
        "",
    ]
    everywhere = sum(1 for g in multi.groups if all(s != "absent" for _, s in g.status))
    single = sum(1 for g in multi.groups if g.label == "omission")
    lines.append(
        f"{len(multi.groups)} claims across {len(multi.readouts)} readouts: {everywhere} reported by all, "
        f"{len(multi.groups) - everywhere - single} by some, {single} by one readout only. "
        + " ".join(
            f"{readout_label(r)} reports {sum(1 for g in multi.groups if g.status_of(r.side) != 'absent')} of them."
            for r in multi.readouts
        )
    )
    lines += ["", "## Claims by source", ""]
    lines.append(
        "Each row is one claim (statements linked across readouts). present: reported as the others do; "
        "differs: reported with a difference in emphasis; absent: not reported."
    )
    lines.append("")
    lines.append(_row(["Claim", *names]))
    lines.append("|" + "|".join(["---"] * (1 + len(names))) + "|")
    for group in multi.groups:
        cells = [_claim_text(multi, group)]
        for r in multi.readouts:
            ids = group.ids(r.side)
            status = _STATUS_WORDS[group.status_of(r.side)]
            cells.append(f"{status} " + " ".join(f"`{x}`" for x in ids) if ids else status)
        lines.append(_row(cells))
    lines += ["", "## Claims quoted", ""]
    for number, group in enumerate(multi.groups, start=1):
        lines.append(f"### Claim {number} ({group.label})")
        lines.append("")
        for side, ids in group.statements:
            readout = multi.readout(side)
            for statement_id in ids:
                st = readout.statement(statement_id)
                lines.append(f"- {readout_label(readout)}, `{st.id}`: {escape_inline(visible_controls(st.text))}")
        lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
