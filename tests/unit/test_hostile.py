"""Hostile text is inert on every surface the command line writes to.

Readouts, labels, file and folder names and case ids carry Rich/Textual markup, ANSI CSI and
OSC sequences (OSC 52 clipboard writes, OSC 0 window titles), 8-bit C1 controls, bidi
overrides, and Markdown/HTML injection. Whatever reaches standard output or standard error
(reports, JSON, eval tables, error and warning lines) holds no raw ESC, BEL, C1 or bidi
control; the Markdown keeps its structure and renders no HTML or links; the JSON round-trips
the text exactly. The TUI's surfaces are tested with the TUI.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from inprocess import UNSAFE_FOR_TERMINAL, Run, assert_one_line_error, invoke, use_fake_embedder

from diffreadout.textsafe import printable

ESC = "\x1b"
HOSTILE = {
    "rich markup": "[bold red]Lavrov[/] said [link=https://evil.example]click[/link] [@click=app.quit]quit[/]",
    "textual action": "[@click=app.exit]Exit[/] and [b]bold[/b] and [/]",
    "ansi csi": f"{ESC}[31mred{ESC}[0m and {ESC}[2J{ESC}[H cleared",
    "osc 52 clipboard": f"{ESC}]52;c;SGVsbG8={chr(7)} copied",
    "osc 52 with ST": f"{ESC}]52;c;ZXZpbA=={ESC}\\ copied again",
    "osc 0 title": f"{ESC}]0;pwned{chr(7)} title",
    "osc 8 hyperlink": f"{ESC}]8;;https://evil.example{ESC}\\link text{ESC}]8;;{ESC}\\",
    "c1 controls": "eight-bit \x9b31m CSI, \x9d0;title\x9c OSC, \x90DCS\x9c, \x85 NEL, \x9f APC",
    "bell and backspace": "ring\x07\x07 and over\x08\x08\x08strike",
    "bidi override": "The sides agreed \u202eyllufesaelp\u202c and \u2066isolated\u2069 \u2067rtl\u2069.",
    "markdown injection": "| A | B |\n|---|---|\n# Heading\n> quote\n- item\n[link](javascript:alert(1)) ![x](http://e/x.png)",
    "html injection": "<script>alert(1)</script><img src=x onerror=alert(1)> <!-- c --> &lt;b&gt; <b>bold</b>",
    "code fences": "```\nfenced\n```\n    indented\n`tick`",
}
SENTENCE = "The ministers discussed trade and energy cooperation in detail."


def _readouts(tmp_path: Path) -> tuple[Path, Path]:
    """Two readouts that carry every hostile string, on lines of their own and inside sentences."""
    a_lines = [SENTENCE]
    b_lines = ["Officials said the ministers discussed trade."]
    for name, text in HOSTILE.items():
        a_lines.append(f"Lavrov said {text} today.")
        b_lines.append(f"Wang Yi noted {text}.")
        a_lines.append(text)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("\n".join(a_lines) + "\n", encoding="utf-8")
    b.write_text("\n".join(b_lines) + "\n", encoding="utf-8")
    return a, b


def assert_terminal_safe(run: Run) -> None:
    """No byte of either stream can drive a terminal."""
    for stream in (run.out, run.err):
        found = UNSAFE_FOR_TERMINAL.search(stream)
        assert found is None, (found, stream[max(0, found.start() - 80) : found.end() + 80] if found else "")
    assert "Traceback" not in run.err


@pytest.fixture(autouse=True)
def _fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_embedder(monkeypatch)


# --- the Markdown report -------------------------------------------------------------------

MD = MarkdownIt("commonmark", {"html": True}).enable("table")


def _walk(tokens: list) -> list:  # type: ignore[type-arg]
    out = []
    for token in tokens:
        out.append(token)
        out.extend(_walk(token.children or []))
    return out


def test_markdown_report_to_stdout_is_inert(tmp_path: Path) -> None:
    a, b = _readouts(tmp_path)
    run = invoke("report", str(a), str(b), "--labels", f"{ESC}]0;A{chr(7)}[bold]A[/]", "<b>B</b> | x")
    assert run.code == 0, run.err
    assert_terminal_safe(run)
    tokens = _walk(MD.parse(run.out))
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_block", "html_inline", "link_open", "image", "code_block", "fence", "blockquote_open"}
    headings = [t for t in tokens if t.type == "heading_open"]
    assert all(t.tag in ("h1", "h2", "h3") for t in headings)
    heading_texts = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "Heading" not in heading_texts  # "# Heading" inside a statement stays text
    # Markup stays literal text: the reader sees it, no renderer acts on it.
    text = "".join(t.content for t in tokens if t.type == "text")
    assert "[bold red]Lavrov[/]" in text and "[@click=app.quit]" in text
    assert "<script>alert(1)</script>" in text
    assert "\u241b]52;c;SGVsbG8=\u2407" in text  # ESC and BEL shown as their symbols


def test_markdown_and_json_files_are_inert(tmp_path: Path) -> None:
    a, b = _readouts(tmp_path)
    for fmt in ("md", "json"):
        target = tmp_path / f"out.{fmt}"
        run = invoke("report", str(a), str(b), "--format", fmt, "-o", str(target))
        assert run.code == 0, run.err
        assert_terminal_safe(run)
        content = target.read_bytes().decode("utf-8")
        assert not UNSAFE_FOR_TERMINAL.search(content)


def test_json_to_stdout_is_inert_and_round_trips_the_text(tmp_path: Path) -> None:
    a, b = _readouts(tmp_path)
    run = invoke("report", str(a), str(b), "--format", "json", "--labels", f"{ESC}[31mA", "B\u202e")
    assert run.code == 0, run.err
    assert_terminal_safe(run)
    data = json.loads(run.stdout)
    assert data["readouts"][0]["text"] == a.read_text(encoding="utf-8")
    assert [r["label"] for r in data["readouts"]] == [f"{ESC}[31mA", "B\u202e"]
    texts = {st["text"] for st in data["readouts"][0]["statements"]}
    for hostile in HOSTILE.values():
        if "\n" not in hostile and "\x85" not in hostile:
            assert hostile in texts

    from diffreadout.export.json import dumps, loads

    assert dumps(loads(run.out)) == run.out


# --- names in messages ---------------------------------------------------------------------

EVIL_NAME = f"evil{ESC}]0;pwned{chr(7)}{ESC}[31m\x9b2J\u202e.txt"


def test_missing_file_with_an_escape_in_its_name(tmp_path: Path) -> None:
    missing = tmp_path / EVIL_NAME
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE, encoding="utf-8")
    run = invoke("report", str(missing), str(good))
    line = assert_one_line_error(run, "file not found", printable(str(missing)))
    assert_terminal_safe(run)
    assert "\\x1b]0;pwned\\x07" in line


@pytest.mark.parametrize("kind", ["directory", "empty", "binary"])
def test_other_errors_with_an_escape_in_the_name(tmp_path: Path, kind: str) -> None:
    bad = tmp_path / EVIL_NAME
    if kind == "directory":
        bad.mkdir()
    else:
        bad.write_bytes(b"" if kind == "empty" else b"\x00\x01" * 40)
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE, encoding="utf-8")
    run = invoke("report", str(good), str(bad), "--format", "json")
    assert_one_line_error(run)
    assert_terminal_safe(run)


def test_undecodable_bytes_in_a_file_name(tmp_path: Path) -> None:
    name = os.fsdecode(b"bad\xff\xfe-name.txt")  # surrogate escapes, as Linux hands them over
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE, encoding="utf-8")
    run = invoke("report", str(tmp_path / name), str(good))
    assert_one_line_error(run, "file not found")
    assert_terminal_safe(run)
    (tmp_path / name).write_text(SENTENCE + " More.", encoding="utf-8")
    for fmt in ("md", "json"):
        run = invoke("report", str(tmp_path / name), str(good), "--format", fmt)
        assert run.code == 0, run.err
        assert_terminal_safe(run)


def test_existing_output_with_an_escape_in_its_name(tmp_path: Path) -> None:
    a, b = _readouts(tmp_path)
    target = tmp_path / f"out{ESC}]52;c;SGVsbG8={chr(7)}.md"
    target.write_text("keep", encoding="utf-8")
    run = invoke("report", str(a), str(b), "-o", str(target))
    assert_one_line_error(run, "already exists")
    assert_terminal_safe(run)
    assert target.read_text(encoding="utf-8") == "keep"


def test_usage_errors_show_hostile_arguments_inert(tmp_path: Path) -> None:
    for args in (
        ["report", "a", "b", "--format", f"{ESC}]0;pwned{chr(7)}"],
        ["report", "a", "b", f"--x{ESC}[31m"],
        ["eval", str(tmp_path), "--segment", "\x9b31m"],
        [f"{ESC}]0;pwned{chr(7)}"],
    ):
        run = invoke(*args)
        assert run.code == 2, (args, run.err)
        assert_terminal_safe(run)


def test_progress_line_shows_labels_inert(capsys: pytest.CaptureFixture[str]) -> None:
    from diffreadout.cli.commands import _stderr_progress

    report = _stderr_progress()
    report(f"embedding {ESC}]0;pwned{chr(7)}\u202e", 0.3)
    report("done", 1.0)
    err = capsys.readouterr().err
    # The only controls are the progress line's own carriage return and "erase line" (it is
    # drawn only when stderr is a terminal; click drops the CSI when it is not).
    assert not UNSAFE_FOR_TERMINAL.search(err.replace(f"\r{ESC}[2K", "").replace("\r", ""))
    assert "embedding \\x1b]0;pwned\\x07\\u202e" in err


# --- eval and batch ------------------------------------------------------------------------


def _case(root: Path, folder_name: str, case_id: str, a_file: str = "a.txt") -> Path:
    folder = root / folder_name
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(f"{SENTENCE}\n{HOSTILE['osc 52 clipboard']}\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"{SENTENCE}\n{HOSTILE['rich markup']}\n", encoding="utf-8")
    case = {
        "id": case_id,
        "readouts": [{"side": "A", "label": "A", "file": a_file}, {"side": "B", "label": "B", "file": "b.txt"}],
        "statements": {"A": [{"id": "A1", "start": 0, "end": len(SENTENCE)}], "B": [{"id": "B1", "start": 0, "end": len(SENTENCE)}]},
        "links": [{"a": ["A1"], "b": ["B1"], "label": "shared"}],
    }
    (folder / "case.json").write_text(json.dumps(case), encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_eval_output_with_hostile_case_ids(tmp_path: Path, fmt: str) -> None:
    _case(tmp_path / "cases", f"c1{ESC}[31m", f"{ESC}]0;pwned{chr(7)}[bold]x[/]\u202e")
    run = invoke("eval", str(tmp_path / "cases"), "--format", fmt)
    assert run.code == 0, run.err
    assert_terminal_safe(run)
    if fmt == "json":
        assert json.loads(run.stdout)["cases"][0]["id"] == f"{ESC}]0;pwned{chr(7)}[bold]x[/]\u202e"


def test_eval_error_naming_a_hostile_readout_file(tmp_path: Path) -> None:
    _case(tmp_path / "cases", "c1", "c1", a_file=f"missing{ESC}]52;c;SGVsbG8={chr(7)}.txt")
    run = invoke("eval", str(tmp_path / "cases"))
    assert_one_line_error(run, "file not found")
    assert_terminal_safe(run)


def test_eval_malformed_case_json_with_hostile_content(tmp_path: Path) -> None:
    folder = tmp_path / "cases" / "c1"
    folder.mkdir(parents=True)
    (folder / "case.json").write_text(f'{{"readouts": "{ESC}]0;x{chr(7)}"', encoding="utf-8")
    run = invoke("eval", str(tmp_path / "cases"))
    assert_one_line_error(run, "case.json")
    assert_terminal_safe(run)


def test_batch_with_hostile_folder_names(tmp_path: Path) -> None:
    root = tmp_path / "pairs"
    good = _case(root, f"pair{ESC}]0;pwned{chr(7)}", "x")
    (good / "case.json").unlink()
    odd = root / f"lonely{ESC}[31m\x9b"
    odd.mkdir()
    (odd / "only.txt").write_text(SENTENCE, encoding="utf-8")
    broken = root / "broken"
    broken.mkdir()
    (broken / "case.json").write_text(f"{ESC}]52;c;SGVsbG8={chr(7)}", encoding="utf-8")
    out = tmp_path / f"out{ESC}[2J"
    run = invoke("report", "--batch", str(root), "-o", str(out), "--format", "md")
    assert run.code == 0, run.err
    assert_terminal_safe(run)
    assert "skipped" in run.err
    (report,) = out.iterdir()
    assert not UNSAFE_FOR_TERMINAL.search(report.read_text(encoding="utf-8"))


def test_an_html_page_with_escapes_and_character_references(tmp_path: Path) -> None:
    """Character references can name controls (&#27; is ESC); nothing reaches a terminal."""
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>\x1b]0;pwned\x07</title></head><body>"
        "<p>The ministers &#27;]52;c;SGVsbG8=&#7; met &#x9b;31m in Moscow.</p>"
        "<p>They talked &#x202e;about trade&#x202c; [bold]and[/] <b>energy</b>.</p></body></html>",
        encoding="utf-8",
    )
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE, encoding="utf-8")
    for fmt in ("md", "json"):
        run = invoke("report", str(page), str(good), "--format", fmt)
        assert run.code == 0, run.err
        assert_terminal_safe(run)
    text = json.loads(run.stdout)["readouts"][0]["text"]
    assert "[bold]and[/]" in text and "The ministers" in text  # markup is kept as data
