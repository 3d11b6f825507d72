"""A hostile local server: decompression bombs, headers a byte at a time, slow redirect chains,
a lying charset, hidden text. Every server here is a raw socket on 127.0.0.1 started and stopped
by the test, and every test is bounded in time.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator

import pytest

from diffreadout.inputs import InputError, extract_html, fetch_url
from diffreadout.inputs.bodies import BodyTooLarge, decode_stream, parse_encodings

MB = 1024 * 1024
PAGE = (
    "<html><head><title>Readout</title></head><body><article>"
    "<p>The ministers discussed the situation on the Korean Peninsula and agreed to stay in touch.</p>"
    "<p>Both sides stressed the importance of regular consultations between the two ministries.</p>"
    "<p>The Chinese side reaffirmed its position on the Taiwan question and on the one-China principle.</p>"
    "</article></body></html>"
)

Handler = Callable[[socket.socket, str, threading.Event], None]


class RawServer:
    """One listening socket on 127.0.0.1; each connection is answered by handler(conn, path, stop)."""

    def __init__(self, handler: Handler) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.handler = handler
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            request = b""
            try:
                while b"\r\n\r\n" not in request:
                    data = conn.recv(4096)
                    if not data:
                        return
                    request += data
                path = request.split(b" ", 2)[1].decode("ascii")
                self.handler(conn, path, self.stop)
            except OSError:
                pass

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(2)


@pytest.fixture
def serve(no_proxy: None) -> Iterator[Callable[[Handler], RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Handler) -> RawServer:
        servers.append(RawServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _response(body: bytes, *headers: str, status: str = "200 OK") -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close", *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def _error(url: str, **options: object) -> str:
    with pytest.raises(InputError) as info:
        fetch_url(url, **{"max_bytes": 1 * MB, "timeout": 5.0, **options})  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message and message.startswith(url + ": ")
    return message.removeprefix(url + ": ")


# --- 1. decompression bombs ---------------------------------------------------------------------

def test_double_gzip_bomb_is_capped_while_streaming(serve: Callable[[Handler], RawServer]) -> None:
    inner = gzip.compress(b"<p>" + b"a" * (256 * MB), compresslevel=9)
    bomb = gzip.compress(inner, compresslevel=9)
    assert len(bomb) < 64 * 1024  # a few KB on the wire

    def handler(conn: socket.socket, path: str, stop: threading.Event) -> None:
        conn.sendall(_response(bomb, "Content-Type: text/html", "Content-Encoding: gzip, gzip"))

    server = serve(handler)
    tracemalloc.start()
    try:
        message = _error(server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message == "page is over the 1 MB limit (use --max-bytes to raise it)"
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB"  # httpx's own decoder reached GBs here


def test_stacked_encodings_decode_in_reverse_order() -> None:
    text = b"<p>readout</p>" * 1000
    deflated = zlib.compress(gzip.compress(text))  # gzip applied first, then deflate
    assert b"".join(decode_stream([deflated[:7], deflated[7:]], parse_encodings("gzip, deflate"), MB)) == text
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw_deflate = raw.compress(text) + raw.flush()  # "deflate" as some servers send it, headerless
    assert b"".join(decode_stream([raw_deflate], ["deflate"], MB)) == text
    with pytest.raises(BodyTooLarge):
        list(decode_stream([gzip.compress(text)], ["gzip"], 1000))


def test_unsupported_encoding_is_named(serve: Callable[[Handler], RawServer]) -> None:
    def handler(conn: socket.socket, path: str, stop: threading.Event) -> None:
        conn.sendall(_response(b"\x00" * 50, "Content-Type: text/html", "Content-Encoding: br"))

    server = serve(handler)
    assert _error(server.url("/br")) == "the server sent an unsupported Content-Encoding (br)"


# --- 2. one deadline for the whole fetch -------------------------------------------------------

def test_headers_a_byte_at_a_time_hit_the_deadline(serve: Callable[[Handler], RawServer]) -> None:
    def handler(conn: socket.socket, path: str, stop: threading.Event) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 600:
            if stop.wait(0.05):
                return
            conn.sendall(bytes([byte]))

    server = serve(handler)
    started = time.monotonic()
    message = _error(server.url("/drip-headers"), timeout=0.8)
    elapsed = time.monotonic() - started
    assert message == "timed out after 0.8 s waiting for the response headers"
    assert elapsed < 2.0, elapsed  # every single read came within httpx's per-read limit


def test_slow_redirect_chain_hits_the_deadline(serve: Callable[[Handler], RawServer]) -> None:
    def handler(conn: socket.socket, path: str, stop: threading.Event) -> None:
        hop = int(path.rsplit("/", 1)[1])
        if stop.wait(0.3):
            return
        conn.sendall(_response(b"", f"Location: /hop/{hop + 1}", status="302 Found"))

    server = serve(handler)
    started = time.monotonic()
    message = _error(server.url("/hop/0"), timeout=1.0)
    elapsed = time.monotonic() - started
    assert message.startswith("timed out after 1 s waiting for the response headers after ")
    assert " redirect" in message
    assert elapsed < 2.5, elapsed


# --- 8. lying charsets and hidden text ----------------------------------------------------------

RU_PAGE = (
    '<html><head><meta charset="utf-8"><title>О встрече</title></head><body><article>'
    "<p>Министры обсудили ситуацию на Корейском полуострове и договорились поддерживать контакты.</p>"
    "<p>Стороны подчеркнули важность регулярных консультаций между министерствами двух стран.</p>"
    "<p>Российская сторона подтвердила свою позицию по вопросам стратегической стабильности.</p>"
    "</article></body></html>"
)


def test_a_page_that_declares_utf8_and_sends_cp1251_is_decoded_right() -> None:
    text, encoding = extract_html(RU_PAGE.encode("cp1251"), "lying.html", content_type="text/html; charset=utf-8")
    assert encoding == "cp1251"
    assert "Министры обсудили ситуацию" in text and "\ufffd" not in text


def test_a_page_whose_bytes_fit_no_encoding_is_refused() -> None:
    body = ('<html><head><meta charset="utf-8"></head><body><p>'.encode() + bytes(range(0x80, 0x100)) * 40
            + b"</p></body></html>")
    with pytest.raises(InputError) as info:
        extract_html(body, "noise.html", content_type="text/html; charset=utf-8")
    assert str(info.value).startswith("noise.html: ")


@pytest.mark.parametrize("hidden", [
    '<p hidden>SECRET hidden attribute text that no reader sees on the page.</p>',
    '<div aria-hidden="true"><p>SECRET aria text that no reader sees on the page.</p></div>',
    '<p style="display: none">SECRET display none text that no reader sees on the page.</p>',
    '<p style="Visibility:Hidden">SECRET visibility text that no reader sees on the page.</p>',
    '<template><p>SECRET template text that no reader sees on the page.</p></template>',
])
def test_hidden_elements_are_not_statements(hidden: str) -> None:
    page = PAGE.replace("</article>", hidden + "</article>")
    text, _ = extract_html(page.encode(), "hidden.html")
    assert "SECRET" not in text
    assert "Korean Peninsula" in text and "one-China principle" in text


# --- import failures name the module that is really missing --------------------------------------

def test_a_missing_dependency_of_trafilatura_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins
    import sys

    real_import = builtins.__import__

    def fake_import(name: str, *args: object, **kwargs: object) -> object:
        if name == "trafilatura":
            raise ModuleNotFoundError("No module named 'lxml_html_clean'", name="lxml_html_clean")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.delitem(sys.modules, "trafilatura", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(InputError) as info:
        extract_html(PAGE.encode(), "page.html")
    message = str(info.value)
    assert "lxml_html_clean" in message and "pip install lxml-html-clean" in message
    assert "pip install trafilatura" not in message
