"""A claim's history as a story: who did what, when, from what to what.

Reads the django-simple-history records of the claim and of its evidence links in a fixed number
of queries, replays them in order, and turns each into a sentence with a field-level diff.
Also says, as each record is written, whether the activity feed tells it with an earlier one (`fold`).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.humanize.templatetags.humanize import apnumber
from django.db.models import Prefetch
from django.utils.formats import date_format

from articles.models import Passage
from claims.models import Assignment, Claim, Comment, EvidenceLink, HistoricalClaim_tags
from claims.rules import independent_support

# Fields a reader cares about; the rest (version, timestamps) change with them.
CLAIM_FIELDS = ["wording", "quote", "start", "end", "status", "verdict_rationale", "reviewed_by"]
TAGS = "tags"
FIELD_LABELS = {"verdict_rationale": "rationale", "reviewed_by": "reviewer"}
# Move with every save (the basis with the status): a record that changed nothing else is a bare version bump.
BOOKKEEPING = ("version", "reviewed_at", "verdict_basis")


@dataclass
class Entry:
    at: datetime
    user: object | None
    channel: str
    kind: str  # tagged, verdict, review (a verdict suspended), edit, linked, unlinked, deleted, restored,
    # comment, assignment
    sentence: str
    detail: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)
    version: int | None = None
    history_id: int | None = None


def claim_history(claim_id: int):
    return (
        Claim.history.filter(id=claim_id)
        .select_related("history_user", "reviewed_by")
        .prefetch_related(Prefetch("historicalclaim_tags_set", HistoricalClaim_tags.objects.select_related("tag")))
        .order_by("history_date", "history_id")
    )


def link_history(claim_id: int):
    return (
        EvidenceLink.history.filter(claim_id=claim_id)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def tag_names(record) -> list[str]:
    return sorted(row.tag.name for row in record.historicalclaim_tags_set.all())


def fold(records: list) -> None:
    """Set `history_folded` on one claim's history records, oldest first: whether the activity feed tells a
    record with an earlier one. Services bump the claim's `version` once per change. Setting the tags after
    the save records the same version again: told with the save. Linking or removing a source records a
    bare bump (nothing but the bookkeeping moved): told by the link's own entry, unless tags follow it.

    Called as each record is written (`claims.receivers.fold_claim_record`). A bulk writer of claim history
    calls it on each claim's records before inserting them: the whole history, or the last two stored
    records followed by the new ones, saving a stored record whose flag changed (only the last can).
    """
    compared = [
        f.attname for f in Claim.history.model.tracked_fields if f.editable and f.name not in ("id", *BOOKKEEPING)
    ]
    for index, record in enumerate(records):
        before = records[index - 1] if index else None
        after = records[index + 1] if index + 1 < len(records) else None
        if record.history_type != "~" or before is None:
            record.history_folded = False
        elif before.version == record.version:
            record.history_folded = True
        else:
            tags_follow = after is not None and after.history_type == "~" and after.version == record.version
            record.history_folded = (
                before.version == record.version - 1
                and not tags_follow
                and all(getattr(before, name) == getattr(record, name) for name in compared)
            )


def links_at(claim_id: int, moment: datetime) -> dict[int, object]:
    """The claim's evidence links as they were at `moment`: id -> the link's last historical record."""
    state = {}
    for record in link_history(claim_id).filter(history_date__lte=moment):
        if record.history_type == "-":
            state.pop(record.id, None)
        else:
            state[record.id] = record
    return state


def timeline(claim_id: int, links: list[EvidenceLink] = ()) -> list[Entry]:
    """The whole story of a claim, oldest first. `links`, the claim's links as the page has them already
    (their passages and articles loaded), spare reading those passages again."""
    claim_records = _one_per_version(list(claim_history(claim_id)))
    link_records = list(link_history(claim_id))
    passages = {link.passage_id: link.passage for link in links if link.passage_id}
    missing = {r.passage_id for r in link_records if r.passage_id} - passages.keys()
    if missing:
        passages |= Passage.objects.select_related("article").in_bulk(missing)

    events = sorted(
        [(first.history_date, 0, first.history_id, "claim", (first, last)) for first, last in claim_records]
        + [(r.history_date, 1, r.history_id, "link", r) for r in link_records]
        + [(r.history_date, 2, r.history_id, "comment", r) for r in _comment_history(claim_id)]
        + [(r.history_date, 3, r.history_id, "assignment", r) for r in _assignment_history(claim_id)]
    )
    entries, alive, previous = [], {}, None
    for _, _, _, source, record in events:
        if source in ("comment", "assignment"):
            entry = _comment_entry(record) if source == "comment" else _assignment_entry(record)
        elif source == "link":
            entry = _link_entry(record, passages)
            if record.history_type == "-":
                alive.pop(record.id, None)
            else:
                alive[record.id] = _as_link(record, passages)
        else:
            first, last = record
            entry = _claim_entry(first, last, previous, list(alive.values()))
            previous = last
        if entry:
            entries.append(entry)
    return entries


def _one_per_version(records: list) -> list[tuple]:
    """(first, last) record of each change: setting tags after a save records the same version again."""
    groups: list[list] = []
    for record in records:
        same_change = groups and groups[-1][-1].version == record.version and record.history_type == "~"
        if same_change and groups[-1][-1].history_type != "-":
            groups[-1].append(record)
        else:
            groups.append([record])
    return [(group[0], group[-1]) for group in groups]


def _entry(record, kind: str, sentence: str, last=None, **extra) -> Entry:
    """An entry told from `record`; `last`, the final record of the same change, is the version to roll back to."""
    name = record.history_user.get_username() if record.history_user else "The system"
    reason = f" ({record.history_change_reason})" if record.history_change_reason else ""
    return Entry(
        at=record.history_date,
        user=record.history_user,
        channel=record.get_history_channel_display(),
        kind=kind,
        sentence=f"{name} {sentence}{reason}",
        history_id=(last or record).history_id,
        **extra,
    )


def _claim_entry(first, record, previous, links: list[EvidenceLink]) -> Entry | None:
    """The entry for one change of the claim: `first` and `record` are its first and last records."""
    if first.history_type == "+":
        kind, sentence = ("restored", "restored the deleted claim") if previous else ("tagged", "tagged the claim")
        return _entry(
            first,
            kind,
            sentence,
            detail=f"“{record.quote}”",
            changes=_changes(None, record),
            version=record.version,
            last=record,
        )
    if first.history_type == "-":
        return _entry(first, "deleted", "deleted the claim", version=record.version)

    changes = _changes(previous, record)
    if not changes:
        return None  # only the version moved: a source was linked or removed, told by its own entry
    changed = {name for name, _, _ in changes}
    detail = ""
    if "status" in changed and record.status == Claim.Status.REVIEW:
        others = [_label(name) for name, _, _ in changes if name != "status"]
        verdict = previous.get_status_display().lower()
        if others:
            sentence = f"changed {_list(others)}, so the verdict ({verdict}) no longer stands: the claim needs review"
        else:
            sentence = f"changed what the verdict ({verdict}) stood on: the claim needs review"
        kind, detail = "review", record.review_reason
    elif "status" in changed:
        kind, sentence, detail = "verdict", _verdict_sentence(record, previous, links), record.verdict_rationale
    else:
        kind, sentence = "edit", "changed " + _list([_label(name) for name, _, _ in changes])
    return _entry(first, kind, sentence, detail=detail, changes=changes, version=record.version, last=record)


def _verdict_sentence(record, previous, links: list[EvidenceLink]) -> str:
    if record.status == Claim.Status.OPEN:
        return f"reopened it (it was {previous.get_status_display().lower()})"
    if record.status == Claim.Status.VERIFIED:
        count = independent_support(links)
        return f"marked it verified: {apnumber(count)} independent supporting source{'s' if count != 1 else ''}"
    contradicting = sum(link.stance == EvidenceLink.Stance.CONTRADICTS for link in links)
    if contradicting:
        return f"marked it disputed: {apnumber(contradicting)} contradicting source{'s' if contradicting != 1 else ''}"
    return "marked it disputed"


def _changes(before, after) -> list[tuple[str, str, str]]:
    changes = []
    for name in CLAIM_FIELDS:
        old = _shown(getattr(before, name)) if before else ""
        new = _shown(getattr(after, name))
        if old != new:
            changes.append((FIELD_LABELS.get(name, name), old, new))
    old_tags = ", ".join(tag_names(before)) if before else ""
    new_tags = ", ".join(tag_names(after))
    if old_tags != new_tags:
        changes.append((TAGS, old_tags, new_tags))
    return changes


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "get_username"):
        return value.get_username()
    return str(value)


def _label(name: str) -> str:
    return f"the {name}"


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _as_link(record, passages) -> EvidenceLink:
    link = record.instance
    if record.passage_id:
        link.passage = passages.get(record.passage_id)
    return link


def _link_entry(record, passages) -> Entry:
    stance = EvidenceLink.Stance(record.stance)
    what = {"supports": "a supporting", "contradicts": "a contradicting", "context": "a context"}[stance]
    passage = passages.get(record.passage_id)
    source = f"“{passage.article.title}”" if passage else (record.title or record.url)
    detail = passage.text if passage else record.quote
    if record.note:
        detail = f"{detail} — note: {record.note}" if detail else f"Note: {record.note}"
    if record.history_type == "+":
        return _entry(record, "linked", f"linked {what} source from {source}", detail=detail)
    if record.history_type == "-":
        return _entry(record, "unlinked", f"removed {what} source from {source}", detail=detail)
    return _entry(record, "edit", f"changed {what} source from {source}", detail=detail)


def _comment_history(claim_id: int) -> list:
    """The claim's comment records, each knowing whether its comment is deleted now (then told without words)."""
    records = list(
        Comment.history.filter(claim_id=claim_id).select_related("history_user").order_by("history_date", "history_id")
    )
    last = {r.id: r for r in records}  # oldest first: each comment's latest record wins
    deleted = {i for i, r in last.items() if r.deleted_at is not None or r.history_type == "-"}
    seen = set()
    for record in records:
        record.timeline_deleted, record.timeline_restored = record.id in deleted, record.id in seen
        seen.add(record.id)
    return records


def _comment_entry(record) -> Entry:
    words = "" if record.timeline_deleted else record.body
    if record.history_type == "+" and record.timeline_restored:
        return _entry(record, "comment", "restored a comment", detail=words)
    if record.history_type == "+":
        return _entry(record, "comment", "replied in the discussion" if record.parent_id else "commented", detail=words)
    if record.history_type == "-" or record.deleted_at is not None:
        return _entry(record, "comment", "deleted a comment")
    return _entry(record, "comment", "edited a comment", detail=words)


def _assignment_history(claim_id: int) -> list:
    return list(
        Assignment.history.filter(claim_id=claim_id)
        .select_related("history_user", "assignee")
        .order_by("history_date", "history_id")
    )


def _assignment_entry(record) -> Entry:
    what = Assignment.Task(record.task).label.lower()
    name = record.assignee.get_username() if record.assignee else "someone"
    due = f", due {date_format(record.due, 'j M Y')}" if record.due else ""
    if record.history_type == "-":
        return _entry(record, "assignment", f"unassigned {name} (to {what})")
    verb = "assigned the claim to" if record.history_type == "+" else "changed the assignment: now"
    return _entry(record, "assignment", f"{verb} {name} to {what}{due}", detail=record.note)
