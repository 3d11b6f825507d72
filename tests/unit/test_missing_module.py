"""The module named when an import fails is the one really missing, through lxml's real wrapper."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_trafilatura_failing_on_lxml_html_clean_names_lxml_html_clean() -> None:
    # trafilatura is installed; lxml.html.clean cannot import lxml_html_clean and re-raises it as a
    # plain ImportError with no name (what a fresh venv's pip 23.2 left behind).
    probe = (
        "import sys\n"
        "sys.modules['lxml_html_clean'] = None\n"
        "from diffreadout.inputs import InputError, extract_html\n"
        "try:\n"
        "    extract_html(b'<!doctype html><html><body><p>Lavrov met Wang Yi today.</p></body></html>', 'p.html')\n"
        "except InputError as exc:\n"
        "    print(exc)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    message = out.stdout.strip()
    assert message.startswith("p.html: reading HTML pages needs the Python module lxml_html_clean"), out.stdout + out.stderr
    assert "pip install lxml-html-clean" in message and "pip install trafilatura" not in message
