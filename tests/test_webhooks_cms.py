"""The issue's story, as the newsroom's CMS lives it: with a read-only token it lists the verified claims of a
claim set through the API, it has a webhook subscription, and when a reviewer reopens one of those claims (through
the API, or on the claim's page) its receiver gets a correctly signed `claim.reopened` naming the claim."""

import json

import pytest
from django.urls import reverse

from claims.models import ClaimSet, WebhookSubscription
from claims.webhooks import webhook_save
from tests.api_helpers import ApiClient
from tests.factories import UserFactory
from tests.test_notifications import verified_claim
from tests.webhook_receiver import Receiver, readme_cms_script, readme_verify
from workbench.api import tokens

pytestmark = pytest.mark.django_db
verify = readme_verify()


@pytest.fixture
def cms_receiver():
    running = Receiver()
    yield running
    running.stop()


@pytest.fixture
def desk(editor, reviewer):
    """A claim set of the CMS's account (a viewer) holding two verified claims and an open one."""
    cms = UserFactory(username="cms", role="viewer")
    claim_set = ClaimSet.objects.create(name="Election promises", owner=cms)
    verified = [verified_claim(editor, reviewer) for _ in range(2)]
    claim_set.claims.add(*verified, verified_claim(editor, reviewer))
    return cms, claim_set, verified


def cms_reads_and_subscribes(cms, claim_set, url):
    """What the CMS's script does: list the set's verified claims with its read-only token, and subscribe."""
    api = ApiClient(cms, write=False)
    page = api.get(f"/claim-sets/{claim_set.pk}/claims", {"status": "verified"})
    assert page.status_code == 200
    listed = [claim["id"] for claim in page.json()["items"]]
    assert api.post(f"/claims/{listed[0]}/verdict", {"status": "open"}).status_code == 403  # read-only
    subscription = WebhookSubscription(
        owner=cms, name="CMS", url=url, events=[WebhookSubscription.Event.REOPENED], claim_set=claim_set
    )
    return listed, webhook_save(subscription=subscription, user=cms)


def test_the_cms_hears_by_a_signed_webhook_that_a_claim_it_lists_was_reopened_through_the_api(
    desk, reviewer, cms_receiver, django_capture_on_commit_callbacks
):
    cms, claim_set, verified = desk
    listed, subscription = cms_reads_and_subscribes(cms, claim_set, cms_receiver.url)
    assert len(listed) == 3

    desk_api = ApiClient(reviewer)
    reopened = listed[1]
    etag = desk_api.get(f"/claims/{reopened}")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        answer = desk_api.post(
            f"/claims/{reopened}/verdict", {"status": "open", "rationale": "A new report disagrees."}, If_Match=etag
        )
    assert answer.status_code == 200

    [(headers, body)] = cms_receiver.got
    assert verify(subscription.secret, headers, body)
    event = json.loads(body)
    assert (event["event"], event["claim"]["id"], event["claim"]["status"]) == ("claim.reopened", reopened, "open")
    assert event["claim"]["previous_status"] == "verified"
    assert event["claim"]["api_url"].endswith(f"/api/v1/claims/{reopened}")
    # The CMS asks again: the claim is no longer among the verified ones.
    again = ApiClient(cms, write=False).get(f"/claim-sets/{claim_set.pk}/claims", {"status": "verified"}).json()
    assert reopened not in [claim["id"] for claim in again["items"]]


def test_the_cms_hears_of_a_claim_reopened_on_its_page_and_not_of_one_outside_its_set(
    desk, editor, reviewer, client, cms_receiver, django_capture_on_commit_callbacks
):
    cms, claim_set, verified = desk
    listed, subscription = cms_reads_and_subscribes(cms, claim_set, cms_receiver.url)
    outside = verified_claim(editor, reviewer)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        for claim in (outside, verified[0]):
            claim.refresh_from_db()
            form = {"status": "open", "rationale": "Checked again.", "version": claim.version}
            assert client.post(reverse("claims:verdict", args=[claim.pk]), form).status_code == 302
    assert [json.loads(body)["claim"]["id"] for _, body in cms_receiver.got] == [verified[0].pk]
    headers, body = cms_receiver.got[0]
    assert verify(subscription.secret, headers, body)


def test_the_readmes_cms_script_lists_the_sets_verified_claims_over_http_with_a_read_only_token(roles, live_server):
    editor, reviewer = UserFactory(role="editor"), UserFactory(role="reviewer")
    cms = UserFactory(username="cms", role="viewer")
    claim_set = ClaimSet.objects.create(name="Election promises", owner=cms)
    verified = [verified_claim(editor, reviewer) for _ in range(3)]
    reopened = verified_claim(editor, reviewer)
    reopened.status = "open"
    reopened.save()
    claim_set.claims.add(*verified, reopened, verified_claim(editor, reviewer))
    claim_set.claims.remove(claim_set.claims.order_by("-pk").first())  # verified, but no longer in the set
    _, secret = tokens.token_create(user=cms, name="CMS", can_write=False, days=30)

    listed = readme_cms_script()(live_server.url, secret, claim_set.pk, limit=2)  # two pages

    assert sorted(claim["id"] for claim in listed) == sorted(claim.pk for claim in verified)
    assert {claim["status"] for claim in listed} == {"verified"}
