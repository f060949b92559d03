"""Schemathesis against the API's own OpenAPI document, through the WSGI application: requests generated
from every operation's schema, with a read-write token of an admin (who may do the most), on a newsroom
with claims, links and a claim set. Every answer must be no 500, a status the document names, of the media
type it names, shaped as it says."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claims.api.main import api
from claims.models import ClaimSet, Tag
from tests.api_helpers import ApiClient
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory, UserFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# The document as /api/v1/openapi.json serves it (tests/test_api_service.py checks that), read without a
# request: the schema is made when the tests are collected, before any database is there.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = get_wsgi_application()


@pytest.fixture
def wsgi_requests(settings):
    settings.ALLOWED_HOSTS = ["localhost"]  # the host Schemathesis's WSGI requests name
    settings.WORKBENCH_API_RATE = ""  # many requests a second, from one token: not what throttling tests
    # As Django's test client does: a request must not close the connection that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def secret(db):
    """An admin's read-write token, on a few of everything: generated ids (small numbers) find some of them."""
    admin = UserFactory(username="schema-admin", role="admin", is_staff=True)
    for _ in range(3):
        claim = ClaimFactory(article=ArticleFactory(publisher="Origin"))
        claim.tags.add(Tag.objects.get_or_create(name="budget")[0])
        PassageEvidenceFactory(claim=claim)
    ClaimSet.objects.create(name="Weekly", owner=admin).claims.add(claim)
    return ApiClient(admin).secret


# The same requests on every run, so that CI says the same of the same code; a new seed (drop derandomize,
# raise max_examples) is how to look for more: it found an id too large for SQLite, and a newline in a path.
@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_answer_is_as_the_document_says(case, secret, wsgi_requests):
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)


def test_the_token_the_generated_requests_carry_opens_the_api(secret):
    """Else every generated request would get a 401, which the document names, and prove nothing."""
    from django.test import Client

    assert Client().get("/api/v1/claims", headers={"Authorization": f"Bearer {secret}"}).json()["items"]
