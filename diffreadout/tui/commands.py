"""Names and one-line help of every action, shared by the help screen and the command palette."""

from __future__ import annotations

PALETTE_TITLES: dict[str, str] = {
    "cursor_down": "Next row",
    "cursor_up": "Previous row",
    "page_down": "Page down",
    "page_up": "Page up",
    "top": "First row",
    "bottom": "Last row",
    "next_difference": "Next difference",
    "previous_difference": "Previous difference",
    "next_omission": "Next omission",
    "next_emphasis": "Next emphasis",
    "cycle_filter": "Cycle filter",
    "search": "Search text",
    "swap": "Swap sides",
    "toggle_view": "Toggle aligned / document view",
    "toggle_detail": "Toggle detail panel",
    "toggle_history": "Toggle history: stock / variant / new",
    "clear_search": "Clear search",
    "export": "Export Markdown report",
    "threshold_up": "Stricter thresholds",
    "threshold_down": "Looser thresholds",
    "help": "Help: relations and keys",
}

ACTION_HELP: dict[str, str] = {
    "cursor_down": "Select the next row",
    "cursor_up": "Select the previous row",
    "page_down": "Move a screenful down",
    "page_up": "Move a screenful up",
    "top": "Go to the first row",
    "bottom": "Go to the last row",
    "next_difference": "Go to the next emphasis or omission",
    "previous_difference": "Go to the previous emphasis or omission",
    "next_omission": "Go to the next omission",
    "next_emphasis": "Go to the next emphasis link",
    "cycle_filter": "Filter: all, differences, omitted by A, omitted by B",
    "search": "Search the statements' text",
    "swap": "Swap the left and right readouts",
    "toggle_view": "Switch between the aligned and the document view",
    "toggle_detail": "Show or hide the detail panel",
    "toggle_history": "Tint statements by history (green stock, yellow variant, cyan new) and list earlier uses",
    "clear_search": "Close the search field or clear the matches",
    "export": "Export the Markdown report (asks for a path)",
    "threshold_up": "Stricter thresholds: fewer links and fewer shared (no re-embedding)",
    "threshold_down": "Looser thresholds: more links and more shared (no re-embedding)",
    "help": "What shared, emphasis and omission mean; every key",
    "quit": "Quit",
    "interrupt": "Quit at once, as interrupted (exit code 130)",
}


def _add_correction_keys() -> None:
    from diffreadout.tui.correction_actions import CORRECTION_HELP, CORRECTION_TITLES

    PALETTE_TITLES.update(CORRECTION_TITLES)
    ACTION_HELP.update(CORRECTION_HELP)


_add_correction_keys()
