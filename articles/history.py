"""An article's metadata edits (its body never changes), as the reader shows them."""

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from articles.models import Article

METADATA = ["title", "title_inferred", "url", "publisher", "published_at"]


@dataclass
class MetadataEdit:
    at: datetime
    user: object | None
    channel: str
    changes: list[tuple[str, str, str]]  # (field, before, after)


def metadata_edits(article_id: int) -> list[MetadataEdit]:
    records = list(
        Article.history.filter(id=article_id).select_related("history_user").order_by("history_date", "history_id")
    )
    edits = []
    for before, after in pairwise(records):
        changes = [
            (name, _shown(getattr(before, name)), _shown(getattr(after, name)))
            for name in METADATA
            if getattr(before, name) != getattr(after, name)
        ]
        if changes:
            edits.append(
                MetadataEdit(after.history_date, after.history_user, after.get_history_channel_display(), changes)
            )
    return edits


def _shown(value) -> str:
    return "" if value is None else str(value)
