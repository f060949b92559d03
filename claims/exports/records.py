"""Claims as plain data: the one shape every export format is written from (schema_version 1).

A record is a dict of JSON types only (str, int, float, bool, None, list, dict):

    {
      "id": 12, "uid": "9f0c…", "url": "https://workbench.example/claims/12/",
      "wording": "…", "status": "verified",
      "anchor": {"quote", "prefix", "suffix", "start", "end", "confidence"},
      "tags": ["health", …],
      "article": {"id", "url", "title", "publisher", "published_at", "content_hash", "version",
                  "workbench_url", "imported_at", "origin"},
      "evidence": [{"id", "stance", "kind": "passage" | "url", "url", "title", "publisher", "quote", "note",
                    "accessed_on", "added_by", "added_at",
                    "passage": {"content_hash", "index", "start", "end"} | None}],
      "verdict": {"status", "rationale", "reviewed_by", "reviewed_at"},
      "review": {"needs_review", "reason", "suspended_verdict"},
      "history": {"created_by", "created_at", "updated_at", "version", "revisions"},
    }

With `with_history` (the JSON export), "history" also holds "records", every record of the claim, and each
evidence item its own "history" (histories.py): what another workbench needs to write them back.

Dates are ISO 8601 strings (None when unknown); users are usernames. `url` fields are absolute, on the
export's base URL.
Claims are read in chunks with their related rows prefetched, so memory stays flat however many.
"""

import base64
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from articles.models import Article
from claims.exports.histories import claim_histories, link_histories
from claims.models import Claim, EvidenceLink
from workbench.display import path_of

SCHEMA_VERSION = 1
CHUNK = 500
CSV_CHUNK = 2000  # the CSV's rows are small: fewer, larger chunks cost fewer round trips


def claim_records(
    claims: QuerySet, *, base_url: str, chunk_size: int = CHUNK, with_history: bool = False
) -> Iterator[dict]:
    # Articles without their text and the bytes received: no record holds them (article_records gives the text).
    links = (
        EvidenceLink.objects.select_related("passage__article", "added_by")
        .defer("passage__article__body", "passage__article__raw")
        .order_by("added_at", "id")
    )
    rows = (
        claims.order_by("pk")
        .select_related("article", "created_by", "reviewed_by")
        .defer("article__body", "article__raw")
        .prefetch_related(Prefetch("tags", to_attr="tag_list"), Prefetch("evidence", queryset=links, to_attr="links"))
        .annotate(revisions=_revisions())
    )
    chunk = []
    for claim in rows.iterator(chunk_size=chunk_size):
        chunk.append(claim)
        if len(chunk) == chunk_size:
            yield from _records(chunk, base_url, with_history)
            chunk = []
    yield from _records(chunk, base_url, with_history)


def _records(claims: list[Claim], base_url: str, with_history: bool) -> Iterator[dict]:
    if with_history:
        ids = [claim.pk for claim in claims]
        claims_then, links_then = claim_histories(ids), link_histories(ids)
    for claim in claims:
        record = claim_record(claim, base_url=base_url)
        if with_history:
            record["history"]["records"] = claims_then[claim.pk]
            for link, item in zip(claim.links, record["evidence"], strict=True):
                item["history"] = links_then[link.pk]
        yield record
        # Prefetching points each link back at its claim; left as a cycle, every chunk would stay in
        # memory until the garbage collector's next full pass.
        del claim.links


def _revisions() -> Subquery:
    records = Claim.history.filter(id=OuterRef("pk")).order_by().values("id").annotate(n=Count("*")).values("n")
    return Subquery(records)


def claim_record(claim: Claim, *, base_url: str) -> dict:
    article = claim.article
    return {
        "id": claim.pk,
        "uid": str(claim.uid),
        "url": _absolute(base_url, "claims:detail", claim.pk),
        "wording": claim.wording,
        "status": claim.status,
        "anchor": {
            "quote": claim.quote,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
            "start": claim.start,
            "end": claim.end,
            "confidence": claim.anchor_confidence,
        },
        "tags": [tag.name for tag in claim.tag_list],
        "article": {
            "id": article.pk,
            "url": article.url,
            "title": article.title,
            "publisher": article.publisher,
            "published_at": iso(article.published_at),
            "content_hash": article.content_hash,
            "version": article.version,
            "workbench_url": _absolute(base_url, "articles:detail", article.pk),
            "imported_at": iso(article.imported_at),
            "origin": article.origin,
        },
        "evidence": [evidence_record(link, base_url=base_url) for link in claim.links],
        "verdict": {
            "status": claim.status,
            "rationale": claim.verdict_rationale,
            "reviewed_by": username(claim.reviewed_by),
            "reviewed_at": iso(claim.reviewed_at),
        },
        "review": {
            "needs_review": claim.needs_review,
            "reason": claim.review_reason,
            # The verdict a claim that needs review had, suspended: what a reviewer may confirm.
            "suspended_verdict": (claim.verdict_basis or {}).get("status")
            if claim.status == Claim.Status.REVIEW
            else None,
        },
        "history": {
            "created_by": username(claim.created_by),
            "created_at": iso(claim.created_at),
            "updated_at": iso(claim.updated_at),
            "version": claim.version,
            "revisions": getattr(claim, "revisions", None),
        },
    }


def evidence_record(link: EvidenceLink, *, base_url: str) -> dict:
    passage = link.passage
    common = {
        "id": link.pk,
        "stance": link.stance,
        "note": link.note,
        "added_by": username(link.added_by),
        "added_at": iso(link.added_at),
    }
    if passage is not None:
        source = passage.article
        return {
            **common,
            "kind": "passage",
            "url": _source_url(source.url, source.pk, base_url),
            "title": source.title,
            "publisher": source.publisher,
            "quote": passage.text,
            "accessed_on": None,
            "passage": {
                "content_hash": source.content_hash,
                "index": passage.index,
                "start": passage.start,
                "end": passage.end,
            },
        }
    return {
        **common,
        "kind": "url",
        "url": link.url,
        "title": link.title,
        "publisher": link.source_publisher,
        "quote": link.quote,
        "accessed_on": iso(link.accessed_on),
        "passage": None,
    }


def csv_records(claims: QuerySet, *, base_url: str, chunk_size: int = CSV_CHUNK) -> Iterator[dict]:
    """The part of each claim record that the CSV writes, the same keys and values as `claim_record`'s, read
    as plain values: a row per claim and, per chunk of claims, one query for their tags and one for their
    sources, with no text, bytes or model instances the CSV does not need."""
    rows = claims.order_by("pk").values_list(
        "pk",
        "uid",
        "wording",
        "quote",
        "status",
        "verdict_rationale",
        "reviewed_by__username",
        "reviewed_at",
        "article__title",
        "article__url",
        "article__publisher",
        "article__published_at",
    )
    chunk = []
    for row in rows.iterator(chunk_size=chunk_size):
        chunk.append(row)
        if len(chunk) == chunk_size:
            yield from _csv_chunk(chunk, base_url)
            chunk = []
    yield from _csv_chunk(chunk, base_url)


def _csv_chunk(rows: list[tuple], base_url: str) -> Iterator[dict]:
    ids = [row[0] for row in rows]
    if not ids:
        return
    tags, sources = defaultdict(list), defaultdict(list)
    # The chunk's range, read from the index in one sweep: a list of 2,000 ids costs more to build and to
    # look up than the rows it leaves out, as long as the chunk's claims are most of those in its range
    # (the rows of claims not exported are fetched and never read).
    mine = {"claim_id__gte": ids[0], "claim_id__lte": ids[-1]}
    if ids[-1] - ids[0] >= 2 * len(ids):
        mine["claim_id__in"] = ids
    # In the order the full records give them: tags by name, sources as they were added.
    tagged = Claim.tags.through.objects.filter(**mine).order_by("tag__name")
    for claim_id, name in tagged.values_list("claim_id", "tag__name"):
        tags[claim_id].append(name)
    links = EvidenceLink.objects.filter(**mine).order_by("added_at", "id")
    for claim_id, stance, url, source, source_url in links.values_list(
        "claim_id", "stance", "url", "passage__article_id", "passage__article__url"
    ):
        url = _source_url(source_url, source, base_url) if source is not None else url
        sources[claim_id].append({"stance": stance, "url": url})
    for pk, uid, wording, quote, status, rationale, reviewer, reviewed_at, title, url, publisher, published in rows:
        yield {
            "id": pk,
            "uid": str(uid),
            "url": _absolute(base_url, "claims:detail", pk),
            "wording": wording,
            "status": status,
            "anchor": {"quote": quote},
            "tags": tags[pk],
            "article": {"title": title, "url": url, "publisher": publisher, "published_at": iso(published)},
            "evidence": sources[pk],
            "verdict": {"rationale": rationale, "reviewed_by": reviewer, "reviewed_at": iso(reviewed_at)},
        }


def _source_url(url: str, pk: int, base_url: str) -> str:
    """Where a passage's article is: its own address, or else the workbench's copy."""
    return url or _absolute(base_url, "articles:detail", pk)


def _absolute(base_url: str, view: str, pk: int) -> str:
    if view not in _PATHS:  # each view resolved once per process
        _PATHS[view] = path_of(view)
    return base_url + _PATHS[view](pk)


_PATHS: dict[str, Callable[[int], str]] = {}


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def username(user) -> str | None:
    return user.get_username() if user is not None else None


def article_records(claims: QuerySet, *, chunk_size: int = CHUNK) -> Iterator[dict]:
    """The articles the claims are on, were on in earlier versions of them, and those their evidence quotes,
    each once, with its text."""
    quoted = EvidenceLink.objects.filter(claim__in=claims, passage__isnull=False).values("passage__article")
    were_on = Claim.history.filter(id__in=claims.values("pk")).values("article_id")
    articles = Article.objects.filter(Q(claims__in=claims) | Q(pk__in=quoted) | Q(pk__in=were_on)).distinct()
    for article in articles.order_by("pk").iterator(chunk_size=chunk_size):
        yield {
            "id": article.pk,
            "content_hash": article.content_hash,
            "url": article.url,
            "title": article.title,
            "publisher": article.publisher,
            "published_at": iso(article.published_at),
            "body": article.body,
            "origin_file": article.origin_file,
            "origin_record": article.origin_record,
            "imported_at": iso(article.imported_at),
            # The bytes as received, which provenance needs as much as the cleaned text: base64, with the
            # encoding they were read in.
            "raw": base64.b64encode(bytes(article.raw)).decode("ascii"),
            "raw_encoding": article.raw_encoding,
            "version": article.version,
        }
