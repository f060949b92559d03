"""API tokens: made, found and revoked here only. A token is `wb_<prefix>_<secret>`; the workbench keeps the
prefix (to find it and to show it) and a SHA-256 of the whole: the secret is shown once, when it is made.
The secret is 256 random bits, so a fast hash is enough (no one guesses a preimage; a password hash would
only slow every API call)."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from workbench.api.models import ApiToken

LIFETIMES = {7: "a week", 30: "30 days", 90: "90 days", 365: "a year"}  # days: how long a token may live
PREFIX_BYTES = 4  # 8 hex characters


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user, name: str, can_write: bool, days: int) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, which is never shown again."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Only someone signed in makes API tokens.")
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Say what the token is for."})
    if days not in LIFETIMES:
        raise ValidationError({"days": "Choose how long the token lives."})
    prefix = secrets.token_hex(PREFIX_BYTES)
    raw = f"wb_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=_digest(raw),
        can_write=can_write,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, raw


def token_revoke(*, token: ApiToken, user) -> ApiToken:
    """Revoked at once, for good, by its owner or an admin; it stays listed (revoked) so its owner sees what it was."""
    if token.user_id != user.pk and not user.has_perm("api.change_apitoken"):
        raise PermissionDenied("You may revoke only your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for(raw: str) -> ApiToken | None:
    """The usable token `raw` is, with its user; None for anything else (unknown, revoked, expired)."""
    parts = raw.strip().split("_", 2)  # the secret may hold "_" too
    if len(parts) != 3 or parts[0] != "wb" or len(parts[1]) != 2 * PREFIX_BYTES:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(raw.strip())):
        return None
    return token
