"""What a verdict judged, and whether it still holds.

A reviewer who signs a verdict signs what they saw: the claim's wording, its anchor (the quoted words and
the words around them) and the sources that counted. That basis is kept with the verdict as plain data,
and every write that touches a judged claim compares the claim as it now is with it. A change that the
reviewer did not see suspends the verdict: the claim needs review until a reviewer confirms or changes it.

What counts, per verdict: a verified claim stands on its supporting sources, and a new contradicting
source questions it; a disputed claim stands on its contradicting sources, and a new supporting source
questions it. Context links and notes never do. A claim carried to a new version of its article with the
same words around it on its line judges the same text, so moving there alone is no change.
"""

from dataclasses import dataclass

from django.conf import settings

from claims.anchoring import position_in_article, word_in_paragraph
from claims.models import Claim, EvidenceLink
from claims.rules import document_key, group_key, independent_support

Stance = EvidenceLink.Stance
COUNTED = {Claim.Status.VERIFIED: Stance.SUPPORTS, Claim.Status.DISPUTED: Stance.CONTRADICTS}
OPPOSING = {Claim.Status.VERIFIED: Stance.CONTRADICTS, Claim.Status.DISPUTED: Stance.SUPPORTS}
WHAT = {Stance.SUPPORTS: "supporting", Stance.CONTRADICTS: "contradicting", Stance.CONTEXT: "context"}


@dataclass(frozen=True)
class Drift:
    """One difference between what the verdict judged and the claim now: why it matters, then and now."""

    reason: str
    judged: str
    now: str


def basis_of(claim: Claim, links: list[EvidenceLink]) -> dict:
    """The basis of a verdict about to be recorded on `claim`, as JSON data."""
    return {
        "status": claim.status,
        "wording": claim.wording,
        "anchor": {
            "article_id": claim.article_id,
            "quote": claim.quote,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
            "start": claim.start,
            "end": claim.end,
        },
        "links": [link_state(link) for link in links if link.stance != Stance.CONTEXT],
        "independent_support": independent_support(links),
    }


def link_state(link: EvidenceLink) -> dict:
    return {
        "id": link.pk,
        "stance": link.stance,
        "document": document_key(link),
        "publisher": link.source_publisher,
        "label": link.source_label,
    }


def drifts(basis: dict, claim: Claim, links: list[EvidenceLink]) -> list[Drift]:
    """Every change since the verdict that the reviewer did not judge; empty while the verdict holds."""
    return _wording(basis, claim) + _anchor(basis["anchor"], claim) + _sources(basis, links) + _regrouped(basis, links)


def reasons(found: list[Drift]) -> str:
    return " ".join(drift.reason for drift in found)


def _same(a: str, b: str) -> bool:
    return a.split() == b.split()


def _wording(basis: dict, claim: Claim) -> list[Drift]:
    if _same(basis["wording"], claim.wording):
        return []
    return [Drift("The wording changed after the verdict.", basis["wording"], claim.wording)]


def _anchor(judged: dict, claim: Claim) -> list[Drift]:
    if not _same(judged["quote"], claim.quote):
        return [Drift("The quoted words changed after the verdict.", judged["quote"], claim.quote)]
    # The words around the quote on its own line ("did not" put before it); a paragraph added above is not.
    same_before = _same(judged["prefix"].rsplit("\n", 1)[-1], claim.prefix.rsplit("\n", 1)[-1])
    same_after = _same(judged["suffix"].split("\n", 1)[0], claim.suffix.split("\n", 1)[0])
    if not (same_before and same_after):
        return [
            Drift(
                "The words around the quote changed after the verdict.",
                f"…{judged['prefix']}[{judged['quote']}]{judged['suffix']}…",
                f"…{claim.prefix}[{claim.quote}]{claim.suffix}…",
            )
        ]
    moved = judged["article_id"] == claim.article_id and (judged["start"], judged["end"]) != (claim.start, claim.end)
    if moved:
        body = claim.article.body
        then = position_in_article(body, judged["start"], judged["end"])
        now = position_in_article(body, claim.start, claim.end)
        if then == now:  # moved within the paragraph: say from which word
            then += f", from word {word_in_paragraph(body, judged['start'])}"
            now += f", from word {word_in_paragraph(body, claim.start)}"
        return [Drift("The quote now points at another place in the article.", then, now)]
    return []


def _sources(basis: dict, links: list[EvidenceLink]) -> list[Drift]:
    status = basis["status"]
    counted, opposing = COUNTED[status], OPPOSING[status]
    now = {link.pk: link for link in links}
    judged_ids = {entry["id"] for entry in basis["links"]}
    found = []
    for entry in basis["links"]:
        if entry["stance"] != counted:
            continue
        link = now.get(entry["id"])
        if link is None:
            found.append(Drift(f"A {WHAT[counted]} source was removed: {_left(status, links)}.", _shown(entry), "—"))
        else:
            found += _changed_link(entry, link, status, links)
    for link in links:
        if link.pk not in judged_ids and link.stance == opposing:
            found.append(
                Drift(f"A {WHAT[opposing]} source was added after the verdict.", "—", _shown(link_state(link)))
            )
    return found


def _changed_link(entry: dict, link: EvidenceLink, status: str, links: list[EvidenceLink]) -> list[Drift]:
    state = link_state(link)
    if state["stance"] != entry["stance"]:
        what = f"now {WHAT[link.stance]}"
    elif state["document"] != entry["document"]:
        what = "now points at another document"
    else:
        return []  # a publisher named or renamed matters only if sources merge: see _regrouped
    reason = f"A {WHAT[entry['stance']]} source changed ({what}): {_left(status, links)}."
    return [Drift(reason, _shown(entry), _shown(state))]


def _regrouped(basis: dict, links: list[EvidenceLink]) -> list[Drift]:
    """Supporting sources that counted apart and now share a publisher (an article's publisher was set or
    changed): fewer independent sources than the verdict counted, among the very links it counted."""
    if basis["status"] != Claim.Status.VERIFIED:
        return []
    now = {link.pk: link for link in links}
    kept = [
        entry
        for entry in basis["links"]
        if entry["stance"] == Stance.SUPPORTS
        and entry["id"] in now
        and link_state(now[entry["id"]])["document"] == entry["document"]
        and now[entry["id"]].stance == Stance.SUPPORTS
    ]
    then = {group_key(entry["publisher"], entry["document"]) for entry in kept} - {None}
    still = independent_support([now[entry["id"]] for entry in kept])
    if still >= len(then):
        return []
    required = settings.WORKBENCH_MIN_SUPPORTING_SOURCES
    return [
        Drift(
            f"Supporting sources that counted apart now share a publisher: "
            f"{independent_support(links)} of {required} independent sources left.",
            "; ".join(sorted(entry["publisher"] or "publisher unknown" for entry in kept)),
            "; ".join(sorted(now[entry["id"]].source_publisher or "publisher unknown" for entry in kept)),
        )
    ]


def _left(status: str, links: list[EvidenceLink]) -> str:
    if status == Claim.Status.VERIFIED:
        required = settings.WORKBENCH_MIN_SUPPORTING_SOURCES
        return f"{independent_support(links)} of {required} independent sources left"
    left = sum(link.stance == Stance.CONTRADICTS for link in links)
    return f"{left or 'no'} contradicting source{'s' if left != 1 else ''} left"


def _shown(entry: dict) -> str:
    publisher = f" ({entry['publisher']})" if entry["publisher"] else " (publisher unknown)"
    return f"{Stance(entry['stance']).label}: {entry['label']}{publisher}"
