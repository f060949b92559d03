"""Each API operation asked by each role, with a read-write token of its own, on another editor's things: the
same answers as the pages give (tests/authorisation_table.py), since the same rules decide them."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from articles.models import ImportBatch
from claims import services
from claims.models import ClaimSet, Export
from tests.api_helpers import ApiClient
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory, UserFactory, _passage_of

pytestmark = pytest.mark.django_db

ROLES = ("viewer", "editor", "reviewer", "admin")
# method, path, body, what the viewer, the editor, the reviewer and the admin get
CASES = [
    ("get", "/articles", None, "200 200 200 200"),
    ("get", "/articles/{article}", None, "200 200 200 200"),
    ("get", "/claims", None, "200 200 200 200"),
    ("get", "/claims/{claim}", None, "200 200 200 200"),
    ("get", "/claims/{claim}/evidence", None, "200 200 200 200"),
    ("get", "/tags", None, "200 200 200 200"),
    ("get", "/claim-sets", None, "200 200 200 200"),
    ("get", "/claim-sets/{set}", None, "403 403 403 200"),
    ("get", "/claim-sets/{set}/claims", None, "403 403 403 200"),
    ("post", "/claims", {"article": "{article}", "quote": "checkable"}, "403 201 201 201"),
    ("patch", "/claims/{claim}", {"wording": "Reworded"}, "403 403 200 200"),
    (
        "post",
        "/claims/{claim}/verdict",
        {"status": "disputed", "rationale": "A source says otherwise."},
        "403 403 200 200",
    ),
    ("post", "/claims/{claim}/reviewed", None, "403 403 200 200"),
    ("post", "/claims/{claim}/evidence/passage", {"passage": "{passage}", "stance": "context"}, "403 201 201 201"),
    (
        "post",
        "/claims/{claim}/evidence/external",
        {"url": "https://example.org/", "stance": "context"},
        "403 201 201 201",
    ),
    ("delete", "/claims/{claim}/evidence/{link}", None, "403 403 204 204"),
    ("get", "/claims/{claim}/comments", None, "200 200 200 200"),
    ("post", "/claims/{claim}/comments", {"body": "A point"}, "403 201 201 201"),
    ("patch", "/claims/{claim}/comments/{comment}", {"body": "Reworded"}, "403 403 403 403"),  # only its author
    ("delete", "/claims/{claim}/comments/{comment}", None, "403 403 403 204"),  # and admins, who moderate
    ("get", "/claims/{claim}/assignments", None, "200 200 200 200"),
    ("put", "/claims/{claim}/assignments/source", {"assignee": "other-editor"}, "403 403 200 200"),
    ("delete", "/claims/{claim}/assignments/review", None, "403 403 204 204"),
    ("post", "/exports", {"format": "csv"}, "202 202 202 202"),
    ("get", "/exports/{export}", None, "403 403 403 200"),
    ("get", "/exports/{export}/download", None, "403 403 403 200"),
    ("post", "/imports/articles", {"articles": [{"title": "T", "text": "A text."}]}, "403 403 403 202"),
    ("get", "/imports/{batch}", None, "403 403 403 200"),
    ("post", "/imports/{batch}/confirm", None, "403 403 403 202"),
    ("get", "/imports/{batch}/records", None, "403 403 403 200"),
    ("get", "/imports/{batch}/report", None, "403 403 403 200"),
]


@pytest.fixture
def world():
    other = UserFactory(username="other-editor", role="editor")
    claim = ClaimFactory(created_by=other, needs_review=True, review_reason="Check the quote.")
    link = PassageEvidenceFactory(claim=claim, stance="contradicts", added_by=other)
    claim_set = ClaimSet.objects.create(name="Another's set", owner=other)
    comment = services.comment_post(claim=claim, user=other, body="Another's comment")
    judge = UserFactory(username="other-reviewer", role="reviewer")
    services.claim_assign(claim=claim, user=judge, task="review", assignee=judge)
    export = Export.objects.create(
        format="csv", created_by=other, channel="web", statuses=["open"], status=Export.Status.DONE, claim_count=1
    )
    export.file.save("another.csv", ContentFile(b"id\r\n1\r\n"))
    batch = ImportBatch.objects.create(channel="admin", status=ImportBatch.Status.PREVIEWED, records_total=0)
    claim_set.claims.add(claim)
    clients = {
        role: ApiClient(UserFactory(username=f"api-{role}", role=role, is_staff=role == "admin")) for role in ROLES
    }
    ids = {
        "article": ArticleFactory(body="This one is checkable.").pk,
        "claim": claim.pk,
        "link": link.pk,
        "set": claim_set.pk,
        "comment": comment.pk,
        "export": export.pk,
        "batch": batch.pk,
        "passage": _passage_of(ArticleFactory()).pk,
    }
    return clients, ids, claim


def filled(value, ids):
    if isinstance(value, dict):
        return {name: filled(v, ids) for name, v in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
        return ids[value[1:-1]]
    return value.format(**ids) if isinstance(value, str) else value


@pytest.mark.parametrize("method, path, body, expected", CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_each_role_gets_what_the_pages_would_give_it(world, method, path, body, expected):
    clients, ids, claim = world
    got = []
    for role in ROLES:
        with transaction.atomic():
            claim.refresh_from_db()
            headers = (
                {"If-Match": f'"{claim.pk}.{claim.version}"'}
                if method == "patch" or "verdict" in path or "reviewed" in path
                else {}
            )
            api = clients[role]
            url = path.format(**ids)
            response = (
                api.get(url)
                if method == "get"
                else getattr(api, method)(url, *([filled(body, ids)] if method != "delete" else []), **headers)
            )
            got.append(str(response.status_code))
            transaction.set_rollback(True)
    assert " ".join(got) == expected
