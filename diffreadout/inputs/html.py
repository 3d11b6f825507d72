"""Saved readout pages: decode the bytes as a browser would, then keep only the main text.

The extracted text is what statement offsets index and what the report quotes, so it is built
deterministically: the same bytes always give the same text. trafilatura is imported only when
a page is actually extracted, so the CLI's --help and plain-text paths never load it.
"""

from __future__ import annotations

import codecs
import logging
import re

from diffreadout.inputs.decode import InputError, decode_bytes
from diffreadout.textsafe import C0_BUT_TAB_NEWLINE, DEL_C1, char_class

__all__ = [
    "HTML_EXTENSIONS",
    "charset_from_content_type",
    "decode_html",
    "extract_html",
    "is_html_name",
    "missing_module",
    "looks_like_html",
]

HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")
NO_TEXT = "no readout text found in the HTML page"

# Where a <meta charset> or an XML declaration may sit; browsers look at the first 1024 bytes,
# some ministry pages put the meta tag after a long <title>, so look a little further.
_PRESCAN_BYTES = 8192
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.+-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([a-z0-9_:.+-]+)""", re.IGNORECASE)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-z0-9_:.+-]+)""", re.IGNORECASE)
# What browsers decode under a label rather than what the label says: pages labelled GB2312 or
# GBK routinely hold GBK/GB18030 characters, and Latin-1/ASCII labels mean windows-1252.
_CODEC_FOR = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
}
# A document starts as HTML when, after a BOM, whitespace, comments and an XML declaration, it
# opens with a doctype or an <html> tag.
_HTML_START = re.compile(r"\A(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html[\s>/])", re.IGNORECASE | re.DOTALL)
# Numeric references to C0 control characters make libxml2 drop the whole document, and they are
# never readout text; references in 0x80-0x9F are left alone (lxml maps them as windows-1252).
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
_DROPPED_REFS = frozenset(range(0x20)) - {0x09, 0x0A} | {0x7F}
_CONTROL = char_class(C0_BUT_TAB_NEWLINE, DEL_C1)
_NEWLINES = re.compile(r"\r\n?")
_LIBRARY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")


def missing_module(task: str, exc: ImportError, wanted: str) -> str:
    """Name the module that is really missing: trafilatura itself, or one it imports (lxml_html_clean)."""
    # lxml.html.clean re-raises a missing lxml_html_clean as a plain ImportError without a name;
    # the module really missing is the innermost named import failure in the chain.
    missing = wanted
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 20:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for error in reversed(chain):
        if isinstance(error, ImportError) and error.name:
            missing = error.name
            break
    missing = missing.split(".")[0]
    if missing == wanted:
        return f"{task} needs the Python package {wanted}, which is not installed (pip install {wanted})"
    return (f"{task} needs the Python module {missing}, which {wanted} imports and which is not installed "
            f"(pip install {missing.replace('_', '-')})")


def is_html_name(path: str) -> bool:
    """True when a file name ends in an HTML extension (.html, .htm, .xhtml, .shtml)."""
    return path.lower().endswith(HTML_EXTENSIONS)


def _bom_codec(data: bytes) -> tuple[str, int] | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def looks_like_html(data: bytes) -> bool:
    """True when bytes open as an HTML document (doctype or <html>), whatever the file name."""
    head = data[:_PRESCAN_BYTES]
    bom = _bom_codec(head)
    if bom is not None:
        text = head[bom[1]:].decode(bom[0], errors="ignore")
    else:
        text = head.decode("latin-1")
    return _HTML_START.match(text) is not None


def _codec(label: str | None, *, from_meta: bool = False) -> str | None:
    """The Python codec a browser would use for an encoding label, or None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    if from_meta and name.startswith("utf-16"):
        return "utf-8"  # a <meta> read through an ASCII-compatible prescan cannot be UTF-16
    return _CODEC_FOR.get(name, name)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The codec named by an HTTP Content-Type's charset parameter, or None."""
    if not content_type:
        return None
    match = _HTTP_CHARSET.search(content_type)
    return _codec(match.group(1)) if match else None


def _declared_charset(data: bytes) -> str | None:
    head = data[:_PRESCAN_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return _codec(match.group(1).decode("ascii"), from_meta=True) if match else None


def decode_html(data: bytes, name: str, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML page to (text, encoding) in the browser's order of precedence.

    A byte-order mark wins, then the HTTP charset, then <meta charset> (or the XML declaration),
    then UTF-8, each tried strictly; an undeclared page that is not UTF-8 gets the cp1251/GB18030
    guess that plain-text inputs use. When nothing decodes strictly, the first declared encoding
    is applied with replacement characters, as browsers do.
    """
    if not data.strip():
        raise InputError(name, "the HTML page is empty")
    bom = _bom_codec(data)
    if bom is not None:
        codec, skip = bom
        return data[skip:].decode(codec, errors="replace"), "utf-8-sig" if codec == "utf-8" else codec
    declared = [c for c in (charset_from_content_type(content_type), _declared_charset(data)) if c]
    for codec in dict.fromkeys([*declared, "utf-8"]):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    # Nothing declared decodes: either the page is undeclared, or its declaration is wrong (a
    # page that says utf-8 and sends cp1251). The plain-text detector decides; if it cannot, a
    # page mostly made of replacement characters is refused rather than compared as garbage.
    try:
        text, guessed = decode_bytes(data, name)
    except InputError:
        pass
    else:
        return text, guessed
    fallback = declared[0] if declared else "utf-8"
    text = data.decode(fallback, errors="replace")
    if text.count("\ufffd") > max(3, len(text) // 200):
        said = f"declares {fallback}" if declared else "declares no encoding"
        raise InputError(name, f"the page {said} but its bytes are not {fallback}, and no other encoding fits")
    return text, fallback


def _quiet_library_logs() -> None:
    """Keep the extractor's own log lines (parser warnings) off the user's stderr."""
    for logger_name in _LIBRARY_LOGGERS:
        logger = logging.getLogger(logger_name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())  # no stderr fallback; a configured root still hears them


def _drop_control_ref(match: re.Match[str]) -> str:
    hex_digits, decimal = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(decimal)
    return "" if code in _DROPPED_REFS else match.group()


def _clean(text: str) -> list[str]:
    text = _CONTROL.sub("", _NEWLINES.sub("\n", text))
    return [line.strip() for line in text.split("\n") if line.strip()]


# What a browser does not show is not readout text: the hidden attribute, aria-hidden, inline
# display:none / visibility:hidden, and <template> contents.
_HIDDEN_XPATH = (
    "//*[@hidden] | //*[@aria-hidden='true'] | //template"
    " | //*[contains(translate(translate(@style, ' ', ''), 'DISPLAYNOEVSBLTH', 'displaynoevsblth'), 'display:none')]"
    " | //*[contains(translate(translate(@style, ' ', ''), 'DISPLAYNOEVSBLTH', 'displaynoevsblth'), 'visibility:hidden')]"
)


def _without_hidden(markup: str) -> object:
    """The page as an lxml tree with every hidden element removed (the markup itself if it does not parse)."""
    try:
        import lxml.html
        tree = lxml.html.document_fromstring(markup)
    except Exception:  # noqa: BLE001 - unparseable markup goes to the extractor as it is
        return markup
    for element in tree.xpath(_HIDDEN_XPATH):
        if element.getparent() is not None:
            element.drop_tree()
    return tree


def _main_text(markup: str, name: str) -> tuple[str | None, list[str]]:
    """(title, paragraphs) of the page's main content, favouring precision over recall."""
    try:
        import trafilatura
    except ImportError as exc:
        raise InputError(name, missing_module("reading HTML pages", exc, "trafilatura")) from None
    _quiet_library_logs()
    page = _without_hidden(markup)

    def extract(favor_precision: bool) -> object:
        return trafilatura.bare_extraction(
            page, favor_precision=favor_precision, include_comments=False, include_tables=True,
            include_images=False, include_links=False, deduplicate=False, with_metadata=True)

    document = extract(favor_precision=True)
    if document is None or not (_field(document, "text") or "").strip():
        # Precision mode keeps nothing on some sparse pages; the balanced mode is the fallback.
        document = extract(favor_precision=False)
    if document is None:
        return None, []
    title = " ".join(_clean(_field(document, "title") or "")) or None
    return title, _clean(_field(document, "text") or "")


def _field(document: object, name: str) -> str | None:
    """A text field of trafilatura's result, a Document or (as_dict, older releases) a dict."""
    value = document.get(name) if isinstance(document, dict) else getattr(document, name, None)
    return value if isinstance(value, str) else None


def extract_html(data: bytes, name: str, *, content_type: str | None = None) -> tuple[str, str]:
    """Reduce a readout page to (text, encoding): its title on the first line, then one line per paragraph.

    Site chrome (menus, breadcrumbs, share buttons, related links, footers, cookie notices) and
    everything inside <script>/<style> is dropped. Raises InputError when no text remains.
    """
    markup, encoding = decode_html(data, name, content_type)
    markup = _CONTROL.sub("", _NEWLINES.sub("\n", _CHAR_REF.sub(_drop_control_ref, markup)))
    title, lines = _main_text(markup, name)
    if not lines:
        raise InputError(name, NO_TEXT)
    if title:
        # The heading often opens the article body too; keep it once, first.
        head = [i for i, line in enumerate(lines[:3]) if line == title]
        if head:
            del lines[head[0]]
        lines.insert(0, title)
    return "\n".join(lines), encoding
