"""The claim list's bulk actions: tag, untag, add to a claim set, assign, delete the claims ticked on a page.

Each claim goes through the service and the rule its own page uses (claims.services, claims.permissions), in
a transaction of its own: one refused claim leaves the others done, and nothing of it half-written. The
claims are read once, together; only the writes go one claim at a time, so that each is in its history.
A claim is ticked as "id:version", the version the list showed: one deleted or changed since is refused,
never acted on unseen.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from claims import permissions, services
from claims.models import Assignment, Claim, ClaimSet

GONE = "Deleted meanwhile."
CHANGED = "Changed by someone else since the list was shown: look at it again."


@dataclass
class Outcome:
    """What a bulk action did, claim by claim: done, left as it was (with why), refused (with why)."""

    done: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    refused: dict[str, list[int]] = field(default_factory=dict)  # reason: the claims it refused

    def refuse(self, pk: int, reason: str) -> None:
        self.refused.setdefault(reason, []).append(pk)

    @property
    def refused_count(self) -> int:
        return sum(len(pks) for pks in self.refused.values())


def numbers(pks: list[int]) -> str:
    return ", ".join(f"#{pk}" for pk in pks)


def report(outcome: Outcome, *, did: str, unchanged: str = "") -> list[tuple[bool, str]]:
    """The outcome in sentences, each with whether it is good news: "Deleted 3 claims: #1, #2, #4." and
    "Refused 2: #7 — It is verified: …". `did` says what was done, "{claims}" standing for how many
    ("Deleted {claims}"); `unchanged`, why some were left as they were ("already had it")."""
    said = []
    if outcome.done:
        said.append((True, f"{did.replace('{claims}', _claims(len(outcome.done)))}: {numbers(outcome.done)}."))
    if outcome.unchanged:
        said.append(
            (True, f"{_claims(len(outcome.unchanged)).capitalize()} {unchanged}: {numbers(outcome.unchanged)}.")
        )
    if outcome.refused:
        why = " ".join(f"{numbers(pks)} — {reason}" for reason, pks in outcome.refused.items())
        said.append((False, f"Refused {outcome.refused_count}: {why}"))
    return said


def _claims(n: int) -> str:
    return f"{n} claim{'s' if n != 1 else ''}"


def read(seen: dict[int, int]) -> dict[int, Claim]:
    """The ticked claims still there, with their tags, in one read (two queries)."""
    return {claim.pk: claim for claim in Claim.objects.filter(pk__in=seen).prefetch_related("tags")}


def _as_shown(seen: dict[int, int], found: dict[int, Claim], outcome: Outcome) -> list[Claim]:
    """The ticked claims still as the list showed them, in order; the others refused as deleted or changed
    meanwhile."""
    current = []
    for pk, version in seen.items():
        claim = found.get(pk)
        if claim is None:
            outcome.refuse(pk, GONE)
        elif claim.version != version:
            outcome.refuse(pk, CHANGED)
        else:
            current.append(claim)
    return current


def _each(seen: dict[int, int], found: dict[int, Claim], write: Callable[[Claim, int], bool]) -> Outcome:
    """`write(claim, version)` for each claim ticked, in a transaction of its own; it says whether it changed
    anything. Refusals are collected with their reasons, as the service gave them."""
    outcome = Outcome()
    for claim in _as_shown(seen, found, outcome):
        pk, version = claim.pk, seen[claim.pk]
        try:
            with transaction.atomic():
                changed = write(claim, version)
        except Claim.DoesNotExist:  # deleted between the read and the lock
            outcome.refuse(pk, GONE)
        except services.StaleClaim:
            outcome.refuse(pk, CHANGED)
        except PermissionDenied as refusal:
            outcome.refuse(pk, str(refusal))
        except ValidationError as refusal:
            outcome.refuse(pk, " ".join(refusal.messages))
        else:
            (outcome.done if changed else outcome.unchanged).append(pk)
    return outcome


def _tag_names(claim: Claim) -> list[str]:
    return [tag.name for tag in claim.tags.all()]


def claims_tag(*, user, seen: dict[int, int], tag: str) -> Outcome:
    """Add `tag` to each claim, as its edit form would (claims.services.claim_update)."""

    def write(claim: Claim, version: int) -> bool:
        names = _tag_names(claim)
        if tag.casefold() in {name.casefold() for name in names}:
            return False
        services.claim_update(
            claim=claim, user=user, expected_version=version, wording=claim.wording, tags=", ".join([*names, tag])
        )
        return True

    return _each(seen, read(seen), write)


def claims_untag(*, user, seen: dict[int, int], tag: str) -> Outcome:
    """Take `tag` off each claim, as its edit form would."""

    def write(claim: Claim, version: int) -> bool:
        names = _tag_names(claim)
        kept = [name for name in names if name.casefold() != tag.casefold()]
        if kept == names:
            return False
        services.claim_update(
            claim=claim, user=user, expected_version=version, wording=claim.wording, tags=", ".join(kept)
        )
        return True

    return _each(seen, read(seen), write)


def claims_assign(*, user, seen: dict[int, int], task: str, assignee) -> Outcome:
    """Hand each claim to `assignee` for `task`, as the claim page's assignment form would: one already in
    their hands for it is left as it is; one in someone else's keeps its due date and note, as the page's
    form, filled in with them, keeps them on a reassignment."""
    found = read(seen)
    current = {
        assignment.claim_id: assignment for assignment in Assignment.objects.filter(claim_id__in=found, task=task)
    }

    def write(claim: Claim, version: int) -> bool:
        held = current.get(claim.pk)
        if held is not None and held.assignee_id == assignee.pk:
            return False
        services.claim_assign(
            claim=claim,
            user=user,
            task=task,
            assignee=assignee,
            due=held.due if held else None,
            note=held.note if held else "",
            expected_version=version,
        )
        return True

    return _each(seen, found, write)


def claims_add_to_set(*, user, seen: dict[int, int], claim_set: ClaimSet) -> Outcome:
    """Add the claims to a set picked by hand, in one write of the set (one record in its history): the
    claims are locked and checked first, so none deleted or changed meanwhile goes in."""
    outcome = Outcome()
    with transaction.atomic():
        found = {claim.pk: claim for claim in Claim.objects.select_for_update().filter(pk__in=seen)}
        fresh = _as_shown(seen, found, outcome)
        already = set(claim_set.claims.filter(pk__in=[claim.pk for claim in fresh]).values_list("pk", flat=True))
        services.claim_set_add(claim_set=claim_set, user=user, claims=fresh)
    for claim in fresh:
        (outcome.unchanged if claim.pk in already else outcome.done).append(claim.pk)
    return outcome


@dataclass
class DeletePreview:
    """What a bulk delete would do, for its confirmation page: the claims that would go, and those refused."""

    going: list[Claim]
    refused: dict[str, list[int]]


def delete_preview(*, user, seen: dict[int, int]) -> DeletePreview:
    found = {
        claim.pk: claim
        for claim in Claim.objects.filter(pk__in=seen)
        .select_related("article")
        .only("wording", "status", "version", "created_by_id", "article__title", "article__publisher")
    }
    outcome = Outcome()
    going = []
    for claim in _as_shown(seen, found, outcome):
        if refusal := permissions.delete_refusal(user, claim):
            outcome.refuse(claim.pk, refusal)
        else:
            going.append(claim)
    return DeletePreview(going=going, refused=outcome.refused)


def claims_delete(*, user, seen: dict[int, int]) -> Outcome:
    """Delete each claim as its page would (claims.services.claim_delete), with its sources and discussion."""

    def write(claim: Claim, version: int) -> bool:
        services.claim_delete(claim=claim, user=user, expected_version=version)
        return True

    found = {claim.pk: claim for claim in Claim.objects.filter(pk__in=seen)}
    return _each(seen, found, write)
