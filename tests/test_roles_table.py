"""The README's roles table says what claims.permissions does, cell by cell."""

import re
from pathlib import Path

import pytest

from claims import permissions
from claims.models import ClaimSet, Comment, WebhookSubscription
from claims.rules import reviewer_blockers
from tests.factories import ClaimFactory, PassageEvidenceFactory, UserFactory

README = Path(__file__).resolve().parent.parent / "README.md"
ROLES = ["viewer", "editor", "reviewer", "admin"]


def readme_table() -> dict[str, dict[str, str]]:
    section = README.read_text().split("### Roles\n\n", 1)[1].split("\n\n", 1)[0]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in section.splitlines()]
    header, _, *body = rows
    assert header == ["Action", *ROLES]
    return {row[0]: dict(zip(ROLES, row[1:], strict=True)) for row in body}


def cells_for(user) -> dict[str, str]:
    """What claims.permissions lets `user` do, in the table's words."""
    other = UserFactory(role="editor")
    own_open, own_verified = ClaimFactory(created_by=user), ClaimFactory(created_by=user, status="verified")
    others_open, others_verified = ClaimFactory(created_by=other), ClaimFactory(created_by=other, status="verified")
    own_link_elsewhere = PassageEvidenceFactory(claim=others_open, added_by=user)
    others_link_on_own = PassageEvidenceFactory(claim=own_open, added_by=other)
    others_link_elsewhere = PassageEvidenceFactory(claim=others_open, added_by=other)
    others_set = ClaimSet.objects.create(name=f"Set of {other.username}", owner=other)
    own_comment = Comment.objects.create(claim=others_open, author=user, body="Mine")
    others_comment = Comment.objects.create(claim=own_open, author=other, body="Theirs")
    others_webhook = WebhookSubscription(owner=other)

    def tick(allowed: bool, words: str = "✓") -> str:
        return words if allowed else ""

    def scope(anyone: bool, own: bool, own_words: str = "own") -> str:
        return "any" if anyone else tick(own, own_words)

    may_judge = permissions.can_set_verdict(user)
    own_link_rule = permissions.can_unlink(user, own_link_elsewhere) and permissions.can_unlink(
        user, others_link_on_own
    )
    return {
        "read articles and claims": tick(user.has_perm("claims.view_claim") and user.has_perm("articles.view_article")),
        "tag claims, link sources": tick(permissions.can_tag(user) and permissions.can_link(user)),
        "edit a claim": scope(permissions.can_edit(user, others_open), permissions.can_edit(user, own_open)),
        "delete a claim": scope(
            permissions.can_delete(user, others_verified),
            permissions.can_delete(user, own_open) and not permissions.can_delete(user, own_verified),
            "own, while open",
        ),
        "remove a source link": scope(
            permissions.can_unlink(user, others_link_elsewhere), own_link_rule, "own links, links on own claims"
        ),
        "change a source link in place": tick(permissions.can_change_link(user, others_link_elsewhere)),
        "set a verdict": tick(
            may_judge and not reviewer_blockers(claim=others_open, user=user),
            "✓ (not on own claims)" if reviewer_blockers(claim=own_open, user=user) else "✓",
        ),
        "clear a review flag on an open claim": "✓"
        if permissions.can_clear_flag(user, others_open)
        else tick(permissions.can_clear_flag(user, own_open), "own claims"),
        "restore deleted claims, roll back": tick(permissions.can_restore(user)),
        "comment on a claim, reply": tick(permissions.can_comment(user)),
        "edit a comment": scope(
            permissions.can_edit_comment(user, others_comment), permissions.can_edit_comment(user, own_comment)
        ),
        "delete a comment": scope(
            permissions.can_delete_comment(user, others_comment), permissions.can_delete_comment(user, own_comment)
        ),
        "assign a claim to someone": tick(permissions.can_assign(user)),
        "export; keep claim sets": "✓ (every set)" if permissions.can_manage_set(user, others_set) else "✓ (own sets)",
        "webhooks": scope(
            permissions.can_manage_webhook(user, others_webhook),
            permissions.can_manage_webhook(user, WebhookSubscription(owner=user)),
        ),
        "admin site": tick(user.is_staff and user.has_perm("articles.add_article")),
    }


@pytest.mark.parametrize("role", ROLES)
def test_the_readme_roles_table_matches_the_permission_rules(role, db):
    user = UserFactory(username=f"table-{role}", role=role, is_staff=role == "admin")
    table = readme_table()
    computed = cells_for(user)
    assert set(table) == set(computed)
    for action, cells in table.items():
        assert re.sub(r"\s+", " ", cells[role]) == computed[action], f"{action} / {role}"
