"""Re-scoring a stored screening result with its pack: the stored replies replayed through the same
scenarios (same seed, same time limits) must give the same scores. A result taken with another version of
the pack is refused, since its scenarios or limits may differ."""
from __future__ import annotations

from csrpractice.screening.results import ResultError


def rescore(doc: dict, pack) -> tuple[str, list[str]]:
    """("identical", []) or ("differs", [what differs]); ResultError when the pack is not the result's."""
    from csrpractice.session import Session

    taken = doc.get("pack") or {}
    if taken.get("id") != pack.id:
        raise ResultError(f"the result is from pack {taken.get('id')!r}, not {pack.id!r}")
    if taken.get("content_hash") != pack.content_hash or taken.get("version") != pack.version:
        raise ResultError(f"the result was taken with version {taken.get('version')} of {pack.id} "
                          f"({taken.get('content_hash')}), and this file is version {pack.version} "
                          f"({pack.content_hash}); re-score it with the pack file it was taken with")
    from csrpractice.screening.run import summarize

    by_id = {s.id: s for s in pack.scenarios}
    diffs = []
    items = doc.get("items") or []
    for n, item in enumerate(doc.get("items") or []):
        if item.get("kind") != "scenario":
            continue
        scenario = by_id.get(item.get("scenario"))
        if scenario is None:
            raise ResultError(f"item {n + 1}: scenario {item.get('scenario')!r} is not in this pack")
        if scenario.content_hash != item.get("content_hash"):
            diffs.append(f"item {n + 1} ({scenario.id}): the scenario file has changed since (content hash)")
            continue
        session = Session(scenario, seed=item.get("seed", pack.seed), mode="screening")
        for k, r in enumerate(item.get("replies") or []):
            if session.finished:
                break
            record = session.submit(r["reply"], r.get("seconds"))
            if record.score != r.get("score"):
                diffs.append(f"item {n + 1} ({scenario.id}), reply {k + 1}: score {record.score:g} now, "
                             f"{r.get('score')} stored")
        if item.get("outcome") == "timed_out":
            session.time_up()
        card = session.scorecard()
        if card.overall != item.get("overall"):
            diffs.append(f"item {n + 1} ({scenario.id}): overall {card.overall:g} now, {item.get('overall')} stored")
        if card.competencies != item.get("competencies"):
            diffs.append(f"item {n + 1} ({scenario.id}): competencies {card.competencies} now, "
                         f"{item.get('competencies')} stored")
        if card.outcome != item.get("outcome"):
            diffs.append(f"item {n + 1} ({scenario.id}): outcome {card.outcome} now, {item.get('outcome')} stored")
    # The summary (what the report and the CSV show) must follow from the items.
    try:
        want = summarize(items, pack.thresholds)
    except (KeyError, TypeError, ValueError):
        want = None
    got = doc.get("summary")
    if want is None:
        diffs.append("the items are incomplete: the summary cannot be worked out from them")
    elif got != want:
        for key in sorted(set(want) | set(got or {})):
            if (got or {}).get(key) != want.get(key):
                diffs.append(f"summary {key}: {want.get(key)} from the items, {(got or {}).get(key)} stored")
    return ("identical" if not diffs else "differs"), diffs
