"""Cursor pagination: each page ends with an opaque cursor that names the last row it showed, and the next
page starts after that row in an indexed order. New rows never shift a page (no OFFSET), and nothing is
counted."""

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Q, QuerySet
from ninja.errors import HttpError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _encode(values: list) -> str:
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor: str, keys: tuple[str, ...]) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
        decoded = []
        for key, value in zip(keys, values, strict=True):
            if key == "id":
                if not isinstance(value, int) or isinstance(value, bool):
                    raise ValueError
                decoded.append(value)
            else:
                decoded.append(datetime.fromisoformat(value))
        return decoded
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise HttpError(400, "That cursor is not one this API gave: start again without it.") from exc


def page(queryset: QuerySet, *, keys: tuple[str, ...], cursor: str | None, limit: int) -> tuple[list, str | None]:
    """A page of `queryset` newest first by `keys` (("created_at", "id") or ("id",): an index each), after
    `cursor`; and the cursor of the page after it, if there is one."""
    queryset = queryset.order_by(*(f"-{key}" for key in keys))
    if cursor:
        after = _decode(cursor, keys)
        if len(keys) == 1:
            queryset = queryset.filter(**{f"{keys[0]}__lt": after[0]})
        else:
            first, second = keys
            queryset = queryset.filter(
                Q(**{f"{first}__lt": after[0]}) | Q(**{first: after[0], f"{second}__lt": after[1]})
            )
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, _encode([getattr(rows[-1], key) for key in keys])
