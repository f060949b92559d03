"""Who may do what with claims. Views and services both ask here; hiding a button is only a courtesy."""

from claims.models import Assignment, Claim, Comment, EvidenceLink


def can_tag(user) -> bool:
    return user.has_perm("claims.add_claim")


def can_edit(user, claim: Claim) -> bool:
    return not edit_refusal(user, claim)


def edit_refusal(user, claim: Claim) -> str:
    """Why `user` may not edit `claim`, in their words; "" when they may."""
    if user.has_perm("claims.change_any_claim"):
        return ""
    if not user.has_perm("claims.change_claim"):
        return "Only editors, reviewers and admins edit claims."
    return "" if claim.created_by_id == user.pk else "You may edit only the claims you tagged."


def can_edit_some(user) -> bool:
    """Whether `user` may edit any claim at all (their own, or everyone's): the claim list's bulk actions."""
    return user.has_perm("claims.change_claim") or user.has_perm("claims.change_any_claim")


def can_delete(user, claim: Claim) -> bool:
    return not delete_refusal(user, claim)


def delete_refusal(user, claim: Claim) -> str:
    """Why `user` may not delete `claim`; "" when they may. Editors may delete their own claims while open: a
    verdict is a reviewer's work, not theirs to drop."""
    if user.has_perm("claims.delete_any_claim"):
        return ""
    if not user.has_perm("claims.delete_claim"):
        return "Only editors, reviewers and admins delete claims."
    if claim.created_by_id != user.pk:
        return "Someone else tagged it: you may delete only your own claims."
    if claim.status != Claim.Status.OPEN:
        judged = "Its verdict awaits review" if claim.status == Claim.Status.REVIEW else f"It is {claim.status}"
        return f"{judged}: a verdict is a reviewer's work, so only admins delete it."
    return ""


def can_delete_some(user) -> bool:
    return user.has_perm("claims.delete_claim") or user.has_perm("claims.delete_any_claim")


def can_link(user) -> bool:
    return user.has_perm("claims.add_evidencelink")


def can_unlink(user, link: EvidenceLink) -> bool:
    if not user.has_perm("claims.delete_evidencelink"):
        return False
    return link.added_by_id == user.pk or can_edit(user, link.claim)


def can_undo_unlink(user, removal) -> bool:
    """A link's removal (its history record) is undone by whoever removed it, from the message that told them."""
    return can_link(user) and removal.history_user_id == user.pk


def can_change_link(user, link: EvidenceLink) -> bool:
    """Only admins change a link in place (in the admin); the pages remove a link and add another."""
    return user.has_perm("claims.change_evidencelink")


def can_clear_flag(user, claim: Claim) -> bool:
    """A review flag on an open claim (an anchor to check) is cleared by its editor or a reviewer; a suspended
    verdict only by a verdict."""
    if claim.status == Claim.Status.REVIEW:
        return False
    return can_edit(user, claim) or can_set_verdict(user)


def can_set_verdict(user) -> bool:
    return user.has_perm("claims.set_verdict")


def can_restore(user) -> bool:
    return user.has_perm("claims.restore_claim")


def can_manage_set(user, claim_set) -> bool:
    """A claim set is its owner's; admins see and edit every one."""
    return claim_set.owner_id == user.pk or user.has_perm("claims.change_claimset")


def can_publish_set(user, claim_set) -> bool:
    """Publishing puts a set's verdicts before the public in the newsroom's name: it takes both who may export
    the set (its owner, admins) and who may sign off a verdict (reviewers, admins)."""
    return can_manage_set(user, claim_set) and can_set_verdict(user)


def can_open_export(user, export) -> bool:
    return export.created_by_id == user.pk or user.has_perm("claims.view_export")


def can_create_story(user) -> bool:
    return user.has_perm("claims.add_story")


def can_edit_story(user) -> bool:
    """Stories are shared: any editor changes any story (its history says who did what)."""
    return user.has_perm("claims.change_story")


def can_delete_story(user) -> bool:
    return user.has_perm("claims.delete_story")


def can_comment(user) -> bool:
    """Editors, reviewers and admins take part in a claim's discussion; viewers read it."""
    return user.has_perm("claims.add_comment")


def can_edit_comment(user, comment: Comment) -> bool:
    """Only the author rewords a comment (no one puts words in another's mouth), and not once deleted."""
    return not comment.is_deleted and comment.author_id == user.pk and user.has_perm("claims.change_comment")


def can_delete_comment(user, comment: Comment) -> bool:
    """The author deletes their own comment; admins delete anyone's (moderation). The text stays in the history."""
    if comment.is_deleted:
        return False
    if user.has_perm("claims.delete_any_comment"):
        return True
    return comment.author_id == user.pk and user.has_perm("claims.delete_comment")


def can_read_deleted_comments(user) -> bool:
    """Those who moderate (admins) read what a deleted comment said, from its history."""
    return user.has_perm("claims.delete_any_comment")


def can_assign(user) -> bool:
    """Desk heads, that is reviewers and admins, hand claims to people, reassign and unassign them."""
    return user.has_perm("claims.add_assignment") and user.has_perm("claims.delete_assignment")


def may_be_assigned(user, task: str) -> bool:
    """Whether `user` holds the role an assignment of `task` asks for: sources need an editor, a verdict a reviewer."""
    if not user.is_active:
        return False
    if task == Assignment.Task.REVIEW:
        return can_set_verdict(user)
    return can_link(user)


# The permission an assignee of each task must hold, for the queries that find them (claims.assignments).
ASSIGNEE_PERMISSION = {Assignment.Task.SOURCE: "add_evidencelink", Assignment.Task.REVIEW: "set_verdict"}


def can_subscribe(user) -> bool:
    """Anyone who reads claims may hear of them by webhook (claims.webhooks sends them only what they may see)."""
    return user.is_active and user.has_perm("claims.view_claim")


def can_manage_webhook(user, subscription) -> bool:
    """A webhook subscription is its owner's, on their page; admins manage every one, there and in the admin."""
    if user.has_perm("claims.change_webhooksubscription"):
        return True
    return subscription.owner_id == user.pk and can_subscribe(user)
