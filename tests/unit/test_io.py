"""Reading and decoding inputs, and the one-line errors for bad ones."""

from __future__ import annotations

import codecs
import errno
import hashlib
import io
import os
import sys
import threading
from pathlib import Path

import pytest

from diffreadout.inputs import sources as dio
from diffreadout.inputs.sources import (
    InputError,
    Source,
    decode_bytes,
    default_label,
    default_labels,
    read_source,
)

RUSSIAN = (
    "Министр иностранных дел России С.В. Лавров провёл переговоры с Министром иностранных дел "
    "КНР Ван И. Стороны обсудили широкий круг вопросов двусторонних отношений, а также "
    "«актуальные» международные проблемы — в том числе ситуацию на Украине."
)
CHINESE = (
    "王毅表示，中俄关系保持高水平运行。双方应加强战略协作，共同维护国际公平正义！"
    "中方愿同俄方一道，推动两国关系不断向前发展。"
)
ENGLISH = "Secretary Rubio spoke with Foreign Minister Lavrov today. They discussed Ukraine.\n"


def write(tmp_path: Path, data: bytes, name: str = "a.txt") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def error_of(path: str, **kwargs: object) -> str:
    with pytest.raises(InputError) as info:
        read_source(path, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{info.value.name}: ")
    return message


# --- decoding -----------------------------------------------------------------------------


def test_utf8(tmp_path: Path) -> None:
    raw = ENGLISH.encode("utf-8")
    path = write(tmp_path, raw)
    source = read_source(path)
    assert source == Source(
        name=path, text=ENGLISH, encoding="utf-8", sha256=hashlib.sha256(raw).hexdigest(), path=path
    )


def test_utf8_matches_text_mode_read(tmp_path: Path) -> None:
    path = write(tmp_path, (RUSSIAN + "\n" + CHINESE + "\n").encode("utf-8"))
    with open(path, encoding="utf-8") as handle:
        assert read_source(path).text == handle.read()


def test_utf8_with_bom_strips_bom(tmp_path: Path) -> None:
    raw = codecs.BOM_UTF8 + RUSSIAN.encode("utf-8")
    source = read_source(write(tmp_path, raw))
    assert source.text == RUSSIAN
    assert source.encoding == "utf-8-sig"
    assert source.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize(
    ("bom", "codec", "encoding"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    ],
)
def test_utf16_and_utf32_with_bom(tmp_path: Path, bom: bytes, codec: str, encoding: str) -> None:
    text = CHINESE + "\n" + RUSSIAN
    source = read_source(write(tmp_path, bom + text.encode(codec)))
    assert (source.text, source.encoding) == (text, encoding)


def test_utf16_bom_with_broken_body(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, codecs.BOM_UTF16_LE + b"a\x00b"))
    assert "utf-16-le byte-order mark but is not valid utf-16-le" in message


def test_cp1251_russian(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, RUSSIAN.encode("cp1251")))
    assert (source.text, source.encoding) == (RUSSIAN, "cp1251")


def test_cp1251_short_russian_word(tmp_path: Path) -> None:
    assert read_source(write(tmp_path, "Москва".encode("cp1251"))).encoding == "cp1251"


def test_gb18030_chinese(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, CHINESE.encode("gb18030")))
    assert (source.text, source.encoding) == (CHINESE, "gb18030")


def test_gb18030_short_chinese_beats_cp1251(tmp_path: Path) -> None:
    # b"\xd6\xd0\xb9\xfa" also reads as cp1251 "ЦР№ъ"; the tie goes to GB18030.
    assert read_source(write(tmp_path, "中国".encode("gb18030"))).text == "中国"


def test_gb18030_russian_text_in_gb18030(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "Стороны обсудили ситуацию".encode("gb18030")))
    assert (source.text, source.encoding) == ("Стороны обсудили ситуацию", "gb18030")


def test_crlf_and_lone_cr_translated_like_text_mode(tmp_path: Path) -> None:
    raw = b"Title\r\nFirst line.\rSecond line.\r\n\r\nLast.\n"
    path = write(tmp_path, raw)
    with open(path, encoding="utf-8") as handle:
        expected = handle.read()
    assert read_source(path).text == expected == "Title\nFirst line.\nSecond line.\n\nLast.\n"


def test_crlf_in_utf16(tmp_path: Path) -> None:
    raw = codecs.BOM_UTF16_LE + "a\r\nb".encode("utf-16-le")
    assert read_source(write(tmp_path, raw)).text == "a\nb"


def test_latin1_is_refused(tmp_path: Path) -> None:
    raw = "Les ministres ont discuté de la coopération économique et énergétique.".encode("latin-1")
    message = error_of(write(tmp_path, raw))
    assert message.endswith("cannot decode text (not UTF-8, UTF-16, cp1251 or GB18030)")


def test_invalid_bytes(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, b"abc \xff\xfe\xfd\xfc\x81\x98 \x98\x98"))
    assert message.endswith("cannot decode text (not UTF-8, UTF-16, cp1251 or GB18030)")


def test_nul_bytes_are_binary(tmp_path: Path) -> None:
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert error_of(path) == f"{path}: looks like binary data (NUL bytes), not text"


def test_control_characters_are_binary(tmp_path: Path) -> None:
    path = write(tmp_path, bytes(range(1, 9)) * 20 + b"some text")
    assert error_of(path) == f"{path}: looks like binary data (control characters), not text"


def test_a_few_control_characters_are_tolerated(tmp_path: Path) -> None:
    text = "A form feed\x0c and an escape \x1b in a long enough line of ordinary readout text."
    assert read_source(write(tmp_path, text.encode())).text == text


def test_empty(tmp_path: Path) -> None:
    path = write(tmp_path, b"")
    assert error_of(path) == f"{path}: file is empty"


def test_whitespace_only(tmp_path: Path) -> None:
    path = write(tmp_path, b" \n\t\r\n  \n")
    assert error_of(path) == f"{path}: contains only whitespace"


def test_bom_only(tmp_path: Path) -> None:
    path = write(tmp_path, codecs.BOM_UTF8)
    assert error_of(path) == f"{path}: contains only a byte-order mark, no text"


def test_decode_bytes_directly() -> None:
    assert decode_bytes("Привет, мир.\r\n".encode(), "x") == ("Привет, мир.\n", "utf-8")


# --- files that are not readable text ------------------------------------------------------


def test_missing(tmp_path: Path) -> None:
    path = str(tmp_path / "nope.txt")
    assert error_of(path) == f"{path}: file not found"


def test_missing_parent_is_a_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"x") + "/child.txt"
    assert error_of(path) == f"{path}: file not found (a part of the path is not a directory)"


def test_directory(tmp_path: Path) -> None:
    path = str(tmp_path) + "/"
    assert error_of(path) == f"{path}: is a directory, not a file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome: list[str] = []

    def attempt() -> None:
        try:
            read_source(str(fifo))
        except InputError as exc:
            outcome.append(str(exc))

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert outcome == [f"{fifo}: is a named pipe (FIFO), not a regular file"]


def test_character_device_is_refused() -> None:
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null")
    assert error_of("/dev/null") == "/dev/null: is a character device, not a regular file"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything")
def test_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path, b"secret")
    os.chmod(path, 0)
    try:
        assert error_of(path) == f"{path}: permission denied"
    finally:
        os.chmod(path, 0o600)


def test_permission_denied_on_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, b"secret")

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", path)

    monkeypatch.setattr(dio.os, "open", refuse)
    assert error_of(path) == f"{path}: permission denied"


def test_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    os.symlink(loop, loop)
    assert "symlink loop" in error_of(str(loop))


def test_broken_symlink(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    os.symlink(tmp_path / "gone.txt", link)
    assert error_of(str(link)) == f"{link}: broken symbolic link (its target does not exist)"


def test_symlink_to_file_is_followed(tmp_path: Path) -> None:
    target = write(tmp_path, b"Readout text.")
    link = tmp_path / "link.txt"
    os.symlink(target, link)
    assert read_source(str(link)).text == "Readout text."


def test_over_max_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, b"x" * 200)
    message = error_of(path, max_bytes=100)
    assert message == f"{path}: 200 bytes is over the 100 bytes limit (use --max-bytes to raise it)"


def test_over_default_limit_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as handle:
        handle.truncate(int(7.2 * 1024 * 1024))  # sparse: refused by size before reading
    assert error_of(str(path)) == f"{path}: 7.2 MB is over the 5 MB limit (use --max-bytes to raise it)"


def test_one_byte_over_shows_exact_counts(tmp_path: Path) -> None:
    path = write(tmp_path, b"x" * 2049)
    assert "2,049 bytes is over the 2,048-byte limit" in error_of(path, max_bytes=2048)


def test_exactly_max_bytes_is_accepted(tmp_path: Path) -> None:
    assert read_source(write(tmp_path, b"x" * 100), max_bytes=100).text == "x" * 100


def test_any_extension_is_read(tmp_path: Path) -> None:
    for name in ("a.md", "a.text", "readout", "a.TXT"):
        assert read_source(write(tmp_path, b"Text.", name)).text == "Text."


def test_path_like(tmp_path: Path) -> None:
    path = Path(write(tmp_path, b"Text."))
    assert read_source(path).name == str(path)


# --- standard input -------------------------------------------------------------------------


def test_stdin_bytesio() -> None:
    raw = ("\ufeff" + RUSSIAN).encode("utf-8")
    source = read_source("-", stdin=io.BytesIO(raw))
    assert source.name == "<stdin>"
    assert source.path is None
    assert source.text == RUSSIAN
    assert source.sha256 == hashlib.sha256(raw).hexdigest()


def test_stdin_default_is_sys_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(CHINESE.encode("gb18030"))

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    assert read_source("-").text == CHINESE


def test_stdin_over_limit() -> None:
    with pytest.raises(InputError) as info:
        read_source("-", max_bytes=10, stdin=io.BytesIO(b"y" * 50))
    message = str(info.value)
    assert message == "<stdin>: input is over the 10 bytes limit (use --max-bytes to raise it)"


def test_stdin_empty() -> None:
    with pytest.raises(InputError, match=r"^<stdin>: input is empty$"):
        read_source("-", stdin=io.BytesIO(b""))


def test_stdin_short_reads() -> None:
    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = data

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            chunk, self.data = self.data[:3], self.data[3:]
            return chunk

    assert read_source("-", stdin=Trickle(ENGLISH.encode())).text == ENGLISH  # type: ignore[arg-type]


# --- labels ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("fixtures/ru-mfa_lavrov.txt", "ru-mfa lavrov"),
        ("a.txt", "a"),
        ("-", "stdin"),
        ("dir/cn__mfa--readout.md", "cn mfa readout"),
        ("2025-05-17_rubio.txt", "2025-05-17 rubio"),
        ("-lead-.txt", "lead"),
        ("noext", "noext"),
        (".hidden", ".hidden"),
        ("a.ru.txt", "a.ru"),
    ],
)
def test_default_label(path: str, label: str) -> None:
    assert default_label(path) == label


def test_default_labels_distinct_names_untouched() -> None:
    assert default_labels(["x/ru_mfa.txt", "y/cn_mfa.txt"]) == ["ru mfa", "cn mfa"]


def test_default_labels_same_name_takes_parent(tmp_path: Path) -> None:
    a, b = str(tmp_path / "ru" / "readout.txt"), str(tmp_path / "cn_side" / "readout.txt")
    assert default_labels([a, b]) == ["ru/readout", "cn side/readout"]


def test_default_labels_same_file_twice_is_numbered() -> None:
    assert default_labels(["a.txt", "./a.txt"]) == ["a (1)", "a (2)"]


def test_default_labels_stdin_and_file() -> None:
    labels = default_labels(["-", "stdin.txt"])
    assert labels[0] == "stdin"
    assert len(set(labels)) == 2


# --- UTF-16 without a byte-order mark, and files that mix encodings -------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [ENGLISH, RUSSIAN + "\n", "Lavrov and 王毅 met. " + CHINESE])
def test_utf16_without_bom_is_recognised_by_its_zero_bytes(tmp_path: Path, codec: str, text: str) -> None:
    source = read_source(write(tmp_path, text.encode(codec)))
    assert (source.text, source.encoding) == (text, codec)


def test_utf16_chinese_without_bom_or_ascii_is_refused(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "王毅表示中俄关系保持高水平运行".encode("utf-16-le")))
    assert message.endswith("cannot decode text (not UTF-8, UTF-16, cp1251 or GB18030)")


@pytest.mark.parametrize("data", [b"a\x00", b"ab\x00\x00cd\x00\x00", b"\x00\x01" * 50, bytes(range(256)) * 4])
def test_zero_bytes_that_are_not_utf16_stay_binary(tmp_path: Path, data: bytes) -> None:
    assert "binary" in error_of(write(tmp_path, data))


def test_lines_in_different_encodings_are_refused(tmp_path: Path) -> None:
    data = "Стороны обсудили.\n".encode("cp1251") + CHINESE.encode("utf-8") + "\n".encode()
    path = write(tmp_path, data)
    assert error_of(path) == f"{path}: mixes text encodings (some lines are UTF-8, line 1 is not); save it as UTF-8"
    data = (ENGLISH + RUSSIAN + "\n").encode("utf-8") + "Café crème.".encode("latin-1")
    assert "line 3 is not" in error_of(write(tmp_path, data))


def test_one_legacy_encoding_throughout_is_not_mixed(tmp_path: Path) -> None:
    data = (ENGLISH + RUSSIAN + "\nПётр Фёдорович.\n").encode("cp1251")
    assert read_source(write(tmp_path, data)).encoding == "cp1251"
    assert read_source(write(tmp_path, (ENGLISH + CHINESE).encode("gb18030"))).encoding == "gb18030"
