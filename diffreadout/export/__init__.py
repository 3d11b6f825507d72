"""Exports of a Comparison: the Markdown report and the JSON contract (both pure)."""

from __future__ import annotations

from diffreadout.export.json import dumps, from_json_dict, loads, to_json_dict
from diffreadout.export.markdown import render_markdown

__all__ = ["dumps", "from_json_dict", "loads", "render_markdown", "to_json_dict"]
