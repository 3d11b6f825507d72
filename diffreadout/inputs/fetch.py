"""Fetch a readout page over http(s), on the user's explicit request, with clear one-line errors.

A URL argument is the only network use in diffreadout. The fetch has a time-out (each read and
the whole transfer), a size cap enforced while streaming, a bounded number of redirects, and a
User-Agent naming the tool. Successful pages are cached on disk, so a re-run needs no network.
httpx is imported only when a page is actually fetched.
"""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from diffreadout import __version__
from diffreadout.inputs.bodies import BadEncoding, BodyTooLarge, UnsupportedEncoding, decode_stream, parse_encodings
from diffreadout.inputs.decode import InputError, Source, decode_bytes
from diffreadout.textsafe import one_line
from diffreadout.inputs.html import (
    charset_from_content_type,
    extract_html,
    looks_like_html,
    missing_module,
)
from diffreadout.storage.pages import PageCache

if TYPE_CHECKING:
    import httpx

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_REDIRECTS",
    "USER_AGENT",
    "fetch_url",
    "is_url",
    "read_url",
    "url_label",
]

DEFAULT_TIMEOUT = 20.0
MAX_REDIRECTS = 5
USER_AGENT = f"diffreadout/{__version__} (compares diplomatic readouts; fetches one page per request)"
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"
_SCHEME = re.compile(r"\A([a-zA-Z][a-zA-Z0-9+.-]+)://")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
# Served when a server does not know better; the body is sniffed instead.
_UNKNOWN_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})


def is_url(argument: str) -> bool:
    """True when an input argument is a URL ("scheme://..."), not a file path.

    Any scheme counts, so "ftp://..." is refused with a clear message instead of "file not found".
    """
    return _SCHEME.match(argument) is not None


def url_label(url: str) -> str:
    """A short label for a URL: the host without "www." and the last path part."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:  # "http://[oops/": the fetch itself says what is wrong with it
        return url
    last = [p for p in parts.path.split("/") if p]
    tail = last[-1].rsplit(".", 1)[0] if last else ""
    return " ".join(p for p in (host, tail) if p) or url


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    value, unit = (n / 1024, "KB") if n < 1024 * 1024 else (n / (1024 * 1024), "MB")
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def _too_large(url: str, max_bytes: int) -> InputError:
    return InputError(url, f"page is over the {_size(max_bytes)} limit (use --max-bytes to raise it)")


def _seconds(timeout: float) -> str:
    return f"{timeout:g} s"


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _check_url(url: str) -> tuple[str, str]:
    """(scheme, host) of an http(s) URL, or InputError saying what is wrong with it."""
    match = _SCHEME.match(url)
    if match is None or match.group(1).lower() not in ("http", "https"):
        raise InputError(url, "only http:// and https:// URLs can be fetched")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise InputError(url, "not a valid URL") from None
    if not host:
        raise InputError(url, "not a valid URL (no host name)")
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise InputError(url, "not a valid URL (it contains spaces or control characters)")
    return match.group(1).lower(), host


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _connect_problem(exc: BaseException, host: str, port: int | None) -> str:
    """Say in words why a connection failed: DNS, refused, TLS, or the system's own reason."""
    import socket
    import ssl

    chain = _causes(exc)
    text = " ".join(str(e) for e in chain).lower()
    where = f"{host}:{port}" if port else host
    if any(isinstance(e, socket.gaierror) for e in chain) or "name or service not known" in text \
            or "nodename nor servname" in text or "name resolution" in text:
        return f"cannot resolve host name {host!r} (DNS lookup failed)"
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "connection refused" in text:
        return f"connection refused by {where}"
    if any(isinstance(e, ssl.SSLError) for e in chain) or "certificate" in text or "ssl" in text:
        reason = next((str(e) for e in chain if isinstance(e, ssl.SSLError)), "") or str(exc)
        return f"TLS error talking to {host} ({' '.join(reason.split())[:160]})"
    reason = one_line(exc)
    return f"cannot connect to {where} ({reason[:160]})"


def _stream_body(response: httpx.Response, url: str, max_bytes: int, progress: _Progress) -> bytes:
    """Read and decode the body ourselves, stopping as soon as the decoded size passes max_bytes.

    The raw bytes are decompressed by bounded decoders (inputs.bodies), never by httpx, whose
    decoder inflates a whole chunk at once (a two-layer gzip bomb of 3.5 KB reached 4 GB).
    """
    try:
        codings = parse_encodings(response.headers.get("content-encoding", ""))
    except UnsupportedEncoding as exc:
        raise InputError(url, f"the server sent an unsupported Content-Encoding ({exc})") from None
    length = response.headers.get("content-length", "")
    if not codings and length.isdigit() and int(length) > max_bytes:
        raise _too_large(url, max_bytes)
    chunks: list[bytes] = []
    try:
        for piece in decode_stream(response.iter_raw(), codings, max_bytes):
            chunks.append(piece)
            progress.received += len(piece)
            if progress.cancelled:
                break
    except BodyTooLarge:
        raise _too_large(url, max_bytes) from None
    except BadEncoding:
        raise InputError(url, "the server sent a body that cannot be decompressed") from None
    return b"".join(chunks)


def _check_response(response: httpx.Response, url: str) -> str:
    """The response's content type, or InputError for an HTTP error or a non-page type."""
    status = response.status_code
    if not 200 <= status < 300:
        reason = " ".join((response.reason_phrase or "").split())
        where = f" (at {response.url}, after redirects)" if response.history else ""
        raise InputError(url, f"HTTP {status} {reason}".rstrip() + where)
    content_type = " ".join(response.headers.get("content-type", "").split())
    media = _media_type(content_type)
    if media not in _HTML_TYPES | _TEXT_TYPES | _UNKNOWN_TYPES:
        raise InputError(url, f"not a web page or text (the server sent {media})")
    return content_type


class _Progress:
    """What a fetch is doing now, so a time-out can say where the time went."""

    def __init__(self, host: str) -> None:
        self.requests: list[str] = []
        self.headers_seen = 0
        self.received = 0
        self.cancelled = False
        self.host = host

    def stage(self) -> str:
        redirects = max(0, len(self.requests) - 1)
        after = f" after {redirects} redirect{'s' if redirects != 1 else ''}" if redirects else ""
        if not self.requests:
            return f"while connecting to {self.host}"
        if self.headers_seen < len(self.requests):
            return f"waiting for the response headers{after}"
        return f"while downloading the page{after} ({_size(self.received)} received)"


def _download_now(url: str, host: str, max_bytes: int, timeout: float,
                  progress: _Progress) -> tuple[bytes, str, str]:
    try:
        import httpx
    except ImportError as exc:
        raise InputError(url, missing_module("fetching pages", exc, "httpx")) from None

    def on_request(request: httpx.Request) -> None:
        progress.requests.append(str(request.url))

    def on_response(response: httpx.Response) -> None:
        progress.headers_seen += 1

    headers = {"User-Agent": USER_AGENT, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"}
    try:
        client = httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=httpx.Timeout(timeout + 1.0),
                              headers=headers, event_hooks={"request": [on_request], "response": [on_response]})
        with client, client.stream("GET", url) as response:
            content_type = _check_response(response, url)
            body = _stream_body(response, url, max_bytes, progress)
            return body, content_type, str(response.url)
    except httpx.TooManyRedirects:
        raise InputError(url, f"too many redirects (more than {MAX_REDIRECTS})") from None
    except httpx.TimeoutException:
        raise InputError(url, f"timed out after {_seconds(timeout)} (no answer from {host})") from None
    except httpx.UnsupportedProtocol:
        raise InputError(url, "redirected to a URL that is not http:// or https://") from None
    except httpx.InvalidURL:
        raise InputError(url, "not a valid URL") from None
    except httpx.ConnectError as exc:
        request_url = exc.request.url if _has_request(exc) else None
        port = request_url.port if request_url is not None else None
        raise InputError(url, _connect_problem(exc, request_url.host if request_url else host, port)) from None
    except httpx.DecodingError:
        raise InputError(url, "the server sent a body that cannot be decompressed") from None
    except httpx.HTTPError as exc:
        reason = one_line(exc)
        raise InputError(url, f"download failed ({reason[:160]})") from None


def _download(url: str, host: str, max_bytes: int, timeout: float) -> tuple[bytes, str, str]:
    """Fetch with ONE deadline for the whole transfer: connection, headers, redirects and body.

    httpx's time-outs bound each read, so a server sending its headers a byte a second, or a
    chain of slow redirects, could hold a run for minutes. The transfer runs in a daemon thread
    and the caller waits at most `timeout` seconds for it, then says what it was waiting for.
    """
    progress = _Progress(host)
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["value"] = _download_now(url, host, max_bytes, timeout, progress)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="diffreadout-fetch", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        progress.cancelled = True
        raise InputError(url, f"timed out after {_seconds(timeout)} {progress.stage()}")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _has_request(exc: Exception) -> bool:
    try:
        exc.request  # type: ignore[attr-defined]  # noqa: B018
    except RuntimeError:
        return False
    return True


def fetch_url(
    url: str,
    *,
    max_bytes: int,
    timeout: float = DEFAULT_TIMEOUT,
    cache_dir: Path | None = None,
    offline: bool = False,
    refresh: bool = False,
) -> tuple[bytes, str]:
    """Return (body, content type) of an http(s) page, from the page cache or the network.

    A cached page is used unless refresh is set; offline never touches the network and fails
    for a page that is not cached. Raises InputError with a one-line message on any failure.
    """
    _, host = _check_url(url)
    cache = PageCache(cache_dir)
    if not refresh:
        page = cache.get(url)
        if page is not None:
            if len(page.body) > max_bytes:
                raise _too_large(url, max_bytes)
            return page.body, page.content_type
    if offline:
        raise InputError(url, "not in the page cache, and fetching is off (offline)")
    body, content_type, final_url = _download(url, host, max_bytes, timeout)
    if not body.strip():
        raise InputError(url, "the server sent an empty page")
    cache.put(url, final_url, content_type, body)
    return body, content_type


def page_text(body: bytes, content_type: str, name: str) -> tuple[str, str]:
    """(text, encoding) of a fetched body: HTML is extracted, plain text is decoded as text."""
    media = _media_type(content_type)
    if media in _HTML_TYPES or (media in _UNKNOWN_TYPES and looks_like_html(body)):
        return extract_html(body, name, content_type=content_type)
    charset = charset_from_content_type(content_type)
    if charset is not None:
        try:
            text = body.decode(charset).removeprefix("\ufeff")
        except UnicodeDecodeError:
            pass
        else:
            if text.strip():
                return text.replace("\r\n", "\n").replace("\r", "\n"), charset
    return decode_bytes(body, name)


def read_url(
    url: str,
    *,
    max_bytes: int,
    timeout: float = DEFAULT_TIMEOUT,
    cache_dir: Path | None = None,
    offline: bool = False,
    refresh: bool = False,
) -> Source:
    """Fetch (or take from the cache) one readout page and return it as a Source named by its URL."""
    body, content_type = fetch_url(
        url, max_bytes=max_bytes, timeout=timeout, cache_dir=cache_dir, offline=offline, refresh=refresh
    )
    text, encoding = page_text(body, content_type, url)
    return Source(name=url, text=text, encoding=encoding, sha256=hashlib.sha256(body).hexdigest(), path=None)
