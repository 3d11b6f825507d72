"""The terminal UI: two readouts side by side, aligned, with every difference one key away.

Nothing here is imported by the core; ``run_app`` in :mod:`diffreadout.tui.app` is the entry point.
"""
