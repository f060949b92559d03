"""The claim page's destructive actions, each asked first: deleting a claim, removing a source link and
rolling a claim back. The page's button is a link to a page (GET) that says what will go and what follows
from it, with the form that does it (POST) and a way back; no script is needed. A removed link can be put
back from the message that confirms the removal (workbench.undo)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views.decorators.http import require_http_methods, require_POST

from claims import basis, history, permissions, services
from claims.models import Claim, EvidenceLink
from claims.rules import JUDGED
from claims.views import _get_claim
from workbench import undo


def _when(moment) -> str:
    return date_format(localtime(moment), "j M Y, H:i")


def _confirm(request: HttpRequest, claim: Claim, **context) -> HttpResponse:
    return render(request, "claims/confirm.html", {"claim": claim, "fields": {}, "shown": [], **context})


@require_http_methods(["GET", "POST"])
def claim_delete(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _get_claim(pk)
    if not permissions.can_delete(request.user, claim):
        raise PermissionDenied
    if request.method == "GET":
        return _confirm(
            request,
            claim,
            heading="Delete this claim?",
            shown=[("Claim", claim.wording), ("Quote", claim.quote), ("Status", claim.get_status_display())],
            consequences=[
                "Its sources, its discussion and its assignments go with it.",
                "Its history is kept, and an admin can restore it, with them, from the deleted claims.",
            ],
            action=reverse("claims:delete", args=[claim.pk]),
            button="Delete claim",
            cancel_url=claim.get_absolute_url(),
        )
    services.claim_delete(claim=claim, user=request.user)
    messages.success(request, f"Claim “{claim.wording[:60]}” deleted.")
    return redirect(claim.article)


def _get_link(pk: int, link_pk: int) -> EvidenceLink:
    return get_object_or_404(
        EvidenceLink.objects.select_related("claim__article", "passage__article", "added_by").defer(
            "claim__article__body", "claim__article__raw", "passage__article__body", "passage__article__raw"
        ),
        pk=link_pk,
        claim_id=pk,
    )


def _suspends(link: EvidenceLink) -> bool:
    """Whether removing `link` suspends the claim's verdict (claims.basis), said before it is done."""
    claim = link.claim
    if claim.status not in JUDGED or not claim.verdict_basis:
        return False
    others = [other for other in claim.evidence.select_related("passage__article") if other.pk != link.pk]
    return bool(basis.drifts(claim.verdict_basis, claim, others))


@require_http_methods(["GET", "POST"])
def evidence_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    link = _get_link(pk, link_pk)
    if not permissions.can_unlink(request.user, link):
        raise PermissionDenied
    stance = link.get_stance_display().lower()
    if request.method == "GET":
        consequences = ["You can put it back from the message that confirms the removal, until the claim changes."]
        if _suspends(link):
            consequences.insert(
                0,
                f"The claim's verdict ({link.claim.get_status_display().lower()}) counted this source: removing it "
                "suspends the verdict, and the claim needs review until a reviewer confirms or changes it.",
            )
        return _confirm(
            request,
            link.claim,
            heading="Remove this source link?",
            shown=[
                ("Source", link.source_label),
                ("Passage" if link.passage_id else "Quote", link.passage.text if link.passage_id else link.quote),
                ("Stance", link.get_stance_display()),
                ("Note", link.note),
                ("Linked by", f"{link.added_by.get_username()}, {_when(link.added_at)}"),
            ],
            consequences=consequences,
            action=reverse("claims:unlink", args=[pk, link.pk]),
            button="Remove link",
            cancel_url=f"{link.claim.get_absolute_url()}#evidence",
        )
    claim = services.evidence_remove(link=link, user=request.user)
    text = f"Removed the link to “{link.source_label}” ({stance})."
    if claim.status == Claim.Status.REVIEW and link.claim.status != Claim.Status.REVIEW:
        text += " The verdict is suspended: the claim needs review."
    undo.offer(
        request,
        text,
        action=reverse("claims:unlink-undo", args=[claim.pk, link_pk]),
        fields={"version": claim.version},
        label=f"Undo: link “{link.source_label}” again",
    )
    return redirect(f"{claim.get_absolute_url()}#evidence")


@require_POST
def evidence_undo_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    claim = _get_claim(pk)
    version = request.POST.get("version", "")
    try:
        link = services.evidence_restore_removed(
            claim=claim,
            user=request.user,
            link_id=link_pk,
            expected_version=int(version) if version.isdigit() else 0,
        )
    except services.StaleClaim as stale:
        messages.error(
            request,
            f"Not undone: the claim changed since the link was removed (it is now version {stale.current.version}). "
            "Link the source again if it is still wanted.",
        )
    except ValidationError as error:
        messages.error(request, f"Not undone: {' '.join(error.messages)}")
    else:
        text = f"The link to “{link.source_label}” is back ({link.get_stance_display().lower()})."
        if Claim.objects.filter(pk=pk, status=Claim.Status.REVIEW).exists():
            text += " The verdict stays suspended until a reviewer confirms or changes it."
        messages.success(request, text)
    return redirect(f"{claim.get_absolute_url()}#evidence")


@require_http_methods(["GET", "POST"])
def claim_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _get_claim(pk)
    if not permissions.can_restore(request.user):
        raise PermissionDenied
    raw = request.GET.get("history_id", "") if request.method == "GET" else request.POST.get("history_id", "")
    history_id = int(raw) if raw.isdigit() else 0
    if request.method == "GET":
        records = claim.history.filter(history_id=history_id).exclude(history_type="-")
        target = records.prefetch_related("historicalclaim_tags_set__tag").first()
        if target is None:
            messages.error(request, "That version does not belong to this claim.")
            return redirect(f"{claim.get_absolute_url()}#history")
        return _confirm(request, claim, **_rollback_context(claim, target))
    try:
        claim = services.claim_rollback(claim=claim, user=request.user, history_id=history_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Claim rolled back; this is now version {claim.version}.")
    return redirect(f"{claim.get_absolute_url()}#history")


def _rollback_context(claim: Claim, target) -> dict:
    then_links = len(history.links_at(claim.pk, target.history_date))
    consequences = [
        "The wording, the quote, the tags, the verdict and the sources go back to what they were then.",
        "Nothing is lost: the versions since stay in the history, and a rollback can itself be rolled back.",
    ]
    if target.status in JUDGED and target.reviewed_at != claim.reviewed_at:
        consequences.insert(1, "The verdict of then comes back as needing review: a reviewer must confirm it.")
    return {
        "heading": f"Roll back to version {target.version}?",
        "compare": [
            ("Wording", claim.wording, target.wording),
            ("Status", claim.get_status_display(), Claim.Status(target.status).label),
            (
                "Tags",
                ", ".join(tag.name for tag in claim.tags.all()) or "none",
                ", ".join(history.tag_names(target)) or "none",
            ),
            ("Sources", str(claim.evidence.count()), str(then_links)),
        ],
        "then": f"version {target.version}, {_when(target.history_date)}",
        "now": f"version {claim.version}",
        "consequences": consequences,
        "action": reverse("claims:rollback", args=[claim.pk]),
        "fields": {"history_id": target.history_id},
        "button": f"Roll back to version {target.version}",
        "cancel_url": f"{claim.get_absolute_url()}#history",
    }
