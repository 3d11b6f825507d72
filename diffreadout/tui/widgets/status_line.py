"""The status line: what the analysis is doing, or what is shown (model, thresholds, filter)."""

from __future__ import annotations

from rich.text import Text
from textual.timer import Timer
from textual.widget import Widget

from diffreadout.tui.styles import layer_style
from diffreadout.tui.text import visible

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class StatusLine(Widget, can_focus=False):
    """A spinner and the stage while the worker runs; settings and view state after, on a second
    line when one does not fit the terminal (so the review count is never cut at 80 columns)."""

    COMPONENT_CLASSES = {"status-line--busy", "status-line--error", "status-line--preview", "status-line--info"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stage = "starting"
        self.fraction = 0.0
        self.busy = True
        self.error: str | None = None
        self.preview = False
        self.info = ""
        self._frame = 0
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        """Animate the spinner while busy."""
        self._timer = self.set_interval(0.12, self._tick, pause=not self.busy)

    def _tick(self) -> None:
        self._frame = (self._frame + 1) % len(SPINNER)
        self.refresh()

    def set_state(
        self,
        *,
        busy: bool | None = None,
        stage: str | None = None,
        fraction: float | None = None,
        error: str | None = None,
        preview: bool | None = None,
        info: str | None = None,
    ) -> None:
        """Update what the line says (None leaves a field as it is)."""
        if busy is not None:
            self.busy = busy
            if self._timer is not None:
                self._timer.resume() if busy else self._timer.pause()
        if stage is not None:
            self.stage = stage
        if fraction is not None:
            self.fraction = fraction
        if error is not None:
            self.error = error
        if preview is not None:
            self.preview = preview
        if info is not None:
            self.info = info
        self._fit()
        self.refresh()

    def on_resize(self) -> None:
        """A narrower terminal may need the second line."""
        self._fit()

    def _info_lines(self) -> list[str]:
        """The settings as one line, or two broken at a " · " when one does not fit the width."""
        width = self.size.width or 80
        info = visible(self.info)
        if len(info) <= width or " · " not in info:
            return [info]
        parts = info.split(" · ")
        first: list[str] = []
        while parts and len(" · ".join([*first, parts[0]])) <= width:
            first.append(parts.pop(0))
        if not first:
            first.append(parts.pop(0))
        return [" · ".join(first), " · ".join(parts)] if parts else [" · ".join(first)]

    def _fit(self) -> None:
        lines = 1 if self.busy else len(self._info_lines())
        self.styles.height = lines + (1 if self.error else 0)

    def render(self) -> Text:
        """The line."""
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        if self.busy:
            stage = f"{SPINNER[self._frame]} {visible(self.stage)}… {self.fraction:.0%}"
            line.append(stage, style=layer_style(self, "status-line--busy"))
            if self.preview:
                line.append("  showing the lexical preview", style=layer_style(self, "status-line--preview"))
            line.append("  ")
        if self.error:
            # A failure takes a line of its own, so neither it nor the settings (which name the
            # model whose results are shown) is cut off.
            line.append(f"⚠ {visible(self.error)}", style=layer_style(self, "status-line--error"))
            line.append("\n")
        elif self.preview and not self.busy:
            line.append("lexical preview  ", style=layer_style(self, "status-line--preview"))
        info = visible(self.info) if self.busy else "\n".join(self._info_lines())
        line.append(info, style=layer_style(self, "status-line--info"))
        return line
