"""An analyst's corrections of an alignment: the file format (a gold case plus notes), applying, editing."""

from __future__ import annotations

from diffreadout.core.corrections.apply import ApplyReport, apply, make_link
from diffreadout.core.corrections.edits import join, link_statements, set_label, set_note, split_link, unlink
from diffreadout.core.corrections.format import (
    CorrectionLink,
    Corrections,
    CorrectionsError,
    CorrectionStatement,
    from_comparison,
    from_dict,
    text_sha256,
    to_dict,
    with_texts,
)

__all__ = [
    "ApplyReport",
    "CorrectionLink",
    "CorrectionStatement",
    "Corrections",
    "CorrectionsError",
    "apply",
    "make_link",
    "from_comparison",
    "from_dict",
    "join",
    "link_statements",
    "set_label",
    "set_note",
    "split_link",
    "text_sha256",
    "to_dict",
    "unlink",
    "with_texts",
]
