"""Web pages as readouts: saved HTML files and http(s) URLs, reduced to their main text.

Importing this package is cheap: trafilatura and httpx are imported only when a page is
extracted or fetched.
"""

from __future__ import annotations

from diffreadout.inputs.html import (
    HTML_EXTENSIONS,
    charset_from_content_type,
    decode_html,
    extract_html,
    is_html_name,
    looks_like_html,
)
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
from diffreadout.storage.pages import PageCache, default_pages_dir

__all__ = [
    "DEFAULT_TIMEOUT",
    "HTML_EXTENSIONS",
    "MAX_REDIRECTS",
    "USER_AGENT",
    "PageCache",
    "charset_from_content_type",
    "decode_html",
    "default_pages_dir",
    "extract_html",
    "fetch_url",
    "is_html_name",
    "is_url",
    "looks_like_html",
    "page_text",
    "read_url",
    "url_label",
]
