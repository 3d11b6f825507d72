"""Messages the analysis worker posts to the app (post_message is thread-safe).

The worker never touches widgets; it reports progress and results with these, and the app
hands them down to its widgets as attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:
    from diffreadout.config import AnalysisConfig
    from diffreadout.model import Analysis
    from diffreadout.model import Comparison

ResultStage = Literal["preliminary", "final", "relabelled"]


class AnalysisProgress(Message):
    """The worker has reached a stage: what it is doing and roughly how far along it is."""

    def __init__(self, stage: str, fraction: float) -> None:
        super().__init__()
        self.stage = stage
        self.fraction = fraction


class AnalysisComplete(Message):
    """A comparison is ready: preliminary (lexical preview), final (the model's) or relabelled."""

    def __init__(
        self, comparison: Comparison, analysis: Analysis, config: AnalysisConfig, stage: ResultStage
    ) -> None:
        super().__init__()
        self.comparison = comparison
        self.analysis = analysis
        self.config = config
        self.stage = stage


class AnalysisFailed(Message):
    """The analysis (usually the model) failed; message is one line for the user."""

    def __init__(self, message: str, kept_preliminary: bool) -> None:
        super().__init__()
        self.message = message
        self.kept_preliminary = kept_preliminary
