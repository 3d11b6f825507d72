"""The one entry point: readouts in, an aligned and labelled Comparison out.

The stages, each a function of the one before: *read* (``diffreadout.inputs``), *segment*
(``make_readout``), *score* (``analyse``: embeddings and lexical matrices, the expensive part),
*link*, *label*, *explain* (``core.align.links``) and *profile* (``core.profile``). ``align``
runs link to profile; front ends that change thresholds call it again on the same Analysis,
without re-embedding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations

import numpy as np

from diffreadout.config import AnalysisConfig
from diffreadout.core.align.claims import claim_groups
from diffreadout.core.align.links import explain, label, link, unlinked
from diffreadout.core.similarity.embed import Embedder, MemoEmbedder, SentenceTransformerEmbedder
from diffreadout.core.align.features import pair_features, paragraph_ids, pooled
from diffreadout.core.issues.pairs import issue_matrices
from diffreadout.core.issues.tagger import tag_pair
from diffreadout.core.text.language import dominant_script, same_script
from diffreadout.core.similarity.lexical import keyword_matrices, lexical_matrix
from diffreadout.core.profile.build import build_profile
from diffreadout.core.text.readouts import make_readout, readout_from_spans
from diffreadout.model import Analysis, Comparison, ModelInfo, MultiComparison, Readout

__all__ = [
    "Analysis",
    "align",
    "analyse",
    "compare",
    "compare_many",
    "default_embedder",
    "make_readout",
    "readout_from_spans",
]

Progress = Callable[[str, float], None]


def default_embedder(config: AnalysisConfig) -> Embedder:
    """The embedder a config names (the bundled model unless told otherwise)."""
    return SentenceTransformerEmbedder(config.model_name, device=config.device, allow_download=config.allow_download)


def analyse(
    readouts: Sequence[Readout],
    config: AnalysisConfig,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """Compute the pairwise score matrices of two readouts (one batched encode per readout)."""
    if len(readouts) != 2:
        raise ValueError("compare takes exactly two readouts")
    a, b = readouts[0], readouts[1]
    embedder = embedder or default_embedder(config)
    a_texts = [s.text for s in a.statements]
    b_texts = [s.text for s in b.statements]
    report = progress or (lambda stage, fraction: None)
    report("lexical scores", 0.1)
    cross_script = not same_script(a.text, b.text)
    if not cross_script:
        lexical = lexical_matrix(a_texts, b_texts)
        keyword, rare = keyword_matrices(a_texts, b_texts)
    report(f"embedding {a.label}", 0.3)
    a_vec = embedder.encode(a_texts)
    report(f"embedding {b.label}", 0.6)
    b_vec = embedder.encode(b_texts)
    report("aligning", 0.9)
    paragraphs = (paragraph_ids(a), paragraph_ids(b))
    semantic = _cosine(a_vec, b_vec)
    if cross_script:
        # Word overlap between two scripts measures nothing (only names and numbers match), so
        # the lexical features are switched off: they take the semantic score's place, which
        # leaves the decision to meaning alone.
        lexical = keyword = np.clip(semantic, 0.0, 1.0)
        rare = np.zeros_like(semantic)
    paragraph_sim = _cosine(pooled(a_vec, paragraphs[0], window=False), pooled(b_vec, paragraphs[1], window=False))
    window_sim = _cosine(pooled(a_vec, paragraphs[0], window=True), pooled(b_vec, paragraphs[1], window=True))
    issues = tag_pair(a, b, config.issues_file)
    agreement = issue_matrices(
        [issues.get(s.id, ()) for s in a.statements], [issues.get(s.id, ()) for s in b.statements]
    )
    features = pair_features(semantic, lexical, keyword, rare, paragraph_sim, window_sim, paragraphs, agreement)
    model = ModelInfo(name=embedder.name, sha256=embedder.sha256)
    return Analysis(
        readouts=(a, b), semantic=semantic, lexical=lexical, keyword=keyword, features=features, model=model,
        vectors=(a_vec, b_vec), issues=issues,
        notes=(
            (f"Lexical scores are switched off: {a.label} and {b.label} are written in different scripts "
             f"({dominant_script(a.text)}, {dominant_script(b.text)}), so only meaning is compared.",)
            if cross_script else ()
        ),
    )


def _cosine(a_vec: np.ndarray, b_vec: np.ndarray) -> np.ndarray:
    if len(a_vec) == 0 or len(b_vec) == 0:
        return np.zeros((len(a_vec), len(b_vec)), dtype=np.float32)
    return (a_vec @ b_vec.T).astype(np.float32)


def align(analysis: Analysis, config: AnalysisConfig) -> Comparison:
    """Stages link to profile: score matrices into links, labels, reasons, omissions and the profile."""
    selection = link(analysis, config)
    groups = label(analysis, selection, config)
    links = explain(analysis, selection, groups)
    omissions, nearest = unlinked(analysis, selection)
    profile = build_profile(analysis.readouts, links, embeddings=analysis.vectors)
    return Comparison(
        readouts=analysis.readouts,
        links=links,
        omissions=omissions,
        nearest=nearest,
        model=analysis.model,
        thresholds=config.thresholds(),
        profile=profile,
        notes=analysis.notes,
        issues=analysis.issues,
    )


def compare(
    readouts: Sequence[Readout],
    config: AnalysisConfig | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Align two readouts: the one entry point the CLI, the report and the TUI all call."""
    config = config or AnalysisConfig()
    analysis = analyse(readouts, config, embedder, progress)
    result = align(analysis, config)
    if progress:
        progress("done", 1.0)
    return result


def compare_many(
    readouts: Sequence[Readout],
    config: AnalysisConfig | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> MultiComparison:
    """Three or more readouts: align every pair (each readout embedded once), then group statements into claims."""
    if len(readouts) < 2:
        raise ValueError("compare_many needs at least two readouts")
    config = config or AnalysisConfig()
    memo = MemoEmbedder(embedder or default_embedder(config))
    report = progress or (lambda stage, fraction: None)
    for k, readout in enumerate(readouts):
        report(f"embedding {readout.label}", 0.6 * k / len(readouts))
        memo.prefill([st.text for st in readout.statements])
    pairs: list[Comparison] = []
    all_pairs = list(combinations(range(len(readouts)), 2))
    for k, (i, j) in enumerate(all_pairs):
        report(f"aligning {readouts[i].label} with {readouts[j].label}", 0.6 + 0.4 * k / len(all_pairs))
        pairs.append(compare([readouts[i], readouts[j]], config, embedder=memo))
    report("done", 1.0)
    return MultiComparison(
        readouts=tuple(readouts),
        pairs=tuple(pairs),
        groups=claim_groups(readouts, pairs),
        model=pairs[0].model,
        thresholds=pairs[0].thresholds,
    )
