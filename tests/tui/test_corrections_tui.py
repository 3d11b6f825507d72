"""Pilot: correcting the alignment (link, unlink, label, split, note, undo/redo), kept across runs; review queue; copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tui_helpers import make_app, screen_text, settle

from diffreadout.tui.app import DiffReadoutApp
from diffreadout.tui.screens.main_screen import MainScreen
from diffreadout.tui.widgets.picker import NoteScreen, PickerScreen

SIZE = (110, 40)


def main(app: DiffReadoutApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def stored(app: DiffReadoutApp) -> dict:  # type: ignore[type-arg]
    assert app.corrections.path is not None
    return json.loads(app.corrections.path.read_text(encoding="utf-8"))


async def test_link_label_note_undo_redo_and_reopen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIFFREADOUT_DATA_DIR", str(tmp_path))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        first = screen.rows[0]
        a1 = first.left[0].id
        before = app.comparison.counterparts(a1)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        # nearest first, its current counterpart marked: unmark it, mark the farthest, link
        await pilot.press("space", "end", "space", "enter")
        await pilot.pause()
        linked = app.comparison.counterparts(a1)
        assert linked != before and len(linked) == 1
        (link,) = app.comparison.links_of(a1)
        assert link.by == "analyst"
        assert "Decided by the analyst" in screen_text(app) and "Engine proposed" in screen_text(app)
        label = link.label
        await pilot.press("m")
        await pilot.pause()
        assert app.comparison.links_of(a1)[0].label != label
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"check B")
        await pilot.press("enter")
        await pilot.pause()
        assert app.comparison.links_of(a1)[0].note == "check B"
        data = stored(app)
        assert any(lk.get("note") == "check B" for lk in data["links"])
        await pilot.press("z")
        await pilot.pause()
        assert app.comparison.links_of(a1)[0].note == ""
        await pilot.press("Z")
        await pilot.pause()
        assert app.comparison.links_of(a1)[0].note == "check B"
        await pilot.press("u")
        await pilot.pause()
        if isinstance(app.screen, PickerScreen):  # a link of several: which one (A1 comes first)
            await pilot.press("enter")
            await pilot.pause()
        assert a1 in app.comparison.omissions["A"]
        after = [(lk.a, lk.b, lk.label) for lk in app.comparison.links]
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [(lk.a, lk.b, lk.label) for lk in again.comparison.links] == after
        assert a1 in again.comparison.review.analyst_omissions


async def test_corrupt_file_is_one_message_and_the_rest_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIFFREADOUT_DATA_DIR", str(tmp_path))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        path = app.corrections.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{broken", encoding="utf-8")
    app = make_app()
    notes: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        original = app.notify
        monkeypatch.setattr(app, "notify", lambda message, **kw: (notes.append(message), original(message, **kw)))
        await settle(pilot)
        assert any("not valid JSON" in n and "\n" not in n for n in notes)
        assert main(app).rows and main(app).rows[0].relation != "pending"
        await pilot.press("u")  # an edit still works; the broken file is kept aside, not lost
        await pilot.pause()
        assert path.with_name(path.name + ".unreadable").read_text(encoding="utf-8") == "{broken"
        assert stored(app)["links"] is not None


async def test_stale_corrections_are_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIFFREADOUT_DATA_DIR", str(tmp_path))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await pilot.pause()
        data = stored(app)
        path = app.corrections.path
    for st in data["statements"]["A"]:
        st["text"] = "This sentence is not in the readout any more."
    path.write_text(json.dumps(data), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.corrections.stale and "no longer in the readout" in app.corrections.stale[0]


async def test_review_queue_counts_and_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIFFREADOUT_DATA_DIR", str(tmp_path))
    app = make_app()
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        order = app.corrections.queue(screen.rows)
        assert sorted(order) == list(range(len(screen.rows)))
        await pilot.press("r")
        assert screen.cursor == order[0]
        total = len(screen.rows)
        assert f"reviewed 0 / left {total}" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.cursor == order[1]
        assert f"reviewed 1 / left {total - 1}" in screen_text(app)
        await pilot.press("g", "y")
        st = screen.rows[0].left[0]
        assert copied[-1] == f"\u201c{st.text}\u201d (Russian MFA, {st.id})"
        await pilot.press("Y")
        assert copied[-1].startswith(f"Russian MFA: {st.id} ") and " | " in copied[-1]
        assert stored(app)["reviewed"]


async def test_keys_are_in_help_and_palette() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        helps = " ".join(text for _, text in app.key_help())
        for word in ("Link the selected", "out of its link", "label", "Split", "note", "Undo", "Redo", "least sure", "quote"):
            assert word in helps
        titles = [cmd.title for cmd in app.get_system_commands(app.screen)]
        assert any("Link statement" in t for t in titles) and any("Copy quote" in t for t in titles)
        assert any("Note on link" in t for t in titles)


async def test_unlink_in_a_link_of_several_asks_which(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIFFREADOUT_DATA_DIR", str(tmp_path))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        a1 = screen.rows[0].left[0].id
        b_other = screen.rows[1].right[0].id
        await pilot.press("l")
        await pilot.pause()
        # add the second row's B statement to the first link: a link of three statements
        index = [sid for sid, _, _ in app.screen._candidates].index(b_other)
        await pilot.press(*(["down"] * index), "space", "enter")
        await pilot.pause()
        row = screen.current_row
        assert len(row.statements) >= 3  # joined with the link b_other was in
        last = row.statements[-1].id
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("end", "enter")
        await pilot.pause()
        assert not app.comparison.links_of(last) and last in app.comparison.review.analyst_omissions
        assert app.comparison.links_of(a1)


async def test_link_by_typed_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIFFREADOUT_DATA_DIR", str(tmp_path))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        a1 = main(app).rows[0].left[0].id
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("tab", *"b9", "enter")  # unknown id: said, nothing changes
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("backspace", "backspace", *"B5", "enter")
        await pilot.pause()
        assert "B5" in app.comparison.counterparts(a1)
