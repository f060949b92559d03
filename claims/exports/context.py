"""What an export knows besides its claims: who asked, when, for which selection, and on whose behalf."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from claims.exports.records import article_records

DEFAULT_BASE_URL = "http://127.0.0.1:8000"  # where `make run` serves by default
# Why an export of verified (or disputed) claims leaves some out: see claims.basis.
WITHHELD_WHY = "they need review: what their verdict judged changed since, and no reviewer has confirmed it"


def base_url(served_at: str | None) -> str:
    """Where an export links to: WORKBENCH_BASE_URL when set, else the address of the page that asked for
    it (None from the command line), else the default."""
    return (settings.WORKBENCH_BASE_URL or served_at or DEFAULT_BASE_URL).rstrip("/")


@dataclass(frozen=True)
class ExportContext:
    exported_at: datetime
    exported_by: str | None  # a username; None from a command run without --user
    organisation_name: str
    organisation_url: str
    base_url: str  # where claim pages live, without a trailing slash
    total: int  # claims in the export
    statuses: list[str]
    claim_set: str | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    withheld: int = 0  # claims of the selection left out because they need review
    # The articles the claims and their evidence come from, with their text (for JSON's round trip).
    articles: Callable[[], Iterator[dict]] = lambda: iter(())


def build_context(
    claims: QuerySet,
    *,
    base_url: str,
    user=None,
    statuses: list[str],
    claim_set: str | None = None,
    filters: dict | None = None,
    withheld: int = 0,
) -> ExportContext:
    return ExportContext(
        exported_at=timezone.now().replace(microsecond=0),
        exported_by=user.get_username() if user is not None else None,
        organisation_name=settings.WORKBENCH_ORGANISATION_NAME,
        organisation_url=settings.WORKBENCH_ORGANISATION_URL or base_url + "/",
        base_url=base_url,
        total=claims.count(),
        statuses=list(statuses),
        claim_set=claim_set,
        filters=dict(filters or {}),
        withheld=withheld,
        articles=lambda: article_records(claims),
    )
