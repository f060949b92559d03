"""What the API is as a service: throttled per token, its errors problem details (500 included), and its
OpenAPI 3.1 document and documentation page."""

import json
import threading
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from tests.api_helpers import ApiClient
from tests.factories import ClaimFactory
from workbench.api.auth import TokenThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_requests_in_threads_at_once_are_each_throttled_by_their_own_token(settings):
    """ninja keeps one throttle for every request: under gunicorn's threads, each thread's is its own."""
    settings.WORKBENCH_API_RATE = "1/min"
    throttle = TokenThrottle()
    first, second = (SimpleNamespace(auth=SimpleNamespace(prefix=prefix)) for prefix in ("first", "second"))
    assert throttle.allow_request(first)
    refused = threading.Event()

    def meanwhile():
        assert throttle.allow_request(second)
        if not throttle.allow_request(second) and "second" in throttle.key:
            refused.set()

    other = threading.Thread(target=meanwhile)
    other.start()
    other.join()
    assert refused.is_set()
    assert "first" in throttle.key and throttle.history  # this thread's request, as it left it
    assert not throttle.allow_request(first) and 0 < throttle.wait() <= 60


def test_a_token_over_its_rate_gets_429_with_retry_after(editor, settings):
    settings.WORKBENCH_API_RATE = "3/min"
    api = ApiClient(editor)
    assert [api.get("/tags").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/tags")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 60


def test_each_token_has_its_own_count(editor, settings):
    settings.WORKBENCH_API_RATE = "2/min"
    first, second = ApiClient(editor), ApiClient(editor)
    assert [first.get("/tags").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/tags").status_code == 200


def test_an_error_on_our_side_is_a_500_problem_that_says_nothing_of_its_cause(editor, monkeypatch):
    from claims.api import reads

    def broken(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(reads, "claims_shown", broken)
    response = ApiClient(editor).get(f"/claims/{ClaimFactory().pk}")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert "hunter2" not in response.content.decode()
    assert response.json()["title"] == "Internal Server Error"


def test_the_openapi_document_is_3_1_and_public_and_names_every_operation():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"] == "3.1.0"
    operations = {(method, path) for path, item in document["paths"].items() for method in item}
    assert ("get", "/api/v1/claims") in operations
    assert ("patch", "/api/v1/claims/{pk}") in operations
    assert ("delete", "/api/v1/claims/{pk}/evidence/{link_pk}") in operations
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_openapi_document_validates_as_openapi_3_1():
    from openapi_spec_validator import validate

    validate(Client().get("/api/v1/openapi.json").json())


def test_the_openapi_document_names_no_key_twice():
    """Python's json keeps the last of two equal keys; the documentation page's parser refuses the document
    ("duplicated mapping key"), as a 200 and a "200" among an operation's responses once made it."""
    twice = []

    def pairs(items):
        keys = [key for key, _ in items]
        twice.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(items)

    json.loads(Client().get("/api/v1/openapi.json").content, object_pairs_hook=pairs)
    assert twice == []


def test_the_documentation_page_is_for_those_signed_in_and_loads_nothing_from_elsewhere(editor_client):
    assert Client().get("/api/v1/docs").status_code == 302
    response = editor_client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page


def test_an_empty_rate_is_no_limit(editor, settings):
    settings.WORKBENCH_API_RATE = ""
    api = ApiClient(editor)
    assert {api.get("/tags").status_code for _ in range(5)} == {200}
