"""Writes that touch claims: tagging, editing, linking sources, verdicts. Each checks who may do it,
runs in one transaction and records the acting user in the history."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from articles.models import Article, Passage
from claims import basis, comments, history, notifications, permissions
from claims.anchoring import Anchor, check_anchor
from claims.models import Assignment, Claim, ClaimSet, Comment, EvidenceLink, Mention, Story, Tag
from claims.reanchor import reanchor
from claims.rules import JUDGED, VERDICTS, evidence_blockers, verdict_blockers

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
SURE_ENOUGH = 0.8  # a claim re-anchored with less confidence than this is flagged for a person to check


class StaleClaim(Exception):
    """The claim changed since the person loaded it; carries the current claim to show what changed."""

    def __init__(self, current: Claim):
        self.current = current
        super().__init__(
            f"Someone else changed this claim since you opened it (now version {current.version}). "
            "Nothing was saved: review their change below and apply yours again."
        )


class VerdictRefused(Exception):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


def parse_tags(text: str) -> list[str]:
    """ "Funding, casualties,, funding " -> ["Funding", "casualties"]: trimmed, unique ignoring case."""
    names: dict[str, str] = {}
    for raw in text.split(","):
        name = " ".join(raw.split())
        if len(name) > TAG_MAX_LENGTH:
            raise ValidationError({"tags": f"A tag can have at most {TAG_MAX_LENGTH} characters: “{name[:20]}…”."})
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


def tags_named(names: list[str], user) -> list[Tag]:
    matching = Tag.objects.annotate(key=Lower("name")).filter(key__in=[name.lower() for name in names])
    existing = {tag.name.casefold(): tag for tag in matching}
    tags = []
    for name in names:
        tag = existing.get(name.casefold()) or _new_tag(name, user)
        tags.append(tag)
    return tags


def _new_tag(name: str, user) -> Tag:
    """A tag no one had, or the one another editor created meanwhile (PostgreSQL lets both look first)."""
    tag = Tag(name=name)
    tag._history_user = user
    try:
        with transaction.atomic():
            tag.save()
    except IntegrityError:
        return Tag.objects.annotate(key=Lower("name")).get(key=name.lower())
    return tag


def _locked(claim: Claim, expected_version: int | None) -> Claim:
    """The claim's row, locked until the transaction ends; refused if it moved past what the user saw."""
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleClaim(current)
    return current


def _links(claim: Claim) -> list[EvidenceLink]:
    return list(claim.evidence.select_related("passage__article"))


def _hold_to_basis(claim: Claim) -> bool:
    """A verdict stands only on what it judged: any other change suspends it until a reviewer looks again.
    Says whether the claim needs review now."""
    if claim.verdict_basis is None or claim.status not in (*JUDGED, Claim.Status.REVIEW):
        return False
    found = basis.drifts(claim.verdict_basis, claim, _links(claim))
    if found:
        claim.status, claim.needs_review, claim.review_reason = Claim.Status.REVIEW, True, basis.reasons(found)
    return bool(found)


def _save(claim: Claim, user) -> None:
    """Every write of a claim ends here: the version moves on, and the verdict is held to its basis."""
    _hold_to_basis(claim)
    claim.version += 1
    if user is not None:  # else the history takes the request's user, if any (imports run without one)
        claim._history_user = user
    claim.save()


def claim_create(*, article: Article, user, anchor: Anchor, wording: str = "", tags: str = "") -> Claim:
    if not permissions.can_tag(user):
        raise PermissionDenied("Only editors, reviewers and admins tag claims.")
    if article.is_superseded():
        raise ValidationError(
            f"This is version {article.version} of the article and a newer one exists: tag claims on the newest "
            "version (claims on older versions are never carried forward)."
        )
    check_anchor(article.body, start=anchor.start, end=anchor.end, quote=anchor.quote)
    tag_names = parse_tags(tags)
    with transaction.atomic():
        claim = Claim(
            article=article,
            start=anchor.start,
            end=anchor.end,
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            wording=" ".join(wording.split()) or anchor.quote,
            created_by=user,
        )
        claim._history_user = user
        claim.save()
        claim.tags.set(tags_named(tag_names, user))
    return claim


def claim_update(*, claim: Claim, user, expected_version: int, wording: str, tags: str) -> Claim:
    if refusal := permissions.edit_refusal(user, claim):
        raise PermissionDenied(refusal)
    wording = " ".join(wording.split())
    if not wording:
        raise ValidationError({"wording": "Say what the claim is, in your own words."})
    tag_names = parse_tags(tags)
    with transaction.atomic():
        claim = _locked(claim, expected_version)
        claim.wording = wording
        _save(claim, user)
        claim.tags.set(tags_named(tag_names, user))
    return claim


def tag_rename(*, tag: Tag, user, name: str) -> Tag:
    """Rename a tag as the tag box would write it: trimmed, unique ignoring case."""
    if not user.has_perm("claims.change_tag"):
        raise PermissionDenied("Only admins rename tags.")
    names = parse_tags(name)
    if len(names) != 1:
        raise ValidationError({"name": "A tag is one name, without commas."})
    taken = Tag.objects.annotate(key=Lower("name")).filter(key=names[0].lower()).exclude(pk=tag.pk)
    if taken.exists():
        raise ValidationError({"name": f"There is already a tag “{taken.get().name}”."})
    tag.name = names[0]
    tag._history_user = user
    tag.save()
    return tag


def claim_delete(*, claim: Claim, user, expected_version: int | None = None) -> None:
    """The claim goes, with its sources and discussion (all kept in the history, so it can be restored).
    `expected_version`: what the person saw (the claim list's bulk delete); a claim changed since stays."""
    if refusal := permissions.delete_refusal(user, claim):
        raise PermissionDenied(refusal)
    with transaction.atomic():
        claim = _locked(claim, expected_version)
        if refusal := permissions.delete_refusal(user, claim):  # judged since it was read
            raise PermissionDenied(refusal)
        claim._history_user = user
        for link in claim.evidence.all():
            link._history_user = user
            link._change_reason = _deleted_with(claim.pk)
            link.delete()
        _discussion_delete(claim, user)
        claim.delete()


def _deleted_with(claim_id: int) -> str:
    return f"deleted with claim #{claim_id}"


def claim_restore(*, claim_id: int, user) -> Claim:
    """Bring a deleted claim back as it was, with the evidence links deleted along with it."""
    if not permissions.can_restore(user):
        raise PermissionDenied("Only admins restore deleted claims.")
    with transaction.atomic():
        records = list(history.claim_history(claim_id))
        if not records or records[-1].history_type != "-":
            raise ValidationError("Only a deleted claim can be restored.")
        last_state = next((r for r in reversed(records) if r.history_type != "-"), records[-1])
        claim = records[-1].instance
        claim.version += 1
        claim._history_user, claim._change_reason = user, "restored after deletion"
        claim.save(force_insert=True)
        claim.tags.set(row.tag for row in last_state.historicalclaim_tags_set.all())
        for link_id in _links_deleted_with(claim_id):
            link = EvidenceLink.history.filter(id=link_id).latest("history_date", "history_id").instance
            link._history_user, link._change_reason = user, f"restored with claim #{claim_id}"
            link.save(force_insert=True)
        _discussion_restore(claim_id, user)
        if claim.status in JUDGED and _hold_to_basis(claim):  # its sources changed while it was deleted
            claim._change_reason = "checked against its verdict after the restore"
            _save(claim, user)
    return claim


def _links_deleted_with(claim_id: int) -> list[int]:
    """Links whose latest record is their deletion along with the claim (not an earlier, separate removal)."""
    latest = {}
    for record in history.link_history(claim_id):
        latest[record.id] = record
    return [
        link_id
        for link_id, record in latest.items()
        if record.history_type == "-" and record.history_change_reason == _deleted_with(claim_id)
    ]


def claim_rollback(*, claim: Claim, user, history_id: int) -> Claim:
    """Put a claim back as it was in an earlier version: wording, anchor, tags, verdict and evidence."""
    if not permissions.can_restore(user):
        raise PermissionDenied("Only admins roll claims back.")
    with transaction.atomic():
        claim = _locked(claim, None)
        target = claim.history.filter(history_id=history_id).exclude(history_type="-").first()
        if target is None:
            raise ValidationError("That version does not belong to this claim.")
        reason = f"rolled back to version {target.version}"
        in_force = claim.reviewed_at  # a verdict is known by when it was given
        for name in (
            "article_id",
            "anchor_confidence",
            "wording",
            "quote",
            "prefix",
            "suffix",
            "start",
            "end",
            "status",
            "verdict_rationale",
            "reviewed_by_id",
            "reviewed_at",
            "verdict_basis",
            "needs_review",
            "review_reason",
        ):
            setattr(claim, name, getattr(target, name))
        # The links first: the claim's save holds the verdict to its basis, sources included.
        _rollback_links(claim, user, history.links_at(claim.pk, target.history_date), reason)
        _verdict_of_the_past(claim, in_force)
        claim._change_reason = reason
        _save(claim, user)
        claim.tags.set(row.tag for row in target.historicalclaim_tags_set.all())
    return claim


def _verdict_of_the_past(claim: Claim, in_force) -> None:
    """A rollback brings back a verdict only if it is the one in force (suspended or not); an earlier one,
    since replaced by a reviewer, comes back as needing review: only a reviewer gives a verdict."""
    if claim.status in JUDGED and claim.reviewed_at != in_force:
        claim.status, claim.needs_review = Claim.Status.REVIEW, True
        claim.review_reason = "Rolled back to an earlier verdict: a reviewer must confirm it."


LINK_STATE = ["stance", "note", "passage_id", "url", "title", "publisher", "accessed_on", "quote"]


def _rollback_links(claim: Claim, user, wanted: dict, reason: str) -> None:
    current = {link.pk: link for link in claim.evidence.all()}
    for link_id, link in current.items():
        if link_id not in wanted:
            link._history_user, link._change_reason = user, reason
            link.delete()
    for link_id, record in wanted.items():
        link = record.instance
        live = current.get(link_id)
        if live and all(getattr(live, name) == getattr(link, name) for name in LINK_STATE):
            continue
        link._history_user, link._change_reason = user, reason
        link.save(force_insert=live is None)


def evidence_add_passage(*, claim: Claim, user, passage: Passage, stance: str, note: str = "") -> EvidenceLink:
    if passage.article_id == claim.article_id:
        raise ValidationError("A claim's own article cannot be its evidence: choose a passage of another article.")
    return _add_link(claim, user, EvidenceLink(passage=passage, stance=stance, note=note.strip()))


def evidence_add_external(
    *,
    claim: Claim,
    user,
    url: str,
    stance: str,
    title: str = "",
    publisher: str = "",
    accessed_on: date | None = None,
    quote: str = "",
    note: str = "",
) -> EvidenceLink:
    link = EvidenceLink(stance=stance, note=note.strip())
    _set_external(link, url=url, title=title, publisher=publisher, accessed_on=accessed_on, quote=quote)
    check_not_own_article(claim, link)
    return _add_link(claim, user, link)


def _set_external(link: EvidenceLink, *, url: str, title: str, publisher: str, accessed_on, quote: str) -> None:
    link.url, link.title, link.publisher = url.strip(), title.strip(), publisher.strip()
    link.accessed_on, link.quote = accessed_on, quote.strip()


def check_not_own_article(claim: Claim, link: EvidenceLink) -> None:
    """A claim's own article is never its evidence, whichever door the link comes through."""
    own_url = claim.article.url
    if link.url and own_url and link.url.rstrip("/") == own_url.rstrip("/"):
        raise ValidationError("That URL is the claim's own article, which cannot be its evidence.")


def _add_link(claim: Claim, user, link: EvidenceLink) -> EvidenceLink:
    if not permissions.can_link(user):
        raise PermissionDenied("Only editors, reviewers and admins link sources.")
    link.claim, link.added_by = claim, user
    link.full_clean(exclude=["claim", "added_by", "passage"])
    try:
        with transaction.atomic():
            claim = _locked(claim, None)
            link._history_user = user
            link.save()
            _save(claim, user)
    except IntegrityError as exc:
        raise ValidationError("This passage is already linked to the claim.") from exc
    return link


def evidence_update(
    *,
    link: EvidenceLink,
    user,
    stance: str,
    note: str = "",
    url: str = "",
    title: str = "",
    publisher: str = "",
    accessed_on: date | None = None,
    quote: str = "",
) -> EvidenceLink:
    """Change a link's stance or note, or an external source's details: a new version of its claim."""
    if not permissions.can_change_link(user, link):
        raise PermissionDenied("Only admins change a source link; editors remove it and link it again.")
    link.stance, link.note = stance, note.strip()
    if not link.passage_id:
        _set_external(link, url=url, title=title, publisher=publisher, accessed_on=accessed_on, quote=quote)
        check_not_own_article(link.claim, link)
    link.full_clean(exclude=["claim", "added_by", "passage"])
    with transaction.atomic():
        claim = _locked(link.claim, None)
        link._history_user = user
        link.save()
        _save(claim, user)
    return link


def evidence_remove(*, link: EvidenceLink, user) -> Claim:
    """Remove a source link; returns the claim as it now is (its version is what an undo expects)."""
    if not permissions.can_unlink(user, link):
        raise PermissionDenied("You may remove only the links you added, or links on claims you may edit.")
    with transaction.atomic():
        claim = _locked(link.claim, None)
        link._history_user = user
        link.delete()
        _save(claim, user)
    return claim


def evidence_restore_removed(*, claim: Claim, user, link_id: int, expected_version: int) -> EvidenceLink:
    """Undo a link's removal (the Undo in the message that confirmed it): the link back as it was, with its
    stance, note and who added it, when the claim has not changed since. It is a change of the claim like any
    link, held to the verdict's basis: a verdict the removal suspended stays suspended until a reviewer looks."""
    if not permissions.can_link(user):
        raise PermissionDenied("Only editors, reviewers and admins link sources.")
    removal = EvidenceLink.history.filter(id=link_id, claim_id=claim.pk).order_by("history_date", "history_id").last()
    if removal is None or removal.history_type != "-":
        raise ValidationError("That source is linked to the claim: there is no removal to undo.")
    if not permissions.can_undo_unlink(user, removal):
        raise PermissionDenied("Only the person who removed a link undoes its removal.")
    with transaction.atomic():
        claim = _locked(claim, expected_version)
        link = removal.instance
        if link.passage_id and not Passage.objects.filter(pk=link.passage_id).exists():
            raise ValidationError(
                "The passage that link pointed at is gone (its article was deleted): the link cannot come back."
            )
        link._history_user, link._change_reason = user, "removal undone"
        link.save(force_insert=True)
        _save(claim, user)
    return link


def verdict_record(*, claim: Claim, user, status: str, rationale: str, expected_version: int) -> Claim:
    """Verify, dispute or reopen a claim, under the rules in claims.rules, safely against a racing reviewer.

    A verified or disputed claim keeps what it was judged on (claims.basis), so that a later change to it
    is noticed; recording a verdict again on a claim that needs review is how a reviewer confirms it.
    """
    if status not in VERDICTS:
        raise ValidationError({"status": f"Unknown verdict {status!r}."})
    with transaction.atomic():
        claim = _locked(claim, expected_version)
        links = _links(claim)
        reasons = verdict_blockers(claim=claim, links=links, user=user, status=status, rationale=rationale)
        if reasons:
            raise VerdictRefused(reasons)
        if claim.status == Claim.Status.REVIEW:
            claim._change_reason = f"reviewed after: {claim.review_reason}"
        claim.status = status
        claim.verdict_basis = basis.basis_of(claim, links) if status in JUDGED else None
        claim.needs_review, claim.review_reason = False, ""  # a fresh decision answers any review flag
        claim.verdict_rationale = rationale.strip()
        claim.reviewed_by = user
        claim.reviewed_at = timezone.now()
        _save(claim, user)
    return claim


def verdict_adopt(*, claim: Claim, suspended: str | None = None, judged_on: dict | None = None) -> Claim:
    """Take in a verdict given in another workbench (a claim import): it keeps what it judged here, and one
    that does not meet this workbench's rules needs review instead of standing unexamined. `suspended`:
    the verdict of a claim that already needed review there, kept so that a reviewer may confirm it.
    `judged_on`: the verdict's basis there (under this workbench's ids), when the export has it; else what
    the claim is now."""
    judged = suspended if claim.status == Claim.Status.REVIEW else claim.status
    if judged not in JUDGED:
        return claim
    links = _links(claim)
    claim.status, needed_review = judged, claim.status == Claim.Status.REVIEW
    claim.verdict_basis = judged_on or basis.basis_of(claim, links)
    problems = evidence_blockers(links=links, status=judged, rationale=claim.verdict_rationale)
    if problems and not needed_review:
        claim.review_reason = f"Imported as {judged}, but here it does not meet the rules: {' '.join(problems)}"
    if problems or needed_review:
        claim.status, claim.needs_review = Claim.Status.REVIEW, True
    claim.save()  # the same version: the import's own change, told as one
    return claim


def claim_mark_reviewed(*, claim: Claim, user, expected_version: int) -> Claim:
    """Someone checked a flagged claim (its new anchor) and found it right. A suspended verdict needs a verdict."""
    if not permissions.can_clear_flag(user, claim):
        raise PermissionDenied(
            "A reviewer must confirm or change this verdict."
            if claim.status == Claim.Status.REVIEW
            else "Only the claim's editor or a reviewer may clear its review flag."
        )
    with transaction.atomic():
        claim = _locked(claim, expected_version)
        if claim.status == Claim.Status.REVIEW:
            raise PermissionDenied("A reviewer must confirm or change this verdict.")
        claim._change_reason = f"checked after: {claim.review_reason}"
        claim.needs_review, claim.review_reason, claim.anchor_confidence = False, "", 1.0
        _save(claim, user)
    return claim


def claims_reanchor(*, old: Article, new: Article) -> list[Claim]:
    """Carry the claims of an article's previous version over to the new version.

    Each claim found again moves to the new version with its new anchor and the confidence of the
    match; one not found stays on the old version. Either way the person who must look again is told:
    a claim that could not be re-anchored, whose quoted words changed, or that was found only
    approximately needs review; a verdict whose anchor changed is suspended (claims.basis).
    """
    moved = []
    for claim in Claim.objects.filter(article=old).select_for_update():
        found = reanchor(
            new.body,
            quote=claim.quote,
            prefix=claim.prefix,
            suffix=claim.suffix,
            start=claim.start,
            old_body_length=len(old.body),
        )
        if found.anchor is None:
            claim.needs_review = True
            claim.review_reason = f"Not found again in version {new.version} of the article."
            claim._change_reason = f"could not be re-anchored in version {new.version}"
        else:
            anchor = found.anchor
            claim.article = new
            claim.start, claim.end, claim.quote = anchor.start, anchor.end, anchor.quote
            claim.prefix, claim.suffix = anchor.prefix, anchor.suffix
            claim.anchor_confidence = found.confidence
            approximate = found.confidence < SURE_ENOUGH
            if found.quote_changed:
                how = " (found again only approximately)" if approximate else ""
                claim.needs_review = True
                claim.review_reason = f"The quoted words changed in version {new.version}{how}: check the quote."
            elif approximate:
                claim.needs_review = True
                claim.review_reason = f"Found again in version {new.version} only approximately: check the quote."
            claim._change_reason = (
                f"re-anchored in version {new.version} ({found.method}, confidence {found.confidence:.2f})"
            )
            moved.append(claim)
        _save(claim, None)
    return moved


def claims_recheck_sources(*, article: Article) -> int:
    """Hold every judged claim that cites `article` to its basis again (its publisher changed, say)."""
    cited = EvidenceLink.objects.filter(passage__article=article).values("claim_id")
    judged = Claim.objects.filter(pk__in=cited, status__in=JUDGED).select_for_update()
    suspended = 0
    with transaction.atomic():
        for claim in judged:
            if _hold_to_basis(claim):  # only then is it a change of the claim, with a new version
                _save(claim, None)
                suspended += 1
    return suspended


# --- Claim sets -------------------------------------------------------------------------------


def claim_set_save(*, claim_set: ClaimSet, user) -> ClaimSet:
    """Create or change a claim set (its form has validated it)."""
    if claim_set.pk and not permissions.can_manage_set(user, claim_set):
        raise PermissionDenied("Only the set's owner and admins change a claim set.")
    if not claim_set.pk:
        claim_set.owner = user
    claim_set._history_user = user
    claim_set.save()
    return claim_set


def claim_set_delete(*, claim_set: ClaimSet, user) -> None:
    if not permissions.can_manage_set(user, claim_set):
        raise PermissionDenied("Only the set's owner and admins delete a claim set.")
    claim_set._history_user = user
    claim_set.delete()


def claim_set_add(*, claim_set: ClaimSet, user, claims: list[Claim]) -> int:
    """Add hand-picked claims; says how many were new to the set."""
    if not permissions.can_manage_set(user, claim_set):
        raise PermissionDenied("Only the set's owner and admins change a claim set.")
    if claim_set.selection != ClaimSet.Selection.PICKED:
        raise ValidationError("This set is a saved filter: its claims are the ones the filter finds.")
    with transaction.atomic():
        already = set(claim_set.claims.filter(pk__in=[c.pk for c in claims]).values_list("pk", flat=True))
        new = [claim for claim in claims if claim.pk not in already]
        if new:
            claim_set._history_user = user
            claim_set.claims.add(*new)
    return len(new)


def claim_set_remove(*, claim_set: ClaimSet, user, claim: Claim) -> None:
    if not permissions.can_manage_set(user, claim_set):
        raise PermissionDenied("Only the set's owner and admins change a claim set.")
    claim_set._history_user = user
    claim_set.claims.remove(claim)


# --- Stories ---------------------------------------------------------------------------------------


def story_save(*, story: Story, user, articles: list[Article] = ()) -> Story:
    """Create or change a story (its form has validated it), with articles to add to it."""
    allowed = permissions.can_edit_story(user) if story.pk else permissions.can_create_story(user)
    if not allowed:
        raise PermissionDenied("Only editors, reviewers and admins make and change stories.")
    with transaction.atomic():
        if not story.pk:
            story.created_by = user
        story._history_user = user
        story.save()
        if articles:
            story.articles.add(*articles)
    return story


def story_add_articles(*, story: Story, user, articles: list[Article]) -> int:
    """Add articles to a story; says how many were new to it."""
    if not permissions.can_edit_story(user):
        raise PermissionDenied("Only editors, reviewers and admins change stories.")
    with transaction.atomic():
        already = set(story.articles.filter(pk__in=[a.pk for a in articles]).values_list("pk", flat=True))
        new = [article for article in articles if article.pk not in already]
        if new:
            story._history_user = user
            story.articles.add(*new)
    return len(new)


def story_remove_article(*, story: Story, user, article: Article) -> None:
    if not permissions.can_edit_story(user):
        raise PermissionDenied("Only editors, reviewers and admins change stories.")
    story._history_user = user
    story.articles.remove(article)


def story_delete(*, story: Story, user) -> None:
    """The story goes (its history stays); its articles and their claims are untouched."""
    if not permissions.can_delete_story(user):
        raise PermissionDenied("Only admins delete stories.")
    story._history_user = user
    story.delete()


# --- Discussion ------------------------------------------------------------------------------------
# Comments change no claim: no version moves, so a discussion never makes an edit or a verdict stale, and a
# verdict's basis (claims.basis) never sees one.


def _mentions_set(comment: Comment) -> None:
    """The comment's mention rows follow its text: new names added, names no longer in it removed, the rest
    kept with the time they were first made (a desk's "new since I last looked" stays right after an edit)."""
    found = comments.mentioned_users(comment.body) if not comment.is_deleted else []
    wanted = {user.pk: user for user in found if user.pk != comment.author_id}  # no one is told what they wrote
    have = set(comment.mentions.values_list("user_id", flat=True))
    comment.mentions.exclude(user_id__in=wanted).delete()
    Mention.objects.bulk_create(
        [
            Mention(comment=comment, user=user, claim_id=comment.claim_id)
            for pk, user in wanted.items()
            if pk not in have
        ]
    )
    notifications.mentioned(comment, [pk for pk in wanted if pk not in have])


def comment_post(*, claim: Claim, user, body: str, parent: Comment | None = None) -> Comment:
    """A new comment on the claim, or a reply: a reply to a reply joins the thread of the comment it answers."""
    if not permissions.can_comment(user):
        raise PermissionDenied("Only editors, reviewers and admins take part in the discussion.")
    body = comments.clean_body(body)
    if parent is not None:
        if parent.claim_id != claim.pk:
            raise ValidationError("That comment belongs to another claim.")
        if parent.is_deleted:
            raise ValidationError("That comment was deleted meanwhile: post yours to the discussion instead.")
        parent_id = parent.parent_id or parent.pk
    else:
        parent_id = None
    with transaction.atomic():
        comment = Comment(claim=claim, author=user, parent_id=parent_id, body=body)
        comment._history_user = user
        comment.save()
        _mentions_set(comment)
        if parent is not None:
            notifications.replied(comment, parent)
    return comment


def comment_edit(*, comment: Comment, user, body: str) -> Comment:
    if not permissions.can_edit_comment(user, comment):
        raise PermissionDenied("You may edit only your own comments, and not once deleted.")
    body = comments.clean_body(body)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if not permissions.can_edit_comment(user, comment):  # deleted meanwhile
            raise PermissionDenied("This comment was deleted meanwhile.")
        if comment.body == body:
            return comment
        comment.body, comment.edited_at = body, timezone.now()
        comment._history_user = user
        comment.save()
        _mentions_set(comment)
    return comment


def comment_delete(*, comment: Comment, user) -> Comment:
    """Soft: the comment stays in its thread as deleted, without its text (which its history keeps)."""
    if not permissions.can_delete_comment(user, comment):
        raise PermissionDenied("You may delete only your own comments (admins, anyone's).")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_deleted:
            return comment
        comment.body, comment.deleted_at, comment.deleted_by = "", timezone.now(), user
        comment._history_user = user
        comment._change_reason = "deleted" if comment.author_id == user.pk else f"deleted by {user.get_username()}"
        comment.save()
        _mentions_set(comment)
    return comment


def _discussion_delete(claim: Claim, user) -> None:
    """A deleted claim's comments (replies first) and assignments go with it, each recorded as deleted with
    it, so that restoring the claim brings them back."""
    replies, threads = claim.comments.filter(parent__isnull=False), claim.comments.filter(parent__isnull=True)
    for obj in [*replies, *threads, *claim.assignments.all()]:
        obj._history_user, obj._change_reason = user, _deleted_with(claim.pk)
        obj.delete()


def _discussion_restore(claim_id: int, user) -> None:
    """The comments and assignments deleted with the claim, back as they were (threads first, then replies)."""
    for model in (Comment, Assignment):
        latest = {}
        for record in model.history.filter(claim_id=claim_id).order_by("history_date", "history_id"):
            latest[record.id] = record
        gone = [
            r for r in latest.values() if r.history_type == "-" and r.history_change_reason == _deleted_with(claim_id)
        ]
        for record in sorted(gone, key=lambda r: (getattr(r, "parent_id", None) is not None, r.id)):
            obj = record.instance
            obj._history_user, obj._change_reason = user, f"restored with claim #{claim_id}"
            obj.save(force_insert=True)
            if model is Comment:
                _mentions_set(obj)


# --- Assignments -----------------------------------------------------------------------------------


def claim_assign(
    *,
    claim: Claim,
    user,
    task: str,
    assignee,
    due: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """Hand the claim to `assignee` for `task` (sources or a verdict), or change who has it, its due date or
    note. Not a change of the claim: no version moves and a verdict's basis never sees it. `expected_version`:
    the claim as the person saw it (the claim list's bulk assign); one changed since is refused."""
    if not permissions.can_assign(user):
        raise PermissionDenied("Only reviewers and admins assign claims.")
    check_assignee(assignee, task)
    note = note.strip()
    if len(note) > Assignment._meta.get_field("note").max_length:
        raise ValidationError({"note": "A note can have at most 1000 characters."})
    with transaction.atomic():
        _locked(claim, expected_version)  # one desk head at a time changes a claim's assignments
        assignment = Assignment.objects.filter(claim=claim, task=task).first() or Assignment(claim=claim, task=task)
        unchanged = assignment.pk and (assignment.assignee_id, assignment.due, assignment.note) == (
            assignee.pk,
            due,
            note,
        )
        if unchanged:
            return assignment
        handed = assignment.assignee_id != assignee.pk
        if handed:
            assignment.assigned_at = timezone.now()
        assignment.assignee, assignment.assigned_by, assignment.due, assignment.note = assignee, user, due, note
        assignment._history_user = user
        assignment.save()
        if handed:
            notifications.assigned(assignment)
    return assignment


def check_assignee(assignee, task: str) -> None:
    """Refuses a task that does not exist, or a person without the role it asks for."""
    if task not in Assignment.Task.values:
        raise ValidationError({"task": f"Unknown task {task!r}."})
    if assignee is None or not permissions.may_be_assigned(assignee, task):
        role = "a reviewer" if task == Assignment.Task.REVIEW else "an editor"
        name = assignee.get_username() if assignee is not None else "Nobody"
        raise ValidationError(
            {"assignee": f"{name} cannot be assigned to {Assignment.Task(task).label.lower()}: choose {role}."}
        )


def claim_unassign(*, claim: Claim, user, task: str) -> bool:
    """Take the claim out of its assignee's hands for `task`; says whether it was assigned."""
    if not permissions.can_assign(user):
        raise PermissionDenied("Only reviewers and admins assign claims.")
    with transaction.atomic():
        _locked(claim, None)
        assignment = Assignment.objects.filter(claim=claim, task=task).first()
        if assignment is None:
            return False
        assignment._history_user = user
        assignment.delete()
    return True
