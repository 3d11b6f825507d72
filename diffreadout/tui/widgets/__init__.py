"""Widgets of the diffreadout TUI: the aligned view, the document view, the detail panel, the header."""
