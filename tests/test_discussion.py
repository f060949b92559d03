"""A claim's discussion: comments and replies, editing and deleting one's own, mentions, links made safe."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import comments, services
from claims.models import Claim, Comment, Mention
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor):
    return ClaimFactory(created_by=editor)


def post(client, claim, body, **extra):
    return client.post(reverse("claims:comment", args=[claim.pk]), {"body": body, **extra})


def thread_text(client, claim) -> str:
    content = client.get(claim.get_absolute_url()).content.decode()
    return content.split('id="discussion"', 1)[1].split("</section>", 1)[0]


# --- Posting, replying -------------------------------------------------------------------------------


def test_an_editor_posts_a_comment_and_sees_it_in_the_thread(editor_client, claim):
    response = post(editor_client, claim, "Found a second source?")
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    assert "Found a second source?" in thread_text(editor_client, claim)
    assert comment.author.username == "editor-user" and comment.history.get().history_type == "+"
