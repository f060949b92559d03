"""Importing a JSON export into another workbench: its articles (matched by content hash), claims
(matched by uid), anchors, tags, evidence links and verdicts, as they were.

Importing the same export twice changes nothing. A claim that cannot be recreated exactly (its
anchor no longer slices its article, a passage it quotes is not there) is rejected with the reason;
it is written whole or not at all, and the others go on.

What the export says of provenance stays: each article's origin, bytes and import time, each claim's and
link's creation time, version and history (histories.py), and their ids where they are free here, so that
a workbench made from another's export exports what the first did. The import then writes no history of
its own for a claim, unless the claim is not here as it was there (a verdict that does not meet this
workbench's rules).
"""

import base64
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from articles.models import Article, Passage
from articles.passages import ensure_passages
from articles.text import content_hash
from claims.anchoring import AnchorError, check_anchor
from claims.exports.histories import HistoryWriter, moment
from claims.exports.records import SCHEMA_VERSION
from claims.models import Claim, EvidenceLink
from claims.services import tags_named, verdict_adopt
from workbench.audit import IMPORT, audit_channel, bulk_create_with_history


class ImportRefused(Exception):
    """The document as a whole cannot be imported (not an export, another schema version)."""


@dataclass
class ClaimsImported:
    articles_created: int = 0
    claims_created: int = 0
    claims_present: int = 0  # already here, from an earlier import or the exporting workbench itself
    rejected: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was imported otherwise than it came

    def summary(self) -> str:
        return (
            f"{self.claims_created} claim(s) created, {self.claims_present} already here, "
            f"{len(self.rejected)} rejected; {self.articles_created} article(s) created."
        )


def import_claims(document: dict, *, user, origin: str) -> ClaimsImported:
    if not isinstance(document, dict) or not isinstance(document.get("claims"), list):
        raise ImportRefused("not a Workbench JSON export: expected an object with a list of claims")
    if document.get("schema_version") != SCHEMA_VERSION:
        raise ImportRefused(
            f"schema_version {document.get('schema_version')!r} is not one this workbench reads ({SCHEMA_VERSION})"
        )
    outcome = ClaimsImported()
    with audit_channel(IMPORT):
        records = document["claims"]
        articles = _articles(document.get("articles") or [], user=user, origin=origin, outcome=outcome)
        people = _People(user)
        present = set(Claim.objects.filter(uid__in=_valid_uids(records)).values_list("uid", flat=True))
        ids = _Ids(records, document.get("articles") or [], articles)
        for number, record in enumerate(records, start=1):
            try:
                if _uid(record) in present:
                    outcome.claims_present += 1
                    continue
                with transaction.atomic():
                    _claim(record, articles=articles, people=people, ids=ids)
                outcome.claims_created += 1
            except IntegrityError as error:  # another import of it, meanwhile, or one of its ids taken meanwhile
                if Claim.objects.filter(uid=_uid(record)).exists():
                    outcome.claims_present += 1
                else:
                    outcome.rejected.append(
                        f"claim {number}: written meanwhile by someone else ({error}); import again"
                    )
            except (KeyError, TypeError, ValueError, AnchorError) as error:
                outcome.rejected.append(f"claim {number}: {_reason(error)}")
    return outcome


def _articles(records: list, *, user, origin: str, outcome: ClaimsImported) -> dict[str, Article]:
    hashes = {record.get("content_hash") for record in records if isinstance(record, dict)}
    articles = {article.content_hash: article for article in Article.objects.filter(content_hash__in=hashes)}
    new = []
    for number, record in enumerate(records, start=1):
        try:
            article = _article(record, number=number, user=user, origin=origin, known=articles)
        except (KeyError, TypeError, ValueError) as error:
            outcome.rejected.append(f"article {number}: {_reason(error)}")
            continue
        if article is not None:
            articles[article.content_hash] = article
            new.append(article)
    with transaction.atomic():  # what is free is still free when written (SQLite takes its write lock here)
        free = _free_ids(Article, [record.get("id") for record in records if isinstance(record, dict)])
        for article, record in zip(new, _records_of(new, records), strict=True):
            if record.get("id") in free:
                article.pk = record["id"]
                free.discard(article.pk)
        bulk_create_with_history(new, Article, user=user)
    outcome.articles_created = len(new)
    ensure_passages(list(articles.values()))
    return articles


def _records_of(articles: list[Article], records: list) -> list[dict]:
    by_hash = {
        record["content_hash"]: record for record in records if isinstance(record, dict) and "content_hash" in record
    }
    return [by_hash[article.content_hash] for article in articles]


class _Ids:
    """The exporting workbench's ids: the ones free here are kept, and its ids named in a verdict's basis are
    mapped to this workbench's."""

    def __init__(self, records: list, article_records: list, articles: dict[str, Article]):
        claims = [record.get("id") for record in records if isinstance(record, dict)]
        links = [
            link.get("id")
            for record in records
            if isinstance(record, dict) and isinstance(record.get("evidence"), list)
            for link in record["evidence"]
            if isinstance(link, dict)
        ]
        _reserve(Claim, claims)
        _reserve(EvidenceLink, links)
        self.articles = {
            record["id"]: articles[record["content_hash"]].pk
            for record in article_records
            if isinstance(record, dict) and _usable(record.get("id")) and record.get("content_hash") in articles
        }
        self.links: dict[int, int] = {}

    @staticmethod
    def keep(obj, model, pk) -> None:
        """`obj` takes the id it had there when no row here has had it (checked in the claim's transaction)."""
        if _usable(pk) and not model.objects.filter(pk=pk).exists() and not model.history.filter(id=pk).exists():
            obj.pk = pk


def _usable(pk) -> bool:
    return type(pk) is int and 0 < pk < 2**63


def _reserve(model, wanted: list) -> None:
    """On PostgreSQL, moves the id sequence past the ids an import may keep, first: a row written meanwhile by
    someone else then never takes one. (SQLite's AUTOINCREMENT moves past an id written, within the import's
    transaction, which holds the write lock.)"""
    highest = max((pk for pk in wanted if _usable(pk)), default=None)
    if highest is None or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        sequence = "pg_get_serial_sequence(%s, %s)"
        cursor.execute(
            f"SELECT setval({sequence}, GREATEST(nextval({sequence}), %s))",  # noqa: S608 - no value in the text
            [model._meta.db_table, model._meta.pk.column, model._meta.db_table, model._meta.pk.column, highest],
        )


def _free_ids(model, wanted: list) -> set[int]:
    usable = {pk for pk in wanted if _usable(pk)}
    _reserve(model, list(usable))
    taken = set()
    ordered = sorted(usable)
    for start in range(0, len(ordered), 500):
        batch = ordered[start : start + 500]
        taken |= set(model.objects.filter(pk__in=batch).values_list("pk", flat=True))
        taken |= set(model.history.filter(id__in=batch).values_list("id", flat=True))  # a deleted one's history
    return usable - taken


def _article(record: dict, *, number: int, user, origin: str, known: dict) -> Article | None:
    """The article a record describes, None when it is here already."""
    if record["content_hash"] in known:
        return None
    body = record["body"]
    if content_hash(body) != record["content_hash"]:
        raise ValueError("its text does not match its content hash")
    # Where it came from stays as the export says (an older export, without it: this file and record).
    return Article(
        title=record["title"],
        url=record.get("url") or "",
        publisher=record.get("publisher") or "",
        published_at=moment(record.get("published_at")),
        body=body,
        raw=base64.b64decode(record["raw"], validate=True) if record.get("raw") else body.encode(),
        raw_encoding=record.get("raw_encoding") or "utf-8",
        content_hash=record["content_hash"],
        origin_file=record.get("origin_file") or origin,
        origin_record=record.get("origin_record") or number,
        imported_by=user,
        imported_at=moment(record.get("imported_at")) or timezone.now(),
        version=record.get("version") or 1,
    )


def _claim(record: dict, *, articles: dict[str, Article], people: "_People", ids: _Ids) -> Claim:
    article = articles.get(record["article"]["content_hash"])
    if article is None:
        raise ValueError("its article is not in the export")
    if _usable(record["article"].get("id")):
        ids.articles[record["article"]["id"]] = article.pk
    anchor, verdict = record["anchor"], record["verdict"]
    check_anchor(article.body, start=anchor["start"], end=anchor["end"], quote=anchor["quote"])
    creator = people.named(record["history"]["created_by"])
    claim = Claim(
        uid=_uid(record),
        article=article,
        quote=anchor["quote"],
        prefix=anchor["prefix"],
        suffix=anchor["suffix"],
        start=anchor["start"],
        end=anchor["end"],
        anchor_confidence=anchor["confidence"],
        wording=record["wording"],
        status=verdict["status"],
        verdict_rationale=verdict["rationale"],
        reviewed_by=people.named(verdict["reviewed_by"]) if verdict["reviewed_by"] else None,
        reviewed_at=parse_datetime(verdict["reviewed_at"]) if verdict["reviewed_at"] else None,
        needs_review=record["review"]["needs_review"],
        review_reason=record["review"]["reason"],
        created_by=creator,
        created_at=moment(record["history"].get("created_at")) or timezone.now(),
        version=record["history"].get("version") or 1,
    )
    if claim.status not in Claim.Status.values:
        raise ValueError(f"unknown status {claim.status!r}")
    if type(claim.version) is not int or claim.version < 1:
        raise ValueError(f"version {claim.version!r} is not a positive whole number")
    then = record["history"].get("records")  # the claim's history there, when the export has it
    if then is not None and not (isinstance(then, list) and then):
        raise ValueError("its history has no records")
    ids.keep(claim, Claim, record.get("id"))
    claim._history_user = people.importer
    if then:
        claim.skip_history_when_saving = True
    claim.save()
    claim.tags.set(tags_named(record["tags"], people.importer))
    links = []
    for item in record["evidence"]:
        link = _evidence(claim, item, articles=articles, people=people)
        ids.keep(link, EvidenceLink, item.get("id"))
        if then and item.get("history"):
            link.skip_history_when_saving = True
        link.save()
        if _usable(item.get("id")):
            ids.links[item["id"]] = link.pk
        links.append(link)
    if not then:
        return verdict_adopt(claim=claim, suspended=record["review"].get("suspended_verdict"))
    writer = HistoryWriter(
        people=people,
        articles=articles,
        article_ids=ids.articles,
        link_ids=ids.links,
        passages=lambda where: _passage(where, articles),
    )
    verdict_adopt(
        claim=claim,
        suspended=record["review"].get("suspended_verdict"),
        judged_on=writer.basis(then[-1]["fields"]["verdict_basis"]),
    )
    writer.claim(claim, then, lambda names: tags_named(names, people.importer))
    for link, item in zip(links, record["evidence"], strict=True):
        writer.link(link, item.get("history") or [])
    del claim.skip_history_when_saving
    last = then[-1]["fields"]
    if (claim.status, claim.needs_review, claim.review_reason) != (
        last["status"],
        last["needs_review"],
        last["review_reason"],
    ):
        claim.save()  # not here as it was there: the import's own record says so
    else:
        # As it was there, last changed when it was there: written past save()'s auto_now, the history being
        # the export's own.
        Claim.objects.filter(pk=claim.pk).update(updated_at=moment(record["history"]["updated_at"]))
    return claim


def _passage(where: dict, articles: dict[str, Article]) -> Passage | None:
    """The passage an export names by its article's content hash and its offsets, if it is here."""
    source = articles.get(where["content_hash"])
    return Passage.objects.filter(article=source, start=where["start"], end=where["end"]).first()


def _evidence(claim: Claim, record: dict, *, articles: dict[str, Article], people: "_People") -> EvidenceLink:
    link = EvidenceLink(
        claim=claim,
        stance=record["stance"],
        note=record["note"],
        added_by=people.named(record["added_by"]),
        added_at=moment(record.get("added_at")) or timezone.now(),
    )
    link._history_user = people.importer
    if record["kind"] == "passage":
        where = record["passage"]
        link.passage = _passage(where, articles)
        if link.passage is None:
            raise ValueError(f"the passage it quotes ({where['start']}-{where['end']}) is not in its article")
    else:
        link.url, link.title, link.publisher, link.quote = (
            record["url"],
            record["title"],
            record["publisher"],
            record["quote"],
        )
        link.accessed_on = parse_date(record["accessed_on"]) if record["accessed_on"] else None
    if link.stance not in EvidenceLink.Stance.values:
        raise ValueError(f"unknown stance {link.stance!r}")
    return link


class _People:
    """Users by username. Someone unknown here gets an account that cannot log in, so that who tagged
    and who reviewed stays as exported."""

    def __init__(self, importer):
        self.importer = importer
        self._known = {}

    def named(self, username: str | None):
        if not username:
            return self.importer
        if username not in self._known:
            User = get_user_model()
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, is_active=False)
                user.set_unusable_password()
                user.save()
            self._known[username] = user
        return self._known[username]


def _uid(record: dict) -> uuid.UUID:
    return uuid.UUID(str(record["uid"]))


def _valid_uids(records: list) -> list[uuid.UUID]:
    uids = []
    for record in records:
        try:
            uids.append(_uid(record))
        except (KeyError, TypeError, ValueError):
            pass  # rejected with its reason when its turn comes
    return uids


def _reason(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"field {error} is missing"
    return str(error)
