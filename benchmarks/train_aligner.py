"""Fit the aligner's two logistic models on gold cases and print leave-one-case-out figures.

    python benchmarks/train_aligner.py [CASES_DIR] [--write]

The link model predicts whether a pair of statements is linked; the label model predicts,
for linked pairs, whether the link is shared rather than emphasis. Features come from the
product's own code (diffreadout.core.align.features) on the gold segmentation, so the weights fit
what the aligner sees. Leave-one-case-out figures estimate how the weights do on cases they
were not fitted on; --write stores weights fitted on all cases in diffreadout/core/align/aligner.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from diffreadout.config import ALIGNER_FILE, AnalysisConfig  # noqa: E402
from diffreadout.storage.embeddings import cached_embedder  # noqa: E402
from diffreadout.core.similarity.embed import SentenceTransformerEmbedder  # noqa: E402
from diffreadout.core.align.links import LABEL_FEATURE_NAMES, by_convention, label_features, select_links  # noqa: E402
from diffreadout.core.align.features import FEATURE_NAMES, logistic  # noqa: E402
from diffreadout.core.pipeline import analyse, readout_from_spans  # noqa: E402
from diffreadout.evaluation.cases import find_cases, load_case  # noqa: E402
from diffreadout.model import Readout  # noqa: E402


L2 = 0.1  # label model: chosen by leave-one-case-out over 0.003..3 (label accuracy peaks near 0.1)
# Link model: with the issue features it has more weights to overfit six cases with; chosen by
# leave-one-case-out over 0.03..3 (pair and omission F1 peak near 1.0).
LINK_L2 = 1.0


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, iterations: int = 60) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (bias not regularised)."""
    xb = np.hstack([x, np.ones((len(x), 1))]).astype(np.float64)
    w = np.zeros(xb.shape[1])
    reg = l2 * np.r_[np.ones(len(w) - 1), 0.0]
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -50, 50)))
        grad = xb.T @ (p - y) + reg * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        w -= np.linalg.solve(hess, grad)
    return w[:-1], float(w[-1])


def f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "dev"))
    parser.add_argument("--write", action="store_true", help="store weights fitted on all cases")
    parser.add_argument("--sweep", action="store_true", help="print held-out figures over a threshold grid")
    parser.add_argument(
        "--thresholds", nargs=4, type=float, metavar=("LINK", "MUTUAL", "SHARED", "EXCHANGE"),
        help="with --write: store these default thresholds (chosen from --sweep) in aligner.json",
    )
    args = parser.parse_args()
    folders = find_cases(Path(args.cases))
    if not folders:
        print(f"{args.cases}: no case folders (with case.json) found", file=sys.stderr)
        return 1
    config = AnalysisConfig()
    embedder = cached_embedder(SentenceTransformerEmbedder())
    data = {}
    for folder in folders:
        case = load_case(folder)
        readouts = []
        for side, text, label in zip("AB", case.texts, case.labels):
            gold = sorted(case.statements[side], key=lambda g: g[1])
            readouts.append(readout_from_spans(side, label, side, text, [(s, e) for _, s, e in gold]))
        analysis = analyse(readouts, config, embedder)
        ids = [[gid for gid, _, _ in sorted(case.statements[s], key=lambda g: g[1])] for s in "AB"]
        linked = np.zeros(analysis.semantic.shape)
        shared = np.zeros(analysis.semantic.shape)
        for la, lb, label in case.links:
            for a in la:
                for b in lb:
                    linked[ids[0].index(a), ids[1].index(b)] = 1
                    shared[ids[0].index(a), ids[1].index(b)] = label == "shared"
        gold_pairs = [(int(i), int(j)) for i, j in zip(*np.nonzero(linked))]
        data[case.id] = CaseData(
            features=analysis.features.reshape(len(FEATURE_NAMES), -1),
            linked=linked.ravel(), shared=shared.ravel(), shape=linked.shape,
            full=analysis.features, readouts=(readouts[0], readouts[1]),
            gold_label_x=label_features(analysis.features, readouts[0].statements, readouts[1].statements, gold_pairs).T,
            gold_label_y=np.array([shared[i, j] for i, j in gold_pairs]),
            issues=analysis.issues,
        )

    def train(keys: list[str]) -> dict[str, tuple[np.ndarray, float]]:
        x = np.hstack([data[k].features for k in keys]).T
        y = np.concatenate([data[k].linked for k in keys])
        label_x = np.vstack([data[k].gold_label_x for k in keys])
        label_y = np.concatenate([data[k].gold_label_y for k in keys])
        return {"link": fit(x, y, LINK_L2), "label": fit(label_x, label_y)}

    held_out = {key: train([k for k in data if k != key]) for key in data}
    if args.sweep:
        for link_t in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
            for mutual_t in (0.05, 0.1, 0.15, 0.2, 0.3):
                for shared_t in (0.4, 0.5, 0.6):
                    for exchange_t in (0.05, 0.1, 0.15, 0.2, 1.0):
                        c = AnalysisConfig(link_threshold=link_t, mutual_threshold=mutual_t,
                                           shared_threshold=shared_t, exchange_threshold=exchange_t)
                        t = sum((_counts(data[k], held_out[k], c) for k in data), np.zeros(9, dtype=int))
                        print(f"link {link_t:.2f} mutual {mutual_t:.2f} shared {shared_t:.2f} "
                              f"exchange {exchange_t:.2f}: "
                              f"pair {f1(*t[0:3]):.3f} labelled {f1(*t[3:6]):.3f} omission {f1(*t[6:9]):.3f}")
        return 0
    totals = np.zeros(9, dtype=int)
    print(f"{'held-out case':55s} {'pairF1':>7s} {'labF1':>7s} {'omF1':>7s}")
    for key in data:
        counts = _counts(data[key], held_out[key], config)
        totals += counts
        print(f"{key[:55]:55s} {f1(*counts[0:3]):7.3f} {f1(*counts[3:6]):7.3f} {f1(*counts[6:9]):7.3f}")
    print(f"{'leave-one-case-out, micro-averaged':55s} {f1(*totals[0:3]):7.3f} {f1(*totals[3:6]):7.3f} {f1(*totals[6:9]):7.3f}")
    models = train(list(data))
    # The label model on the gold links' pairs: right on how many, fitted and held out.
    held_right = sum(int(((_shared(data[k].gold_label_x.T, held_out[k]["label"]) >= config.shared_threshold)
                          == (data[k].gold_label_y > 0)).sum()) for k in data)
    fit_right = sum(int(((_shared(data[k].gold_label_x.T, models["label"]) >= config.shared_threshold)
                         == (data[k].gold_label_y > 0)).sum()) for k in data)
    n_gold = sum(len(data[k].gold_label_y) for k in data)
    print(f"label accuracy on {n_gold} gold pairs: fitted {fit_right / n_gold:.3f}, "
          f"leave-one-case-out {held_right / n_gold:.3f}")
    out = {
        "about": "Logistic weights fitted by benchmarks/train_aligner.py on gold segmentations.",
        "cases": len(data),
        "loco": {
            "pair_f1": round(f1(*totals[0:3]), 4),
            "labelled_f1": round(f1(*totals[3:6]), 4),
            "omission_f1": round(f1(*totals[6:9]), 4),
            "label_accuracy": round(held_right / n_gold, 4),
        },
    }
    for name, (w, b) in models.items():
        names = FEATURE_NAMES if name == "link" else LABEL_FEATURE_NAMES
        out[name] = {"features": list(names), "weights": [round(float(v), 5) for v in w], "bias": round(b, 5)}
        print(name, dict(zip(names, out[name]["weights"])), "bias", out[name]["bias"])
    if args.write:
        target = ALIGNER_FILE
        tuning = json.loads(target.read_text(encoding="utf-8"))["tuning"]
        if args.thresholds:
            tuning["thresholds"] = dict(zip(("link", "mutual", "shared", "exchange"), args.thresholds))
        out["tuning"] = tuning
        target.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {target}")
    return 0


@dataclass
class CaseData:
    """One gold case's features and answers."""

    features: np.ndarray
    linked: np.ndarray
    shared: np.ndarray
    shape: tuple[int, int]
    full: np.ndarray
    readouts: tuple[Readout, Readout]
    gold_label_x: np.ndarray
    gold_label_y: np.ndarray
    issues: dict  # type: ignore[type-arg]


def _shared(label_x: np.ndarray, model: tuple[np.ndarray, float]) -> np.ndarray:
    """Shared probabilities as the product computes them: the label model, then the conventions."""
    return by_convention(label_x, logistic(label_x, *model))


def _counts(case: CaseData, models: dict, config: AnalysisConfig) -> np.ndarray:  # type: ignore[type-arg]
    """Pair, labelled and omission counts of one held-out case under one config."""
    probability = logistic(case.features, *models["link"]).reshape(case.shape)
    sel, _ = select_links(probability, case.readouts[0].statements, case.readouts[1].statements, config, case.issues)
    pairs = [(int(i), int(j)) for i, j in zip(*np.nonzero(sel))]
    sh = np.zeros(case.shape, dtype=bool)
    if pairs:
        lx = label_features(case.full, case.readouts[0].statements, case.readouts[1].statements, pairs)
        for (i, j), p in zip(pairs, _shared(lx, models["label"])):
            sh[i, j] = p >= config.shared_threshold
    gold = case.linked.reshape(case.shape) > 0
    gold_sh = case.shared.reshape(case.shape) > 0
    sys_om = np.r_[~sel.any(1), ~sel.any(0)]
    gold_om = np.r_[~gold.any(1), ~gold.any(0)]
    sys_lab = {(i, j, bool(sh[i, j])) for i, j in pairs}
    gold_lab = {(i, j, bool(gold_sh[i, j])) for i, j in zip(*np.nonzero(gold))}
    return np.array([
        (sel & gold).sum(), (sel & ~gold).sum(), (~sel & gold).sum(),
        len(sys_lab & gold_lab), len(sys_lab - gold_lab), len(gold_lab - sys_lab),
        (sys_om & gold_om).sum(), (sys_om & ~gold_om).sum(), (~sys_om & gold_om).sum(),
    ])


if __name__ == "__main__":
    raise SystemExit(main())
