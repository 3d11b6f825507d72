"""The readouts as wholes: topics with their order and share, and the meeting as each side states it.

``build_profile`` groups the statements of both readouts into topics (deterministic
average-linkage clustering on tf-idf or given sentence vectors, with linked statements pulled
together), labels each topic by its top keywords, ranks topics by first mention on each side,
and flags topics one side leads with and the other buries or leaves out. It also reads the
meeting metadata each side states (initiator, format, date, place, length) and flags where
they differ. The result is plain JSON-serialisable data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from diffreadout.core.profile.meeting import compare_metadata, meeting_metadata
from diffreadout.core.profile.topics import build_topics
from diffreadout.model import Link, Profile, Readout


def build_profile(
    readouts: Sequence[Readout], links: Sequence[Link], embeddings: Sequence[np.ndarray] | None = None
) -> Profile:
    """The whole-readout profile: topics with order, share and flags, and meeting metadata side by side.

    ``embeddings``, when given, holds one array per readout whose rows are the statement vectors
    in statement order; without it topics are found on tf-idf vectors.
    """
    topics = build_topics(readouts, links, embeddings)
    meta = {r.side: meeting_metadata(r) for r in readouts}
    return Profile(
        topics=topics["topics"],
        topic_flags=topics["flags"],
        meeting=meta,
        meeting_differences=compare_metadata(meta),
    )
