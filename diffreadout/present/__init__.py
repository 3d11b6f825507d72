"""One presentation model of a comparison for the report, the JSON and the TUI (pure)."""

from diffreadout.present.build import Presentation, PresentedLink, link_key, present
from diffreadout.present.rows import Row
from diffreadout.present.summary import COUNT_RULE, SideCounts
from diffreadout.present.timestamp import timestamp

__all__ = ["COUNT_RULE", "Presentation", "PresentedLink", "Row", "SideCounts", "link_key", "present", "timestamp"]
