"""Screens of the diffreadout TUI: main, paste, help, export."""

# The help screen, the dialogs and the paste screen share one stylesheet, read (relative to
# each screen's module) when the first of them opens, so the first paint never parses it.
DIALOGS_CSS = "../dialogs.tcss"
