"""Schemas every part of the API shares: the problem details its errors are, and which errors each kind of
operation may answer (so that a client, and Schemathesis, knows every status it can meet)."""

from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator

# An id as the databases hold them (64-bit integers): anything larger names nothing, and is refused as invalid
# rather than reaching the database (SQLite cannot even compare with it).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError(
            "Null characters are not allowed."
        )  # PostgreSQL keeps no NUL in text; Django's forms refuse it
    return text


# Text that is stored or looked up: refused as a 422 on its field when it holds a NUL.
Text = Annotated[str, AfterValidator(_no_nul)]


class Problem(Schema):
    """RFC 9457 problem details: what every error answer holds."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict] | None = Field(None, description="For 422: each field at fault and what is wrong with it.")


READ_ERRORS = {status: Problem for status in (400, 401, 403, 404, 422, 429)}
WRITE_ERRORS = {**READ_ERRORS, **{status: Problem for status in (409, 412, 428)}}
