"""The history of each exported claim and of its sources, as plain data that another workbench writes back
as it was (the JSON export only: `records.claim_records(with_history=True)`, `importing.import_claims`).

Each record, oldest first:

    {"at": "2025-03-06T12:00:00+00:00", "by": "ana", "type": "+" | "~" | "-", "channel": "web",
     "reason": None, "fields": {...the claim's or the link's fields as they were then...}}

A claim's record also holds its tags then (`tags`) and whether the feed folds it (`folded`). Users are
usernames, articles content hashes, passages their article's hash and offsets; a verdict's basis (claims.basis)
keeps the ids of the workbench that wrote it, and the import maps them to its own.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.utils.dateparse import parse_date, parse_datetime

from claims.models import Claim, EvidenceLink, HistoricalClaim_tags
from workbench.audit import CHANNELS

CLAIM_FIELDS = (
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "wording",
    "status",
    "verdict_rationale",
    "reviewed_at",
    "created_at",
    "updated_at",
    "version",
    "anchor_confidence",
    "needs_review",
    "review_reason",
    "verdict_basis",
)
LINK_FIELDS = ("stance", "note", "url", "title", "publisher", "accessed_on", "quote", "added_at")
MOMENTS = {"reviewed_at", "created_at", "updated_at", "added_at"}
META = ("history_date", "history_user__username", "history_type", "history_channel", "history_change_reason")
TYPES = {"+", "~", "-"}


def claim_histories(claim_ids: list[int]) -> dict[int, list[dict]]:
    """Every record of each of these claims, oldest first."""
    tags = defaultdict(list)
    tagged = HistoricalClaim_tags.objects.filter(history__id__in=claim_ids, tag__isnull=False).order_by("tag__name")
    for history_id, name in tagged.values_list("history_id", "tag__name"):
        tags[history_id].append(name)
    rows = (
        Claim.history.filter(id__in=claim_ids)
        .order_by("history_date", "history_id")
        .values(
            "id",
            "history_id",
            "history_folded",
            "article__content_hash",
            "created_by__username",
            "reviewed_by__username",
            *META,
            *CLAIM_FIELDS,
        )
    )
    histories = defaultdict(list)
    for row in rows:
        fields = _fields(row, CLAIM_FIELDS)
        fields |= {
            "article": row["article__content_hash"],
            "created_by": row["created_by__username"],
            "reviewed_by": row["reviewed_by__username"],
        }
        record = _meta(row) | {"folded": row["history_folded"], "tags": tags[row["history_id"]], "fields": fields}
        histories[row["id"]].append(record)
    return histories


def link_histories(claim_ids: list[int]) -> dict[int, list[dict]]:
    """Every record of each link of these claims, oldest first, by the link's id."""
    rows = (
        EvidenceLink.history.filter(claim_id__in=claim_ids)
        .order_by("history_date", "history_id")
        .values(
            "id",
            "added_by__username",
            "passage__article__content_hash",
            "passage__start",
            "passage__end",
            *META,
            *LINK_FIELDS,
        )
    )
    histories = defaultdict(list)
    for row in rows:
        fields = _fields(row, LINK_FIELDS) | {"added_by": row["added_by__username"], "passage": None}
        if row["passage__article__content_hash"]:
            fields["passage"] = {
                "content_hash": row["passage__article__content_hash"],
                "start": row["passage__start"],
                "end": row["passage__end"],
            }
        histories[row["id"]].append(_meta(row) | {"fields": fields})
    return histories


def _meta(row: dict) -> dict:
    return {
        "at": row["history_date"].isoformat(),
        "by": row["history_user__username"],
        "type": row["history_type"],
        "channel": row["history_channel"],
        "reason": row["history_change_reason"],
    }


def _fields(row: dict, names: Iterable[str]) -> dict:
    return {name: row[name].isoformat() if hasattr(row[name], "isoformat") else row[name] for name in names}


class HistoryWriter:
    """Writes an imported claim's records and its links' as the export gives them, under this workbench's ids.

    `people` finds a user by username; `articles` maps a content hash to an article here; `article_ids` and
    `link_ids` map the exporting workbench's ids to this one's (a verdict's basis names them)."""

    def __init__(self, *, people, articles: dict, article_ids: dict[int, int], link_ids: dict[int, int], passages):
        self.people, self.articles, self.passages = people, articles, passages
        self.article_ids, self.link_ids = article_ids, link_ids

    def claim(self, claim: Claim, records: list, tags_named) -> None:
        history = Claim.history.model
        written, tag_rows = [], []
        for record in records:
            fields = record["fields"]
            values = {name: fields[name] for name in CLAIM_FIELDS}
            values |= {name: moment(values[name]) for name in MOMENTS & set(values)}
            values["verdict_basis"] = self.basis(values["verdict_basis"])
            article = self.articles.get(fields["article"])
            entry = history(
                id=claim.pk,
                uid=claim.uid,
                article_id=article.pk if article else claim.article_id,
                created_by=self.people.named(fields["created_by"]),
                reviewed_by=self.people.named(fields["reviewed_by"]) if fields["reviewed_by"] else None,
                history_folded=bool(record.get("folded")),
                **self._meta(record),
                **values,
            )
            written.append(entry)
            tag_rows.append(record.get("tags") or [])
        history.objects.bulk_create(written)
        # Each record names the row that tagged the claim then: the one here for a tag it still has, else none
        # (0: that row is in the exporting workbench only).
        rows = dict(Claim.tags.through.objects.filter(claim=claim).values_list("tag_id", "id"))
        HistoricalClaim_tags.objects.bulk_create(
            HistoricalClaim_tags(id=rows.get(tag.pk, 0), history=entry, claim_id=claim.pk, tag=tag)
            for entry, names in zip(written, tag_rows, strict=True)
            for tag in tags_named(names)
        )

    def link(self, link: EvidenceLink, records: list) -> None:
        history = EvidenceLink.history.model
        written = []
        for record in records:
            fields = record["fields"]
            values = {name: fields[name] for name in LINK_FIELDS}
            values["added_at"] = moment(values["added_at"])
            values["accessed_on"] = parse_date(values["accessed_on"]) if values["accessed_on"] else None
            where = fields.get("passage")
            passage = self.passages(where) if where else None
            written.append(
                history(
                    id=link.pk,
                    claim_id=link.claim_id,
                    passage_id=passage.pk if passage else (link.passage_id if where else None),
                    added_by=self.people.named(fields["added_by"]),
                    **self._meta(record),
                    **values,
                )
            )
        history.objects.bulk_create(written)

    def basis(self, basis: dict | None) -> dict | None:
        """A verdict's basis with this workbench's ids for the article and the links it names."""
        if not basis:
            return basis
        anchor = basis["anchor"] | {"article_id": self.article_ids.get(basis["anchor"]["article_id"])}
        links = [
            link
            | {
                "id": self.link_ids.get(link["id"]),
                "document": _document(link["document"], self.article_ids),
            }
            for link in basis.get("links", [])
        ]
        return basis | {"anchor": anchor, "links": links}

    def _meta(self, record: dict) -> dict:
        if record["type"] not in TYPES:
            raise ValueError(f"unknown history type {record['type']!r}")
        if record["channel"] not in dict(CHANNELS):
            raise ValueError(f"unknown channel {record['channel']!r}")
        return {
            "history_date": moment(record["at"]),
            "history_user": self.people.named(record["by"]) if record["by"] else None,
            "history_type": record["type"],
            "history_channel": record["channel"],
            "history_change_reason": record.get("reason"),
        }


def _document(key: str, article_ids: dict[int, int]) -> str:
    kind, _, value = key.partition(":")
    if kind == "article" and value.isdigit() and int(value) in article_ids:
        return f"article:{article_ids[int(value)]}"
    return key


def moment(value: str | None):
    """An export's ISO 8601 time, None when it has none; a time that is not one is the record's error."""
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"{value!r} is not a date and time")
    return parsed
