"""Input: the only place readouts are read (paths, standard input, saved HTML, http(s) URLs).

Modules, lowest first: ``decode`` (bytes to text, :class:`InputError`), ``html`` (main text of
a page), ``fetch`` (one http(s) GET), ``sources`` (a path, "-" or a URL to a :class:`Source`).
Importing this package is cheap: trafilatura and httpx are imported only when a page is
extracted or fetched.
"""

from __future__ import annotations

from diffreadout.inputs.decode import STDIN_NAME, InputError, Source, decode_bytes
from diffreadout.inputs.fetch import (
    DEFAULT_TIMEOUT,
    MAX_REDIRECTS,
    USER_AGENT,
    fetch_url,
    is_url,
    page_text,
    read_url,
    url_label,
)
from diffreadout.inputs.html import (
    HTML_EXTENSIONS,
    charset_from_content_type,
    decode_html,
    extract_html,
    is_html_name,
    looks_like_html,
)
from diffreadout.inputs.sources import (
    DOCUMENTED_EXTENSIONS,
    MAX_STATEMENTS,
    check_statement_count,
    default_label,
    default_labels,
    read_source,
    segment_source,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "DOCUMENTED_EXTENSIONS",
    "HTML_EXTENSIONS",
    "MAX_REDIRECTS",
    "MAX_STATEMENTS",
    "STDIN_NAME",
    "USER_AGENT",
    "InputError",
    "Source",
    "charset_from_content_type",
    "check_statement_count",
    "decode_bytes",
    "decode_html",
    "default_label",
    "default_labels",
    "extract_html",
    "fetch_url",
    "is_html_name",
    "is_url",
    "looks_like_html",
    "page_text",
    "read_source",
    "read_url",
    "segment_source",
    "url_label",
]
