"""The core stays headless and light: no textual in core/export, no torch at import time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True, timeout=120
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_core_and_exports_never_import_textual_or_torch() -> None:
    modules = _modules_after(
        "import diffreadout.core.pipeline, diffreadout.core.align.links, diffreadout.core.align.features, "
        "diffreadout.core.text.segment, diffreadout.core.similarity.lexical, diffreadout.core.similarity.embed, diffreadout.storage.embeddings, "
        "diffreadout.model, diffreadout.config, diffreadout.export.markdown, diffreadout.export.json, "
        "diffreadout.evaluation.scoring"
    )
    assert not any(m == "textual" or m.startswith("textual.") for m in modules)
    assert "torch" not in modules
    assert "sentence_transformers" not in modules


def test_help_does_not_import_heavy_modules() -> None:
    modules = _modules_after(
        "import sys\nfrom diffreadout.cli.commands import main\n"
        "try:\n    main.main(args=['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
    )
    assert "torch" not in modules and "sentence_transformers" not in modules and "textual" not in modules


def test_fake_embedder_pipeline_never_imports_torch() -> None:
    modules = _modules_after(
        "from diffreadout.core.pipeline import compare, make_readout\n"
        "from diffreadout.core.similarity.embed import HashingEmbedder\n"
        "r = [make_readout('A','a','a','One. Two.'), make_readout('B','b','b','One. Three.')]\n"
        "compare(r, embedder=HashingEmbedder())\n"
    )
    assert "torch" not in modules
