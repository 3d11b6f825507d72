"""A hostile server on 127.0.0.1: decompression bombs, dripped headers, slow redirects, lying charsets.

Every server here is started and stopped by the test, on 127.0.0.1, and every fetch is bounded
in time (the tests assert how long the error took).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from diffreadout.inputs import InputError, extract_html, fetch_url, read_url, url_label

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]
RU_PAGE = (
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Переговоры министров</title></head><body>"
    "<article><p>Министр иностранных дел России Сергей Лавров провёл переговоры с министром иностранных "
    "дел Китая Ван И.</p><p>Стороны обменялись мнениями по актуальным международным и региональным "
    "вопросам.</p></article></body></html>"
)


def _bomb(decoded: int) -> bytes:
    """``gzip, gzip`` of `decoded` zero bytes: well under a megabyte on the wire."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MB)
    body = b"".join(inner.compress(block) for _ in range(decoded // MB)) + inner.flush()
    return gzip.compress(body)


class _Server:
    def __init__(self) -> None:
        self.stop = threading.Event()
        self.bomb = b""
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for key, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                try:
                    self._route()
                except OSError:
                    pass  # the client hung up, as it should

            def _route(self) -> None:
                path = self.path
                if path == "/bomb":
                    self._send(200, {"Content-Type": "text/html", "Content-Encoding": "gzip, gzip"}, server.bomb)
                elif path == "/drip-headers":
                    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 10_000
                    for byte in head:
                        if server.stop.wait(0.02):
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                elif path.startswith("/hop/"):
                    left = int(path.rsplit("/", 1)[1])
                    if server.stop.wait(0.3):
                        return
                    target = f"/hop/{left - 1}" if left > 1 else "/ru-lie"
                    self._send(302, {"Location": target, "Content-Type": "text/html"}, b"")
                elif path == "/ru-lie":
                    self._send(200, {"Content-Type": "text/html; charset=utf-8"}, RU_PAGE.encode("cp1251"))
                elif path == "/br":
                    self._send(200, {"Content-Type": "text/html", "Content-Encoding": "br"}, b"\x0b\x02\x80hi\x03")
                else:
                    self._send(404, {"Content-Type": "text/html"}, b"no route")

        return Handler

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def hostile(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Server]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = _Server()
    server.thread.start()
    try:
        yield server
    finally:
        server.close()


def _error(url: str, **kwargs: object) -> str:
    options: dict[str, object] = {"max_bytes": 5 * MB, "timeout": 5.0, **kwargs}
    with pytest.raises(InputError) as info:
        fetch_url(url, **options)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message and message.startswith(url + ": ")
    return message.removeprefix(url + ": ")


def test_gzip_gzip_bomb_is_capped_while_streaming(hostile: _Server, tmp_path: Path) -> None:
    hostile.bomb = _bomb(300 * MB)
    assert len(hostile.bomb) < 64 * 1024
    probe = (
        "import json, resource, sys\n"
        "from pathlib import Path\nfrom diffreadout.inputs import InputError, fetch_url\n"
        "try:\n"
        f"    fetch_url({hostile.url('/bomb')!r}, max_bytes=1024*1024, timeout=10, cache_dir=Path({str(tmp_path)!r}))\n"
        "    message = 'no error'\n"
        "except InputError as exc:\n"
        "    message = str(exc)\n"
        "print(json.dumps({'message': message, 'peak_kib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=True)
    result = json.loads(out.stdout)
    assert "page is over the 1 MB limit" in result["message"]
    # 300 MB decoded would be 300 MB resident; the cap holds it to the interpreter plus pieces.
    print("peak RSS under the bomb:", result["peak_kib"] // 1024, "MiB")
    assert result["peak_kib"] < 150 * 1024, result
    assert time.monotonic() - started < 30


def test_unknown_content_encoding_is_refused(hostile: _Server) -> None:
    assert _error(hostile.url("/br")) == "the server sent a body in an encoding diffreadout cannot decode (br)"


def test_headers_dripped_a_byte_at_a_time_hit_the_one_deadline(hostile: _Server) -> None:
    started = time.monotonic()
    message = _error(hostile.url("/drip-headers"), timeout=0.6)
    elapsed = time.monotonic() - started
    assert message == "timed out after 0.6 s (no complete response from 127.0.0.1)"
    assert elapsed < 2.0, elapsed


def test_slow_redirects_share_one_deadline_and_the_message_says_so(hostile: _Server) -> None:
    started = time.monotonic()
    message = _error(hostile.url("/hop/4"), timeout=0.75)
    elapsed = time.monotonic() - started
    # Each hop answers within the per-read time-out; only the overall deadline stops the chain.
    assert message == "timed out after 0.75 s (no complete response from 127.0.0.1, after 2 redirects)"
    assert elapsed < 2.0, elapsed


def test_redirects_inside_the_deadline_still_arrive(hostile: _Server, tmp_path: Path) -> None:
    source = read_url(hostile.url("/hop/2"), max_bytes=5 * MB, timeout=5.0, cache_dir=tmp_path)
    assert "Лавров" in source.text


def test_a_page_declaring_utf8_but_sending_cp1251_is_read_as_cp1251(hostile: _Server, tmp_path: Path) -> None:
    source = read_url(hostile.url("/ru-lie"), max_bytes=5 * MB, cache_dir=tmp_path)
    assert source.encoding == "cp1251"
    assert "\ufffd" not in source.text
    assert "Сергей Лавров провёл переговоры" in source.text


def test_a_page_that_is_no_declared_or_known_encoding_is_refused() -> None:
    page = b"<!doctype html><html><head><meta charset='utf-8'></head><body><p>" + bytes(range(0x80, 0x100)) * 40
    with pytest.raises(InputError) as info:
        extract_html(page + b"</p></body></html>", "page.html")
    assert str(info.value) == "page.html: the page declares utf-8 but its bytes are not utf-8, cp1251 or GB18030 text"


@pytest.mark.parametrize("url", ["http://[oops/", "https://[::1/x", "http://[zz]/"])
def test_malformed_brackets_give_one_line(url: str) -> None:
    assert _error(url).startswith("not a valid URL")
    assert url_label(url) == url


def test_hidden_elements_are_not_statements() -> None:
    page = (
        b"<!doctype html><html><head><meta charset='utf-8'><title>Talks</title></head><body><article>"
        b"<p>Lavrov met Wang Yi in Johannesburg on the sidelines of the G20 meeting today.</p>"
        b"<div hidden><p>A sentence inside a hidden block that no reader ever sees.</p></div>"
        b"Text after the hidden block stays visible to the reader of this page."
        b"<p hidden='hidden'>A hidden paragraph that must never become a statement.</p>"
        b"<template><p>Template text that is never rendered by a browser at all.</p></template>"
        b"<p>The ministers discussed the bilateral agenda and pressing regional issues.</p>"
        b"</article></body></html>"
    )
    text, _ = extract_html(page, "page.html")
    assert "hidden block that no reader" not in text
    assert "hidden paragraph" not in text
    assert "Template text" not in text
    assert "Text after the hidden block stays visible" in text
    assert "pressing regional issues" in text


def test_import_failure_names_the_module_really_missing() -> None:
    # trafilatura is installed, but lxml.html.clean cannot import lxml_html_clean.
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
    assert out.stdout.strip() == (
        "p.html: reading HTML pages needs the Python module lxml_html_clean (imported by trafilatura), "
        "which cannot be imported (pip install lxml_html_clean)"
    ), out.stdout + out.stderr
