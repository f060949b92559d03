"""The verdict rules, in one place: what a claim needs before a reviewer may call it verified or disputed."""

from django.conf import settings

from claims import permissions
from claims.models import Claim, EvidenceLink

# How each verdict reads as a choice: moving a claim back to open is reopening it.
VERDICT_LABELS = {**dict(Claim.Status.choices), Claim.Status.OPEN: "Reopen"}


def independent_support(links: list[EvidenceLink]) -> int:
    """Supporting sources that are independent: different publishers where known, else different documents."""
    return len({link.source_key for link in links if link.stance == EvidenceLink.Stance.SUPPORTS})


def verdict_blockers(*, claim: Claim, links: list[EvidenceLink], user, status: str, rationale: str | None) -> list[str]:
    """Why `user` may not set `status` now; empty when allowed. rationale=None: not written yet, don't judge it."""
    if not permissions.can_set_verdict(user):
        return ["Only reviewers and admins set verdicts."]
    return reviewer_blockers(claim=claim, user=user) + claim_blockers(
        claim=claim, links=links, status=status, rationale=rationale
    )


def reviewer_blockers(*, claim: Claim, user) -> list[str]:
    if settings.WORKBENCH_FOUR_EYES and claim.created_by_id == user.pk:
        return ["You tagged this claim, so another reviewer must set its verdict (four-eyes rule)."]
    return []


def claim_blockers(*, claim: Claim, links: list[EvidenceLink], status: str, rationale: str | None) -> list[str]:
    """What the claim itself still needs for `status`, whoever the reviewer."""
    if status == claim.status:
        return [f"The claim is already {claim.get_status_display().lower()}."]
    written = rationale is None or bool(rationale.strip())
    reasons = []
    if status == Claim.Status.VERIFIED:
        required = settings.WORKBENCH_MIN_SUPPORTING_SOURCES
        missing = required - independent_support(links)
        if missing > 0:
            more = "one more" if missing == 1 else f"{missing} more"
            reasons.append(
                f"Needs {more} independent supporting source{'s' if missing > 1 else ''} "
                f"({required} from different publishers are required)."
            )
        if not written:
            reasons.append("Write a rationale for the verdict.")
    elif status == Claim.Status.DISPUTED:
        contradicted = any(link.stance == EvidenceLink.Stance.CONTRADICTS for link in links)
        if not written:
            reasons.append(
                "Write a rationale for the verdict."
                if contradicted
                else "Needs a contradicting source or a written rationale."
            )
    elif status == Claim.Status.OPEN and not written:
        reasons.append("Reopening a claim needs a reason.")
    return reasons
