"""The JSON contract: a Comparison as the documented JSON object, and back.

The required fields (version, readouts, links, omissions, model) have the names of the gold
format in ``shared/eval/FORMAT.md``, so a gold case and an output compare directly. Extra
fields (generator, thresholds, nearest, profile, each readout's text and sha256, each link's
scores and reasons) make the file self-contained: ``from_json_dict`` rebuilds the Comparison.
"""

from __future__ import annotations

import json
import math
from typing import Any, cast

from diffreadout.export.jsonreview import review_dict, review_from
from diffreadout.model import (Comparison, Furniture, IssueTag, Link, ModelInfo, Nearest, Profile, Readout, Reason, Span,
                               Statement)
from diffreadout.present import COUNT_RULE, Presentation, link_key, present
from diffreadout.present.marks import runs
from diffreadout.present.summary import size_unit, text_size
from diffreadout.textsafe import BIDI_CONTROLS, DEL_C1, LINE_SEPARATORS, SURROGATES, char_class

FORMAT_VERSION = 1

# json.dumps(ensure_ascii=False) escapes only C0 controls; these would reach a terminal raw.
_UNSAFE_IN_JSON = char_class(DEL_C1, LINE_SEPARATORS, BIDI_CONTROLS, SURROGATES)


def _issue_dict(tag: IssueTag) -> dict[str, Any]:
    return {
        "id": tag.id,
        "name": tag.name,
        "kind": tag.kind,
        "evidence": [{"side": s.side, "start": s.start, "end": s.end} for s in tag.evidence],
    }


def _readout_dict(readout: Readout, issues: dict[str, tuple[IssueTag, ...]] | None = None) -> dict[str, Any]:
    issues = issues or {}
    return {
        "side": readout.side,
        "label": readout.label,
        "source": readout.source,
        "sha256": readout.sha256,
        "encoding": readout.encoding,
        "language": readout.language,
        "word_count": text_size(readout.text, size_unit(readout)),
        "size_unit": size_unit(readout),
        "statements": [
            {
                "id": st.id, "start": st.start, "end": st.end, "text": st.text,
                "issues": [_issue_dict(tag) for tag in issues.get(st.id, ())],
            }
            for st in readout.statements
        ],
        "text": readout.text,
        "furniture": [
            {"kind": f.kind, "start": f.start, "end": f.end, "text": f.text, "value": f.value} for f in readout.furniture
        ],
    }


def _reason_dict(reason: Reason) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": reason.code,
        "summary": reason.summary,
        "evidence": [{"side": s.side, "start": s.start, "end": s.end} for s in reason.evidence],
    }
    if reason.detail:
        out["detail"] = [[key, value] for key, value in reason.detail]
    return out


def _link_dict(link: Link, view: Presentation) -> dict[str, Any]:
    shown = view.presented(link)
    out: dict[str, Any] = {
        "a": list(link.a),
        "b": list(link.b),
        "label": link.label,
        "score": link.score,
        "scores": {name: value for name, value in link.scores},
        "reasons": [_shown_reason(reason, link) for reason in shown.reasons],
        "issues": list(link.issues),
        "by": link.by,
        **({"note": link.note} if link.note else {}),
    }
    if shown.minor:
        out["minor_differences"] = [_reason_dict(reason) for reason in shown.minor]
    return out


def _shown_reason(reason: Reason, link: Link) -> dict[str, Any]:
    """A reason as shown, flagged where the presentation derived it (from_json_dict drops that again)."""
    out = _reason_dict(reason)
    if reason not in link.reasons:
        original = next((r for r in link.reasons if (r.code, r.summary, r.detail) == (reason.code, reason.summary, reason.detail)), None)
        out["derived"] = "evidence" if original is not None else "reason"
    return out


def _presentation_dict(view: Presentation) -> dict[str, Any]:
    """The rows (ids, relation, indexes into links), the counts and the marked words, as shown."""
    link_index = {link_key(link): k for k, link in enumerate(view.comparison.links)}
    return {
        "rows": [
            {"a": list(row.a), "b": list(row.b), "relation": row.relation, "issue": row.issue, "links": [link_index[link_key(link)] for link in row.links]}
            for row in view.rows
        ],
        "summary": {
            c.side: {"statements": c.statements, "unit": c.unit, "counts": c.counts, "sizes": c.sizes}
            for c in view.counts
        },
        "count_rule": COUNT_RULE,
        "marked": {sid: [list(span) for span in runs(view.comparison.readout(sid_side).statement(sid).text, spans)]
                   for sid, spans, sid_side in _marked(view)},
        "warnings": list(view.warnings),
    }


def _marked(view: Presentation) -> list[tuple[str, tuple[tuple[int, int], ...], str]]:
    side_of = {st.id: r.side for r in view.comparison.readouts for st in r.statements}
    return [(sid, spans, side_of[sid]) for sid, spans in sorted(view.marks.items(), key=lambda kv: _id_key(kv[0])) if spans]


def _id_key(statement_id: str) -> tuple[str, int, str]:
    head = statement_id.rstrip("0123456789")
    tail = statement_id[len(head):]
    return (head, int(tail) if tail else -1, statement_id)


def to_json_dict(comparison: Comparison, *, version: str | None = None) -> dict[str, Any]:
    """Return the JSON contract as plain dicts and lists, keys in a fixed order.

    ``version`` is the diffreadout version recorded under ``generator`` (default: this one).
    """
    if version is None:
        from diffreadout import __version__ as version
    view = present(comparison)
    return {
        "version": FORMAT_VERSION,
        "generator": {"name": "diffreadout", "version": version},
        "readouts": [_readout_dict(r, comparison.issues) for r in comparison.readouts],
        "links": [_link_dict(link, view) for link in comparison.links],
        "omissions": {side: list(ids) for side, ids in comparison.omissions.items()},
        "nearest": {
            sid: {"other": n.other_id, "score": n.score, **({"note": n.note} if n.note else {})}
            for sid, n in comparison.nearest.items()
        },
        "model": {"name": comparison.model.name, "sha256": comparison.model.sha256},
        "thresholds": {name: value for name, value in comparison.thresholds},
        "profile": comparison.profile,
        "notes": list(comparison.notes),
        "presentation": _presentation_dict(view),
        **review_dict(comparison),
    }


def _finite(value: Any) -> Any:
    """Replace NaN and infinities (not valid JSON) by null, recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def _fallback(value: Any) -> Any:
    """Make profile values that json cannot encode into JSON values (numpy scalars, sets...)."""
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def dumps(comparison: Comparison, *, version: str | None = None) -> str:
    """Serialise a Comparison as indented UTF-8 JSON text ending in a newline.

    Non-ASCII text stays readable, but every control character (C0, DEL, C1), line and
    paragraph separator, bidirectional override and lone surrogate is written as a \\u
    escape, so printing the file cannot drive a terminal.
    """
    text = json.dumps(
        _finite(to_json_dict(comparison, version=version)),
        ensure_ascii=False,
        indent=2,
        allow_nan=False,
        default=_fallback,
    )
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


class JSONContractError(ValueError):
    """A JSON document does not follow the contract; str() is one line."""


def _require(data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise JSONContractError(f"{where}: missing field {key!r}")
    value = data[key]
    if not isinstance(value, kind):
        raise JSONContractError(f"{where}.{key}: unexpected type {type(value).__name__}")
    return value


def _readout_from(data: Any, where: str) -> Readout:
    side = _require(data, "side", str, where)
    statements_data = _require(data, "statements", list, where)
    statements = []
    for index, st in enumerate(statements_data):
        at = f"{where}.statements[{index}]"
        statements.append(
            Statement(
                id=_require(st, "id", str, at),
                side=side,
                index=index,
                start=_require(st, "start", int, at),
                end=_require(st, "end", int, at),
                text=_require(st, "text", str, at),
            )
        )
    text = data.get("text")
    if not isinstance(text, str):
        text = _text_from_statements(statements)
    return Readout(
        side=side,
        label=str(data.get("label", side)),
        source=str(data.get("source", "")),
        text=text,
        statements=tuple(statements),
        sha256=str(data.get("sha256", "")),
        encoding=str(data.get("encoding", "utf-8")),
        language=str(data.get("language", "und")),
        furniture=tuple(
            Furniture(str(f.get("kind", "")), int(f.get("start", 0)), int(f.get("end", 0)), str(f.get("text", "")), str(f.get("value", "")))
            for f in data.get("furniture", [])
            if isinstance(f, dict)
        ),
    )


def _text_from_statements(statements: list[Statement]) -> str:
    """Rebuild a text from statements alone (gaps become spaces) when the JSON has no text."""
    size = max((st.end for st in statements), default=0)
    chars = [" "] * size
    for st in statements:
        chars[st.start : st.start + len(st.text)] = list(st.text)
    return "".join(chars[:size])


def _reason_from(data: Any, where: str) -> Reason:
    evidence = tuple(
        Span(
            side=_require(span, "side", str, f"{where}.evidence[{k}]"),
            start=_require(span, "start", int, f"{where}.evidence[{k}]"),
            end=_require(span, "end", int, f"{where}.evidence[{k}]"),
        )
        for k, span in enumerate(data.get("evidence", []) if isinstance(data, dict) else [])
    )
    detail_data = data.get("detail", []) if isinstance(data, dict) else []
    pairs = detail_data.items() if isinstance(detail_data, dict) else detail_data
    detail = tuple((str(key), str(value)) for key, value in pairs)
    return Reason(
        code=_require(data, "code", str, where),
        summary=_require(data, "summary", str, where),
        evidence=evidence,
        detail=detail,
    )


def _link_from(data: Any, where: str) -> Link:
    label = _require(data, "label", str, where)
    if label not in ("shared", "emphasis"):
        raise JSONContractError(f"{where}.label: {label!r} is not shared or emphasis")
    scores = data.get("scores", {})
    score = data.get("score")
    return Link(
        a=tuple(_require(data, "a", list, where)),
        b=tuple(_require(data, "b", list, where)),
        label=label,  # type: ignore[arg-type]
        score=float("nan") if score is None else float(score),
        scores=tuple((str(k), float("nan") if v is None else float(v)) for k, v in scores.items()),
        reasons=_reasons_from(data, where),
        issues=tuple(str(name) for name in data.get("issues", []) if isinstance(name, str)),
        by="analyst" if data.get("by") == "analyst" else "engine",
        note=str(data.get("note") or ""),
    )


def _issues_from(readouts_data: list[Any]) -> dict[str, tuple[IssueTag, ...]]:
    """Each statement's issues, as ``_issue_dict`` wrote them (absent in older files: none)."""
    out: dict[str, tuple[IssueTag, ...]] = {}
    for r, readout in enumerate(readouts_data):
        for k, st in enumerate(readout.get("statements", []) if isinstance(readout, dict) else []):
            where = f"$.readouts[{r}].statements[{k}]"
            tags = []
            for n, tag in enumerate(st.get("issues", []) if isinstance(st, dict) else []):
                evidence = tuple(
                    Span(
                        side=_require(span, "side", str, f"{where}.issues[{n}].evidence"),
                        start=_require(span, "start", int, f"{where}.issues[{n}].evidence"),
                        end=_require(span, "end", int, f"{where}.issues[{n}].evidence"),
                    )
                    for span in (tag.get("evidence", []) if isinstance(tag, dict) else [])
                )
                tags.append(IssueTag(
                    id=_require(tag, "id", str, f"{where}.issues[{n}]"),
                    name=_require(tag, "name", str, f"{where}.issues[{n}]"),
                    kind=_require(tag, "kind", str, f"{where}.issues[{n}]"),
                    evidence=evidence,
                ))
            if tags and isinstance(st, dict) and isinstance(st.get("id"), str):
                out[st["id"]] = tuple(tags)
    return out


def _reasons_from(data: dict[str, Any], where: str) -> tuple[Reason, ...]:
    """The engine's reasons: a shared link's minor differences, without what the presentation derived."""
    key = "minor_differences" if data.get("label") == "shared" and "minor_differences" in data else "reasons"
    out: list[Reason] = []
    for k, item in enumerate(data.get(key, [])):
        derived = item.get("derived") if isinstance(item, dict) else None
        if derived == "reason":
            continue
        reason = _reason_from(item, f"{where}.{key}[{k}]")
        out.append(Reason(reason.code, reason.summary, (), reason.detail) if derived == "evidence" else reason)
    return tuple(out)


def from_json_dict(data: Any) -> Comparison:
    """Rebuild a Comparison from the JSON contract (raises JSONContractError if malformed)."""
    version = _require(data, "version", int, "$")
    if version != FORMAT_VERSION:
        raise JSONContractError(f"$.version: unsupported version {version} (expected {FORMAT_VERSION})")
    readouts_data = _require(data, "readouts", list, "$")
    if len(readouts_data) != 2:
        raise JSONContractError(f"$.readouts: expected 2 readouts, found {len(readouts_data)}")
    a, b = (_readout_from(r, f"$.readouts[{k}]") for k, r in enumerate(readouts_data))
    links = tuple(_link_from(link, f"$.links[{k}]") for k, link in enumerate(_require(data, "links", list, "$")))
    omissions = {str(side): tuple(ids) for side, ids in _require(data, "omissions", dict, "$").items()}
    nearest = {
        str(sid): Nearest(
            statement_id=str(sid),
            other_id=entry.get("other"),
            score=float("nan") if entry.get("score") is None else float(entry["score"]),
            note=str(entry.get("note") or ""),
        )
        for sid, entry in data.get("nearest", {}).items()
    }
    model = _require(data, "model", dict, "$")
    thresholds = tuple((str(k), float(v)) for k, v in data.get("thresholds", {}).items())
    raw_profile = data.get("profile", {})
    # The profile's fields are plain JSON values kept as read; only its being an object is checked.
    profile = cast(Profile, raw_profile) if isinstance(raw_profile, dict) else Profile()
    return Comparison(
        readouts=(a, b),
        links=links,
        omissions=omissions,
        nearest=nearest,
        model=ModelInfo(name=str(model.get("name", "")), sha256=str(model.get("sha256", ""))),
        thresholds=thresholds,
        profile=profile,
        notes=tuple(str(n) for n in data.get("notes", []) if isinstance(n, str)),
        issues=_issues_from(readouts_data),
        review=review_from(data),
    )


def loads(text: str) -> Comparison:
    """Parse JSON text written by ``dumps`` back into a Comparison."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONContractError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    return from_json_dict(data)
