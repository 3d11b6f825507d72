"""The one set of messages the analysis workers post (post_message is thread-safe).

The workers never touch widgets; they report progress, results and failures with these, and
the app (two readouts) or the matrix screen (three or more) hands them down as attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:
    from diffreadout.config import AnalysisConfig
    from diffreadout.model import Analysis, Comparison, MultiComparison

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


class ClaimsComplete(Message):
    """Three or more readouts: every pair is aligned and the claims are grouped."""

    def __init__(self, result: MultiComparison) -> None:
        super().__init__()
        self.result = result


class AnalysisFailed(Message):
    """The analysis (usually the model) failed; message is one line for the user."""

    def __init__(self, message: str, kept_preliminary: bool) -> None:
        super().__init__()
        self.message = message
        self.kept_preliminary = kept_preliminary
