"""Screens of the diffreadout TUI: main, paste, help, export."""
