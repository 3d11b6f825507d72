"""Say which module is really missing when an optional import fails.

``import trafilatura`` can fail because trafilatura is installed but lxml_html_clean (which
lxml.html.clean now lives in) is not; telling the user to install trafilatura would change
nothing. The message names the innermost module that could not be imported.
"""

from __future__ import annotations

__all__ = ["missing_module", "needs_message"]

# Import name -> the distribution pip installs it from, where they differ.
_DISTRIBUTION = {"lxml_html_clean": "lxml_html_clean", "yaml": "PyYAML", "dateutil": "python-dateutil"}


def missing_module(exc: ImportError, wanted: str) -> str:
    """The top-level name of the module whose absence caused exc (wanted when nothing says)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 20:
        chain.append(current)
        current = current.__cause__ or current.__context__
    # The innermost named import failure is the module actually missing.
    for error in reversed(chain):
        name = getattr(error, "name", None)
        if isinstance(error, ImportError) and name:
            return str(name).split(".", 1)[0]
    return wanted


def needs_message(exc: ImportError, what: str, wanted: str) -> str:
    """One line: what needs which missing module, and the pip command that installs it."""
    module = missing_module(exc, wanted)
    dist = _DISTRIBUTION.get(module, module)
    via = "" if module == wanted else f" (imported by {wanted})"
    return f"{what} needs the Python module {module}{via}, which cannot be imported (pip install {dist})"
