"""Web pages as input: extraction of saved readout pages, and fetching from a local server only.

Every network test talks to an http.server bound to 127.0.0.1 on a free port; nothing here
resolves a host name or reaches any other address.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from diffreadout.inputs import (
    InputError,
    decode_html,
    extract_html,
    fetch_url,
    is_html_name,
    is_url,
    looks_like_html,
    read_url,
    url_label,
)
from diffreadout.inputs.fetch import _connect_problem
from diffreadout.storage.pages import PageCache

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "data" / "web"
EN = PAGES / "en-state-iwaya.html"
RU = PAGES / "ru-mid-lavrov-wang.cp1251.html"
ZH = PAGES / "zh-fmprc-wang-lavrov.gb18030.html"
MB = 1024 * 1024


def _extract(path: Path) -> str:
    return extract_html(path.read_bytes(), path.name)[0]


# --- extraction: the three ministry-style pages ---------------------------------------------

EN_CHROME = [
    "Skip to content", "official website", "Countries & Areas", "Bureaus & Offices", "Search state.gov",
    "Office of the Spokesperson\n", "Press Releases", "Share on Facebook", "Share on X", "Email this page",
    "Print this page", "Related Articles", "Secretary's Call with Republic of Korea", "Joint Statement of the",
    "Philippine", "Privacy Policy", "Accessibility Statement", "FOIA", "Follow us", "cookies", "Accept all",
    "Tags", "interactive map",
]
RU_CHROME = [
    "О министерстве", "Пресс-служба", "Консульская служба", "Главная", "Поиск по сайту", "Биография Министра",
    "Фотоальбомы", "Поделиться", "ВКонтакте", "Telegram", "Версия для печати", "Материалы по теме",
    "О телефонном разговоре", "Ламолой", "Карта сайта", "Смоленская-Сенная", "cookie", "Согласен", "English",
]
ZH_CHROME = [
    "首页", "外交部要闻", "发言人表态", "当前位置", "重要讲话", "打印本页", "分享到", "微信", "微博", "相关新闻",
    "王毅出席二十国集团外长会", "维埃拉", "网站地图", "联系我们", "版权所有", "京ICP备", "Cookie", "我知道了",
    "请输入关键词", "English",
]


def test_english_page_keeps_title_first_and_the_paragraphs() -> None:
    text = _extract(EN)
    lines = text.split("\n")
    assert lines[0] == "Secretary's Meeting with Japanese Foreign Minister Iwaya"
    assert lines[1] == "The following is attributable to Spokesperson Tammy Bruce:"
    assert lines[2].startswith("Secretary of State Marco Rubio met today with Japanese Foreign Minister")
    assert lines[-1].endswith("critical minerals, and resilient supply chains.")
    assert len(lines) == 6
    assert text.count("Secretary's Meeting with Japanese Foreign Minister Iwaya") == 1


@pytest.mark.parametrize(("path", "chrome"), [(EN, EN_CHROME), (RU, RU_CHROME), (ZH, ZH_CHROME)], ids=["en", "ru", "zh"])
def test_site_chrome_is_dropped(path: Path, chrome: list[str]) -> None:
    text = _extract(path)
    leaked = [phrase for phrase in chrome if phrase in text]
    assert leaked == []


@pytest.mark.parametrize("path", [EN, RU, ZH], ids=["en", "ru", "zh"])
def test_script_and_style_text_never_leaks(path: Path) -> None:
    text = _extract(path)
    for marker in ("SCRIPT_LEAK_MARKER", "STYLE_LEAK_MARKER", "МАРКЕР_СКРИПТА", "МАРКЕР_СТИЛЯ", "脚本标记", "样式标记",
                   "dataLayer", "gtag", "_paq", "_hmt", "document.write", "font-family", "schema.org"):
        assert marker not in text


def test_russian_cp1251_page_decodes() -> None:
    text, encoding = extract_html(RU.read_bytes(), RU.name)
    assert encoding == "cp1251"
    lines = text.split("\n")
    assert lines[0] == "О переговорах Министра иностранных дел России С.В.Лаврова с Министром иностранных дел КНР Ван И"
    assert lines[1].startswith("21 февраля в Йоханнесбурге «на полях» Совещания министров")
    assert "более 95 процентов расчётов" in text
    assert lines[-1] == "Министры условились продолжить регулярные контакты."
    assert len(lines) == 6
    assert "\r" not in text  # the page has CRLF line ends


def test_chinese_gb18030_page_declared_gb2312_decodes() -> None:
    data = ZH.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")  # the page holds GBK/GB18030 characters its label does not cover
    text, encoding = extract_html(data, ZH.name)
    assert encoding == "gb18030"
    lines = text.split("\n")
    assert lines[0] == "王毅会见俄罗斯外长拉夫罗夫"
    assert lines[1].startswith("当地时间2025年2月21日，中共中央政治局委员、外交部长王毅")
    assert "中俄作为“全球南方”成员" in text
    assert lines[-1].endswith("俄方赞赏中方在乌克兰危机问题上秉持的客观公正立场。")
    assert len(lines) == 5


def test_chinese_page_in_utf8_with_meta_charset_gives_the_same_text() -> None:
    markup = ZH.read_bytes().decode("gb18030").replace('<meta charset="gb2312">', '<meta charset="utf-8">')
    text, encoding = extract_html(markup.encode("utf-8"), "zh-utf8.html")
    assert encoding == "utf-8"
    assert text == _extract(ZH)


@pytest.mark.parametrize("path", [EN, RU, ZH], ids=["en", "ru", "zh"])
def test_extraction_is_deterministic(path: Path) -> None:
    data = path.read_bytes()
    first = extract_html(data, path.name)
    assert all(extract_html(data, path.name) == first for _ in range(3))
    assert "\n\n" not in first[0] and "\r" not in first[0]
    assert all(line == line.strip() and line for line in first[0].split("\n"))


def test_extraction_is_the_same_in_a_fresh_process() -> None:
    probe = (
        "import hashlib, sys\nfrom pathlib import Path\nfrom diffreadout.inputs import extract_html\n"
        "for p in sys.argv[1:]:\n"
        "    print(hashlib.sha256(extract_html(Path(p).read_bytes(), p)[0].encode()).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", probe, str(EN), str(RU), str(ZH)], capture_output=True, text=True,
                         env=env, check=True, timeout=120)
    here = [hashlib.sha256(_extract(p).encode()).hexdigest() for p in (EN, RU, ZH)]
    assert out.stdout.split() == here
    assert out.stderr == ""  # no library log lines on the user's terminal


# --- extraction: decoding precedence --------------------------------------------------------


def _page(body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>Readout</title></head><body><nav><a href='/'>Home</a> "
            f"<a href='/news'>News</a></nav><article><h1>Readout of the talks</h1>{body}</article>"
            "<footer>Copyright 2025 Ministry</footer></body></html>")


RU_PARAS = ("<p>Министры обсудили широкий круг вопросов двусторонней повестки дня и подтвердили намерение "
            "продолжить тесную координацию на международных площадках.</p><p>Стороны условились о дальнейших "
            "контактах на высшем и высоком уровнях в удобные для обеих сторон сроки.</p>")


def test_http_charset_wins_over_meta() -> None:
    data = _page(RU_PARAS, '<meta charset="utf-8">').encode("cp1251")
    text, encoding = extract_html(data, "x.html", content_type="text/html; charset=windows-1251")
    assert encoding == "cp1251" and "Министры обсудили широкий круг" in text


def test_bom_wins_over_a_wrong_meta() -> None:
    data = b"\xef\xbb\xbf" + _page(RU_PARAS, '<meta charset="windows-1251">').encode("utf-8")
    text, encoding = extract_html(data, "x.html")
    assert encoding == "utf-8-sig" and "Министры обсудили широкий круг" in text


def test_undeclared_cp1251_page_is_guessed() -> None:
    text, encoding = extract_html(_page(RU_PARAS).encode("cp1251"), "x.html")
    assert encoding == "cp1251" and "Стороны условились о дальнейших контактах" in text


def test_wrong_http_charset_falls_back_to_meta() -> None:
    data = _page(RU_PARAS, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">').encode("cp1251")
    text, encoding = decode_html(data, "x.html", "text/html; charset=utf-8")
    assert encoding == "cp1251" and "Министры" in text


def test_xml_declaration_encoding_is_honoured() -> None:
    data = ('<?xml version="1.0" encoding="windows-1251"?>\n' + _page(RU_PARAS)).encode("cp1251")
    assert decode_html(data, "x.xhtml")[1] == "cp1251"


# --- extraction: hostile and empty pages ----------------------------------------------------

HOSTILE = (
    "<p>He said [bold red]no[/] and [link=https://evil.example]click[/link]; the log showed \\x1b[31m red \\033[0m "
    "and &#27;[2J and &#x1b;]52;c;Zm9v&#7; and &lt;script&gt;alert(1)&lt;/script&gt; as plain words.</p>"
    "<p>The ministers agreed to keep [italic]all[/italic] channels of communication open and to meet again soon.</p>"
)


def test_markup_and_escape_like_text_stay_literal_data() -> None:
    text, _ = extract_html(_page(HOSTILE).encode("utf-8"), "hostile.html")
    assert "[bold red]no[/]" in text and "[link=https://evil.example]click[/link]" in text
    assert "[italic]all[/italic]" in text
    assert "\\x1b[31m red \\033[0m" in text  # backslash text, not an escape
    assert "<script>alert(1)</script>" in text  # an escaped tag is text, kept as text
    assert "[2J" in text and "]52;c;Zm9v" in text
    assert not any(ch in text for ch in "\x1b\x07\x00")  # control-character references are dropped


def test_raw_control_bytes_do_not_reach_the_text() -> None:
    text, _ = extract_html(_page(HOSTILE.replace("&#27;", "\x1b")).encode("utf-8"), "hostile.html")
    assert "\x1b" not in text and "The ministers agreed to keep" in text


@pytest.mark.parametrize("markup", [
    "<html><head><title>x</title><script>var secret = 'SCRIPT ONLY';</script></head><body></body></html>",
    "<html><body><script>document.write('only a script')</script><style>p{color:red}</style></body></html>",
    "<!DOCTYPE html><html><head></head><body>   </body></html>",
], ids=["script-in-head", "script-in-body", "blank-body"])
def test_page_without_text_is_refused(markup: str) -> None:
    with pytest.raises(InputError) as info:
        extract_html(markup.encode(), "empty.html")
    assert str(info.value) == "empty.html: no readout text found in the HTML page"


def test_empty_bytes_are_refused() -> None:
    with pytest.raises(InputError, match="empty.html: the HTML page is empty"):
        extract_html(b" \n ", "empty.html")


def test_short_readout_is_kept() -> None:
    markup = _page("<p>The Minister spoke by phone with his counterpart about trade.</p>")
    text, _ = extract_html(markup.encode(), "short.html")
    assert text.endswith("The Minister spoke by phone with his counterpart about trade.")
    assert "Copyright" not in text


# --- helpers for the hook --------------------------------------------------------------------


def test_html_detection_by_name_and_content() -> None:
    assert is_html_name("a/b/READOUT.HTM") and is_html_name("x.html") and not is_html_name("x.txt")
    assert looks_like_html(EN.read_bytes()) and looks_like_html(RU.read_bytes()) and looks_like_html(ZH.read_bytes())
    assert looks_like_html(b"\xef\xbb\xbf  <!-- saved --> <HTML lang=en><body>x")
    assert looks_like_html(b"\xff\xfe" + '<?xml version="1.0"?>\n<html>'.encode("utf-16-le"))
    assert not looks_like_html(b"The <html> tag was mentioned in the readout.")
    assert not looks_like_html(b"Lavrov met Wang Yi.\n<p>not a page</p>")


def test_url_detection_and_labels() -> None:
    assert is_url("https://www.mid.ru/ru/foreign_policy/news/1995632/") and is_url("HTTP://x") and is_url("ftp://x")
    assert not is_url("fixtures/a.txt") and not is_url("-") and not is_url("C://x") and not is_url("a:/b")
    assert url_label("https://www.mid.ru/ru/foreign_policy/news/1995632/") == "mid.ru 1995632"
    assert url_label("https://www.fmprc.gov.cn/wjbzhd/202502/t20250221_11560000.shtml") == "fmprc.gov.cn t20250221_11560000"
    assert url_label("http://127.0.0.1:8000/") == "127.0.0.1"


def test_importing_web_loads_neither_httpx_nor_trafilatura() -> None:
    probe = "import sys, json, diffreadout.inputs\nprint(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True, timeout=60)
    modules = set(json.loads(out.stdout))
    assert not {"httpx", "httpcore", "trafilatura", "lxml", "ssl"} & modules


def test_dns_failure_is_named() -> None:
    try:
        raise OSError("connect failed") from socket.gaierror(-2, "Name or service not known")
    except OSError as exc:
        message = _connect_problem(exc, "mid.example", None)
    assert message == "cannot resolve host name 'mid.example' (DNS lookup failed)"


# --- fetching from a local server ------------------------------------------------------------


@dataclass
class Server:
    """A local test server: its base URL, what it was asked, and a switch to stop slow handlers."""

    base: str
    httpd: ThreadingHTTPServer
    requests: list[dict[str, str]] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base + path

    def shutdown(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    routes: dict[str, tuple[int, str, bytes]] = {
        "/en.html": (200, "text/html; charset=utf-8", EN.read_bytes()),
        "/ru.html": (200, "text/html", RU.read_bytes()),
        "/zh.html": (200, "text/html", ZH.read_bytes()),
        "/ru-header-only": (200, "text/html; charset=windows-1251",
                            RU.read_bytes().replace(b"; charset=windows-1251", b"")),
        "/plain.txt": (200, "text/plain; charset=utf-8", b"Lavrov met Wang Yi.\r\nThey talked.\r\n"),
        "/plain-cp1251.txt": (200, "text/plain; charset=windows-1251", "Лавров встретился с Ван И.\n".encode("cp1251")),
        "/no-type": (200, "", EN.read_bytes()),
        "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100)),
        "/pdf": (200, "application/pdf", b"%PDF-1.7"),
        "/empty": (200, "text/html", b""),
        "/missing": (404, "text/html", b"<html><body>Not here</body></html>"),
        "/boom": (500, "text/html", b"<html><body>Server error</body></html>"),
        "/gone": (410, "text/html", b""),
    }

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, content_type: str, body: bytes, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            server.requests.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
            path = self.path
            if path in routes:
                self._send(*routes[path])
            elif path == "/redirect":
                self._send(302, "text/html", b"", {"Location": "/hop"})
            elif path == "/hop":
                self._send(301, "text/html", b"", {"Location": server.url("/en.html")})
            elif path == "/redirect-missing":
                self._send(302, "text/html", b"", {"Location": "/missing"})
            elif path == "/loop":
                self._send(302, "text/html", b"", {"Location": "/loop"})
            elif path == "/to-ftp":
                self._send(302, "text/html", b"", {"Location": "ftp://127.0.0.1/x"})
            elif path == "/slow":
                server.stop.wait(5)
                if not server.stop.is_set():
                    self._send(200, "text/html", EN.read_bytes())
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self._stream(b"<html><body><p>", lambda: b"x", delay=0.05, limit=2000)
            elif path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()  # no Content-Length: the cap has to hold while streaming
                self._stream(b"<html><body>", lambda: b"<p>readout text</p>" * 3277, delay=0.0, limit=100 * MB)
            elif path == "/huge-declared":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(100 * MB))
                self.end_headers()
                self._stream(b"", lambda: b" " * 65536, delay=0.0, limit=100 * MB)
            elif path == "/bomb":
                body = gzip.compress(b"<html><body><p>" + b"a" * (20 * MB) + b"</p></body></html>")
                self._send(200, "text/html", body, {"Content-Encoding": "gzip"})
            else:
                self._send(404, "text/html", b"no route")

        def _stream(self, first: bytes, chunk: object, delay: float, limit: int) -> None:
            sent = 0
            try:
                self.wfile.write(first)
                while sent < limit and not server.stop.is_set():
                    data = chunk()  # type: ignore[operator]
                    self.wfile.write(data)
                    self.wfile.flush()
                    sent += len(data)
                    if delay:
                        time.sleep(delay)
            except OSError:
                pass  # the client hung up, as it should once the cap is passed
            finally:
                server.sent[self.path] = sent

    return Handler


@pytest.fixture
def server(no_proxy: None) -> Iterator[Server]:
    """An HTTP server on 127.0.0.1, on a free port, for the duration of one test."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    httpd.block_on_close = False  # type: ignore[attr-defined]
    srv = Server(base=f"http://127.0.0.1:{httpd.server_address[1]}", httpd=httpd)
    httpd.RequestHandlerClass = _handler(srv)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        if not srv.stop.is_set():
            srv.shutdown()
        thread.join(5)


def _fetch_error(url: str, **kwargs: object) -> str:
    options: dict[str, object] = {"max_bytes": 5 * MB, "timeout": 5.0, **kwargs}
    with pytest.raises(InputError) as info:
        fetch_url(url, **options)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message and message.startswith(url + ": ")
    return message.removeprefix(url + ": ")


def test_fetch_success_and_user_agent(server: Server, tmp_path: Path) -> None:
    body, content_type = fetch_url(server.url("/en.html"), max_bytes=5 * MB, cache_dir=tmp_path)
    assert body == EN.read_bytes() and content_type == "text/html; charset=utf-8"
    agent = server.requests[0]["user-agent"]
    assert agent.startswith("diffreadout/") and "text/html" in server.requests[0]["accept"]


def test_read_url_gives_a_source_named_by_the_url(server: Server) -> None:
    url = server.url("/ru.html")
    source = read_url(url, max_bytes=5 * MB)
    assert source.name == url and source.path is None and source.encoding == "cp1251"
    assert source.sha256 == hashlib.sha256(RU.read_bytes()).hexdigest()
    assert source.text == _extract(RU)
    assert read_url(server.url("/zh.html"), max_bytes=5 * MB).text == _extract(ZH)


def test_http_charset_header_decodes_a_page_without_meta(server: Server) -> None:
    source = read_url(server.url("/ru-header-only"), max_bytes=5 * MB)
    assert source.encoding == "cp1251" and source.text == _extract(RU)


def test_plain_text_is_decoded_not_extracted(server: Server) -> None:
    source = read_url(server.url("/plain.txt"), max_bytes=5 * MB)
    assert source.text == "Lavrov met Wang Yi.\nThey talked.\n" and source.encoding == "utf-8"
    assert read_url(server.url("/plain-cp1251.txt"), max_bytes=5 * MB).text == "Лавров встретился с Ван И.\n"


def test_missing_content_type_is_sniffed(server: Server) -> None:
    assert read_url(server.url("/no-type"), max_bytes=5 * MB).text == _extract(EN)


def test_redirects_are_followed(server: Server, tmp_path: Path) -> None:
    body, _ = fetch_url(server.url("/redirect"), max_bytes=5 * MB, cache_dir=tmp_path)
    assert body == EN.read_bytes()
    assert [r["path"] for r in server.requests] == ["/redirect", "/hop", "/en.html"]


@pytest.mark.parametrize(("path", "expected"), [
    ("/missing", "HTTP 404 Not Found"),
    ("/boom", "HTTP 500 Internal Server Error"),
    ("/gone", "HTTP 410 Gone"),
    ("/loop", "too many redirects (more than 5)"),
    ("/to-ftp", "redirected to a URL that is not http:// or https://"),
    ("/image.png", "not a web page or text (the server sent image/png)"),
    ("/pdf", "not a web page or text (the server sent application/pdf)"),
    ("/empty", "the server sent an empty page"),
])
def test_failures_give_one_line(server: Server, path: str, expected: str) -> None:
    assert _fetch_error(server.url(path)) == expected


def test_error_after_a_redirect_names_the_final_url(server: Server) -> None:
    assert _fetch_error(server.url("/redirect-missing")) == f"HTTP 404 Not Found (at {server.url('/missing')}, after redirects)"


def test_slow_server_times_out(server: Server) -> None:
    started = time.monotonic()
    assert _fetch_error(server.url("/slow"), timeout=0.3) == "timed out after 0.3 s waiting for the response headers"
    assert time.monotonic() - started < 3


def test_a_page_that_never_finishes_hits_the_overall_deadline(server: Server) -> None:
    started = time.monotonic()
    message = _fetch_error(server.url("/drip"), timeout=0.5)
    assert message.startswith("timed out after 0.5 s while downloading the page (") and message.endswith(" received)")
    assert time.monotonic() - started < 3


def test_size_cap_stops_the_stream_early(server: Server) -> None:
    message = _fetch_error(server.url("/huge"), max_bytes=1 * MB)
    assert message == "page is over the 1 MB limit (use --max-bytes to raise it)"
    server.shutdown()
    time.sleep(0.1)
    assert server.sent.get("/huge", 0) < 20 * MB, server.sent  # the server was cut off long before its 100 MB


def test_declared_length_over_the_cap_is_refused_before_reading(server: Server) -> None:
    assert _fetch_error(server.url("/huge-declared"), max_bytes=1 * MB).startswith("page is over the 1 MB limit")


def test_compressed_body_is_capped_after_decompression(server: Server) -> None:
    assert _fetch_error(server.url("/bomb"), max_bytes=1 * MB).startswith("page is over the 1 MB limit")


def test_connection_refused(no_proxy: None) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/readout.html"
    assert _fetch_error(url) == f"connection refused by 127.0.0.1:{port}"


@pytest.mark.parametrize(("url", "expected"), [
    ("ftp://127.0.0.1/readout.html", "only http:// and https:// URLs can be fetched"),
    ("file:///etc/passwd", "only http:// and https:// URLs can be fetched"),
    ("http:///readout.html", "not a valid URL (no host name)"),
    ("http://127.0.0.1:99999/x", "not a valid URL"),
    ("http://127.0.0.1/a b", "not a valid URL (it contains spaces or control characters)"),
    ("http://[oops/", "not a valid URL"),
])
def test_bad_urls_are_refused_without_network(url: str, expected: str) -> None:
    assert _fetch_error(url) == expected


def test_cache_serves_a_rerun_without_network(server: Server, tmp_path: Path) -> None:
    url = server.url("/ru.html")
    first = read_url(url, max_bytes=5 * MB, cache_dir=tmp_path)
    server.shutdown()
    again = read_url(url, max_bytes=5 * MB, cache_dir=tmp_path)
    assert again == first
    offline = read_url(url + "#para-2", max_bytes=5 * MB, cache_dir=tmp_path, offline=True)
    assert offline.text == first.text
    assert len(server.requests) == 1
    assert _fetch_error(url, cache_dir=tmp_path, refresh=True).startswith("connection refused by 127.0.0.1:")
    assert _fetch_error(url, cache_dir=tmp_path, max_bytes=1000) == "page is over the 1000 bytes limit (use --max-bytes to raise it)"


def test_cache_defaults_to_the_user_cache_dir(server: Server) -> None:
    fetch_url(server.url("/en.html"), max_bytes=5 * MB)
    root = Path(os.environ["DIFFREADOUT_CACHE_DIR"]) / "pages"
    assert PageCache().root == root
    assert PageCache().stats()[0] == 1 and not list(root.glob(".tmp-*"))


def test_offline_without_a_cached_page_fails(server: Server, tmp_path: Path) -> None:
    assert _fetch_error(server.url("/en.html"), cache_dir=tmp_path, offline=True) == (
        "not in the page cache, and fetching is off (offline)"
    )
    assert server.requests == []


def test_failed_fetches_are_not_cached(server: Server, tmp_path: Path) -> None:
    _fetch_error(server.url("/missing"), cache_dir=tmp_path)
    _fetch_error(server.url("/image.png"), cache_dir=tmp_path)
    assert PageCache(tmp_path).stats() == (0, 0)


def test_damaged_cache_entry_is_fetched_again(server: Server, tmp_path: Path) -> None:
    url = server.url("/en.html")
    fetch_url(url, max_bytes=5 * MB, cache_dir=tmp_path)
    (entry,) = tmp_path.glob("*.page")
    entry.write_bytes(entry.read_bytes()[:-10])
    body, _ = fetch_url(url, max_bytes=5 * MB, cache_dir=tmp_path)
    assert body == EN.read_bytes() and len(server.requests) == 2


def test_cache_is_bounded_and_clearable(tmp_path: Path) -> None:
    cache = PageCache(tmp_path, max_bytes=10_000)
    for i in range(10):
        url = f"http://127.0.0.1/{i}"
        cache.put(url, url, "text/html", bytes([65 + i]) * 2000)
        path = cache._path(url)
        if path.exists():
            os.utime(path, (1_000_000 + i, 1_000_000 + i))  # a clear order of use
    pages, size = cache.stats()
    assert size <= 10_000 and 0 < pages < 10
    assert cache.get("http://127.0.0.1/9") is not None  # the newest survives
    assert cache.clear() == pages and cache.stats() == (0, 0)


def test_headings_and_list_items_keep_one_line_each() -> None:
    body = ("<p>The leaders adopted a joint statement on strategic partnership and cooperation.</p>"
            "<h2>Trade and investment</h2><ul><li>Raise bilateral trade to 100 billion dollars by 2030.</li>"
            "<li>Open a joint investment fund.</li></ul><h2>Security</h2>"
            "<p>The sides will hold annual consultations on regional security and arms control.</p>")
    lines = extract_html(_page(body).encode(), "joint.html")[0].split("\n")
    assert lines[0] == "Readout of the talks"
    assert "Trade and investment" in lines and "Security" in lines
    assert "- Raise bilateral trade to 100 billion dollars by 2030." in lines
    assert "- Open a joint investment fund." in lines
