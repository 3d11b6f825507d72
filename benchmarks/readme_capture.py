"""Make the README's screen capture from the app itself: the bundled pair, the real model.

    python benchmarks/readme_capture.py            print the capture
    python benchmarks/readme_capture.py --write    put it into README.md (between its markers)
    python benchmarks/readme_capture.py --svg F    also save Textual's SVG screenshot to F

The app runs headless (Textual's run_test) at 120x34 on ``diffreadout demo``'s pair with the
bundled model, waits for the final result, moves to the first emphasis row (``e``) so the
detail panel shows a reason, and takes the screen as plain text. The test
tests/unit/test_readme_capture.py (marked ``model``) fails when the README's capture is no
longer what this script makes.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SIZE = (120, 34)
BEGIN = "<!-- capture: made by benchmarks/readme_capture.py; do not edit by hand -->"
END = "<!-- end of capture -->"


async def _capture(svg: str | None = None) -> str:
    from diffreadout.config import AnalysisConfig
    from diffreadout.core import pipeline
    from diffreadout.examples import demo_sources
    from diffreadout.tui.app import DiffReadoutApp

    config = AnalysisConfig()
    app = DiffReadoutApp(demo_sources(), config, lambda: pipeline.default_embedder(config), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(600):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if app.result_stage == "final" or app.failure is not None:
                break
            await asyncio.sleep(0.1)
        if app.result_stage != "final":
            raise SystemExit(f"readme_capture: no final result ({app.failure or 'timed out'})")
        await pilot.press("e")
        await pilot.pause()
        if svg:
            Path(svg).write_text(app.export_screenshot(), encoding="utf-8")
        strips = app.screen._compositor.render_strips()
        return "\n".join(strip.text.rstrip() for strip in strips) + "\n"


def capture(svg: str | None = None) -> str:
    """The screen as plain text, one line per terminal row, trailing spaces cut."""
    return asyncio.run(_capture(svg))


def readme_capture(text: str) -> str | None:
    """The capture block the README holds now (None when it has no markers)."""
    match = re.search(re.escape(BEGIN) + r"\n```text\n(.*?)```\n" + re.escape(END), text, re.S)
    return match.group(1) if match else None


def with_capture(text: str, shot: str) -> str:
    """The README text with its capture block replaced by shot."""
    block = f"{BEGIN}\n```text\n{shot}```\n{END}"
    pattern = re.escape(BEGIN) + r"\n```text\n.*?```\n" + re.escape(END)
    return re.sub(pattern, lambda _: block, text, count=1, flags=re.S)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help="replace the capture in README.md")
    parser.add_argument("--svg", help="also write Textual's SVG screenshot here")
    args = parser.parse_args()
    shot = capture(args.svg)
    if args.write:
        text = README.read_text(encoding="utf-8")
        if readme_capture(text) is None:
            print("readme_capture: README.md has no capture markers", file=sys.stderr)
            return 1
        README.write_text(with_capture(text, shot), encoding="utf-8")
        print(f"wrote the capture into {README}", file=sys.stderr)
    else:
        sys.stdout.write(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
