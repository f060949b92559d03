"""The verdict rules, in one place: what a claim needs before a reviewer may call it verified or disputed."""

from dataclasses import dataclass, field

from django.conf import settings

from claims import permissions
from claims.models import Claim, EvidenceLink

# The decisions a reviewer makes; "needs review" is where a verdict goes when what it judged changed.
VERDICTS = [Claim.Status.OPEN, Claim.Status.VERIFIED, Claim.Status.DISPUTED]
JUDGED = [Claim.Status.VERIFIED, Claim.Status.DISPUTED]
# How each verdict reads as a choice: moving a claim back to open is reopening it.
VERDICT_LABELS = {**{status: Claim.Status(status).label for status in VERDICTS}, Claim.Status.OPEN: "Reopen"}
# What an article or external source of unknown publisher counts as, for the two-source rule.
UNKNOWN_PUBLISHERS = {
    "each": "each counts as a source of its own",
    "together": "all of them together count as one source",
    "none": "they do not count",
}


@dataclass
class SourceGroup:
    """Supporting links that count as one source: the same publisher, or (unknown publisher) the same document."""

    key: str | None  # None: not counted (an unknown publisher, when the setting says so)
    publisher: str  # as shown; "" when unknown
    links: list[EvidenceLink] = field(default_factory=list)


def verdict_choices(claim: Claim) -> list[tuple[str, str]]:
    """The verdicts a claim can move to, as a reviewer reads them: giving a suspended verdict again confirms it."""
    suspended = claim.verdict_basis["status"] if claim.status == Claim.Status.REVIEW and claim.verdict_basis else None
    return [
        (status, f"Confirm: {VERDICT_LABELS[status].lower()}" if status == suspended else VERDICT_LABELS[status])
        for status in VERDICTS
        if status != claim.status
    ]


def publisher_key(publisher: str) -> str:
    """Publishers compare ignoring case and spacing: "The  Guardian" and "the guardian" are one."""
    return " ".join(publisher.casefold().split())


def document_key(link: EvidenceLink) -> str:
    return f"article:{link.passage.article_id}" if link.passage_id else f"url:{link.url}"


def source_key(link: EvidenceLink) -> str | None:
    """The source a link counts as: its publisher when known, else as WORKBENCH_UNKNOWN_PUBLISHERS says."""
    return group_key(link.source_publisher, document_key(link))


def group_key(publisher: str, document: str) -> str | None:
    """The source a document of `publisher` counts as; None when it does not count."""
    if key := publisher_key(publisher):
        return f"publisher:{key}"
    unknown = settings.WORKBENCH_UNKNOWN_PUBLISHERS
    if unknown == "each":
        return document
    return "unknown" if unknown == "together" else None


def support_groups(links: list[EvidenceLink]) -> list[SourceGroup]:
    """The supporting links grouped as the two-source rule counts them, counted groups first."""
    groups: dict[str | None, SourceGroup] = {}
    for link in links:
        if link.stance == EvidenceLink.Stance.SUPPORTS:
            key = source_key(link)
            groups.setdefault(key, SourceGroup(key=key, publisher=link.source_publisher)).links.append(link)
    return sorted(groups.values(), key=lambda group: group.key is None)


def independent_support(links: list[EvidenceLink]) -> int:
    """Supporting sources that are independent: different publishers, unknown ones as the setting says."""
    return sum(1 for group in support_groups(links) if group.key is not None)


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
    if status not in VERDICTS:
        return [f"“{Claim.Status(status).label}” is not a verdict: choose verified, disputed or reopen."]
    if status == claim.status:
        return [f"The claim is already {claim.get_status_display().lower()}."]
    return evidence_blockers(links=links, status=status, rationale=rationale)


def has_sources_for_a_verdict(links: list[EvidenceLink]) -> bool:
    """Whether the claim's sources are what a verdict needs (the rationale aside): enough independent support
    to verify it, or a contradicting source to dispute it. A claim without is still to be sourced (the desk)."""
    if not evidence_blockers(links=links, status=Claim.Status.VERIFIED, rationale=None):
        return True
    contradicted = any(link.stance == EvidenceLink.Stance.CONTRADICTS for link in links)
    return contradicted and not evidence_blockers(links=links, status=Claim.Status.DISPUTED, rationale=None)


def evidence_blockers(*, links: list[EvidenceLink], status: str, rationale: str | None) -> list[str]:
    """What the sources and the rationale still need for `status`, whatever the claim was before."""
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
    elif status == Claim.Status.DISPUTED and settings.WORKBENCH_DISPUTED_NEEDS_CONTRADICTING:
        if not any(link.stance == EvidenceLink.Stance.CONTRADICTS for link in links):
            reasons.append("Needs a contradicting source: link a source with the stance “Contradicts”.")
    if not written:
        reasons.append(
            "Reopening a claim needs a reason." if status == Claim.Status.OPEN else "Write a rationale for the verdict."
        )
    return reasons
