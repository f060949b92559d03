"""Publishing a claim set: a static page of its decided claims (and a snippet), at a public address that
stays, with every earlier version still answering at its own."""

import json
from html.parser import HTMLParser

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from claims.models import Claim, ClaimSet, EvidenceLink, Publication
from claims.publishing import claim_set_publish
from claims.services import claim_delete, claim_update, verdict_record
from tests.conformance_checks import google_fields_missing, shacl_violations
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = 'Minister: "it\'s </script><script>alert(1)</script> & <b>done</b>" — قال الوزير ✅🙂'


class Parts(HTMLParser):
    """What a browser would make of a page: its scripts (type and text), and anything that would load."""

    def __init__(self, text: str):
        super().__init__()
        self.scripts, self.loads, self._in_script = [], [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._in_script = [attrs.get("type"), ""]
            self.scripts.append(self._in_script)
        if "src" in attrs or (tag == "link" and attrs.get("rel") != "canonical") or tag in ("iframe", "img"):
            self.loads.append(tag)

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script[1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


@pytest.fixture
def picked(reviewer, every_kind_of_claim):
    """A reviewer's set of a verified, a disputed and an open claim."""
    claim_set = ClaimSet.objects.create(name="Health figures, checked", owner=reviewer)
    claim_set.claims.add(*every_kind_of_claim.values())
    return claim_set


def published_page(client, url: str) -> str:
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def reviews_in(page: str) -> list[dict]:
    (kind, text), *others = Parts(page).scripts
    assert kind == "application/ld+json" and not others
    return json.loads(text)


def test_a_reviewer_publishes_their_set_and_anyone_reads_it_without_signing_in(client, reviewer, picked):
    client.force_login(reviewer)
    response = client.post(reverse("claims:set-publish", args=[picked.pk]), follow=True)
    publication = Publication.objects.get()
    assert (publication.version, publication.claim_count, publication.published_by) == (1, 2, reviewer)
    assert publication.slug == f"health-figures-checked-{picked.pk}"
    assert (
        f"Published version 1 (2 claims) at http://testserver/published/{publication.slug}/"
        in response.content.decode()
    )

    page = published_page(client, f"/published/{publication.slug}/")
    assert "=SUM(A1:A2) hospital waiting times fell by 12%" in page
    assert "Emergency care is left out of the figures" in page
    assert "Café prices rose 5%" not in page  # open: no verdict to publish
    assert "Two independent reports confirm the 12% figure." in page
    assert "Waiting times “fell”, ministry says" in page and "Example News" in page and "4 March 2025" in page
    assert "Median waits fell 12%." in page and "https://stats.example.org/waiting-times-2024" in page
    assert "Statistics Office" in page and "Background on the method." in page


def test_the_page_loads_nothing_and_allows_nothing_but_its_own_styles(client, reviewer, picked):
    publication = claim_set_publish(claim_set=picked, user=reviewer)
    response = client.get(reverse("published:current", args=[publication.slug]))
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "style-src 'unsafe-inline'" in policy
    assert Parts(b"".join(response.streaming_content).decode()).loads == []


def test_the_embedded_claimreviews_pass_schema_orgs_shapes_and_link_to_the_public_page(client, reviewer, picked):
    publication = claim_set_publish(claim_set=picked, user=reviewer)
    reviews = reviews_in(published_page(client, reverse("published:current", args=[publication.slug])))
    assert [review["reviewRating"]["alternateName"] for review in reviews] == ["Verified", "Disputed"]
    assert shacl_violations(reviews) == []
    assert google_fields_missing(reviews) == []
    assert all(
        review["url"].startswith(f"http://127.0.0.1:8000/published/{publication.slug}/#claim-") for review in reviews
    )


def test_publishing_again_replaces_the_page_and_the_old_version_keeps_its_address(client, reviewer, picked):
    first = claim_set_publish(claim_set=picked, user=reviewer)
    disputed = picked.claims.get(status=Claim.Status.DISPUTED)
    picked.claims.remove(disputed)
    second = claim_set_publish(claim_set=picked, user=reviewer)
    assert (second.slug, second.version, second.claim_count) == (first.slug, 2, 1)

    assert disputed.wording not in published_page(client, f"/published/{first.slug}/")
    old = client.get(f"/published/{first.slug}/v1/")
    assert disputed.wording in b"".join(old.streaming_content).decode()
    assert old["Link"] == f'</published/{first.slug}/>; rel="latest-version"'
    assert "Link" not in client.get(f"/published/{first.slug}/v2/")


def test_renaming_the_set_keeps_its_address(client, reviewer, picked):
    first = claim_set_publish(claim_set=picked, user=reviewer)
    picked.name = "Renamed"
    picked.save()
    assert claim_set_publish(claim_set=picked, user=reviewer).slug == first.slug
    assert "<title>Renamed" in published_page(client, f"/published/{first.slug}/")


def test_a_claim_whose_verdict_is_suspended_after_publishing_is_dropped_when_published_again(client, reviewer, picked):
    claim_set_publish(claim_set=picked, user=reviewer)
    verified = picked.claims.get(status=Claim.Status.VERIFIED)
    claim_update(
        claim=verified, user=verified.created_by, expected_version=verified.version, wording="Reworded since", tags=""
    )
    assert Claim.objects.get(pk=verified.pk).status == Claim.Status.REVIEW

    again = claim_set_publish(claim_set=picked, user=reviewer)
    page = published_page(client, f"/published/{again.slug}/")
    assert again.claim_count == 1 and "Reworded since" not in page and "12%" not in page.split("<body>")[1]
    assert [review["reviewRating"]["alternateName"] for review in reviews_in(page)] == ["Disputed"]


def test_a_set_with_nothing_decided_publishes_a_page_that_says_so(client, reviewer):
    claim_set = ClaimSet.objects.create(name="Nothing yet", owner=reviewer)
    claim_set.claims.add(ClaimFactory())
    publication = claim_set_publish(claim_set=claim_set, user=reviewer)
    page = published_page(client, f"/published/{publication.slug}/")
    assert publication.claim_count == 0 and "No claim of this set has a verdict that stands" in page
    assert reviews_in(page) == []


def test_the_published_files_are_whole_in_storage_without_the_workbench(reviewer, picked, django_assert_num_queries):
    first = claim_set_publish(claim_set=picked, user=reviewer)
    picked.claims.remove(picked.claims.get(status=Claim.Status.DISPUTED))
    second = claim_set_publish(claim_set=picked, user=reviewer)
    with django_assert_num_queries(0):
        stored = {
            name: default_storage.open(name).read().decode()
            for name in (
                f"published/{first.slug}/v1/index.html",
                f"published/{first.slug}/v1/embed.html",
                f"published/{first.slug}/v2/index.html",
                f"published/{first.slug}/index.html",
                f"published/{first.slug}/embed.html",
            )
        }
    assert (first.page_path, second.page_path) == (
        f"published/{first.slug}/v1/index.html",
        f"published/{first.slug}/v2/index.html",
    )
    assert stored[f"published/{first.slug}/index.html"] == stored[second.page_path]
    assert "Emergency care" in stored[first.page_path] and "Emergency care" not in stored[second.page_path]
    assert "<style>" in stored[first.page_path] and Parts(stored[first.page_path]).loads == []
    assert '<section class="wbp"' in stored[f"published/{first.slug}/embed.html"]


def test_hostile_text_is_shown_as_text_and_kept_whole_in_the_json_ld(client, reviewer, picked):
    verified = picked.claims.get(status=Claim.Status.VERIFIED)
    verified.verdict_rationale = HOSTILE
    verified.save()
    for link in EvidenceLink.objects.filter(claim=verified):
        link.note = HOSTILE
        link.save()
    publication = claim_set_publish(claim_set=picked, user=reviewer)
    page = published_page(client, f"/published/{publication.slug}/")
    assert "<script>alert(1)" not in page and "<b>done</b>" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page and "قال الوزير ✅🙂" in page
    reviews = reviews_in(page)  # one script only: the JSON-LD was not cut short by the "</script>" in it
    assert reviews[0]["reviewRating"]["ratingExplanation"] == HOSTILE


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_those_who_sign_off_verdicts_publish_their_sets(client, role, every_kind_of_claim):
    user = UserFactory(role=role)
    claim_set = ClaimSet.objects.create(name="Mine", owner=user)
    claim_set.claims.add(every_kind_of_claim["verified"])
    client.force_login(user)
    assert client.post(reverse("claims:set-publish", args=[claim_set.pk])).status_code == 403
    assert "Publish" not in client.get(claim_set.get_absolute_url()).content.decode()
    assert not Publication.objects.exists()


def test_a_reviewer_does_not_publish_another_reviewers_set(client, picked):
    client.force_login(UserFactory(role="reviewer"))
    assert client.post(reverse("claims:set-publish", args=[picked.pk])).status_code == 403
    assert not Publication.objects.exists()


def test_an_admin_publishes_anyones_set(client, admin_user, picked):
    client.force_login(admin_user)
    assert client.post(reverse("claims:set-publish", args=[picked.pk])).status_code == 302
    assert Publication.objects.get().published_by == admin_user


def test_an_address_with_nothing_published_is_not_found(client, db):
    assert client.get("/published/no-such-set-1/").status_code == 404
    assert client.get("/published/no-such-set-1/v1/").status_code == 404


def test_the_set_page_offers_the_public_page_and_the_snippet(client, reviewer, picked):
    client.force_login(reviewer)
    assert "Not published yet." in client.get(picked.get_absolute_url()).content.decode()
    for _ in range(2):
        publication = claim_set_publish(claim_set=picked, user=reviewer)
    page = client.get(picked.get_absolute_url()).content.decode()
    assert "Version 2, 2 claims, published" in page and "Publish again" in page
    assert (
        f'href="/published/{publication.slug}/embed/"' in page and f'href="/published/{publication.slug}/v1/"' in page
    )


def test_publishing_is_in_the_activity_feed(client, reviewer, picked):
    claim_set_publish(claim_set=picked, user=reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("activity") + "?kind=publication").content.decode()
    assert "published" in page and "Health figures, checked" in page


def test_set_and_published_pages_cost_the_same_queries_however_many_publications(
    client, reviewer, picked, django_assert_max_num_queries
):
    client.force_login(reviewer)
    publication = claim_set_publish(claim_set=picked, user=reviewer)
    counts = []
    for more in (0, 7):
        for _ in range(more):
            claim_set_publish(claim_set=picked, user=reviewer)
        with django_assert_max_num_queries(12) as set_page:
            assert client.get(picked.get_absolute_url()).status_code == 200
        with django_assert_max_num_queries(4) as public:
            assert client.get(f"/published/{publication.slug}/v1/").status_code == 200
        counts.append((len(set_page), len(public)))
    assert counts[0] == counts[1]


def test_a_published_verdict_suspended_or_deleted_is_published_again_at_once(
    client, reviewer, admin_user, picked, django_capture_on_commit_callbacks
):
    first = claim_set_publish(claim_set=picked, user=reviewer)
    verified = picked.claims.get(status=Claim.Status.VERIFIED)
    disputed = picked.claims.get(status=Claim.Status.DISPUTED)

    with django_capture_on_commit_callbacks(execute=True):  # the worker's task runs on commit (tests: at once)
        claim_update(
            claim=verified, user=verified.created_by, expected_version=verified.version, wording="Reworded", tags=""
        )

    second = Publication.objects.get(slug=first.slug, version=2)
    page = published_page(client, f"/published/{first.slug}/")
    assert second.claim_count == 1 and f'id="claim-{verified.uid}"' not in page
    assert second.published_by == reviewer
    assert f'id="claim-{verified.uid}"' in published_page(client, f"/published/{first.slug}/v1/")  # kept as it was

    with django_capture_on_commit_callbacks(execute=True):
        claim_delete(claim=Claim.objects.get(pk=disputed.pk), user=admin_user)
    assert Publication.objects.filter(slug=first.slug).count() == 3
    assert f'id="claim-{disputed.uid}"' not in published_page(client, f"/published/{first.slug}/")


def test_a_verdict_changed_on_a_claim_no_published_page_shows_publishes_nothing(
    reviewer, picked, django_capture_on_commit_callbacks
):
    claim_set_publish(claim_set=picked, user=reviewer)
    elsewhere = ClaimFactory(status=Claim.Status.VERIFIED, verdict_rationale="Checked.")
    with django_capture_on_commit_callbacks(execute=True):
        verdict_record(
            claim=elsewhere,
            user=reviewer,
            status=Claim.Status.OPEN,
            rationale="Again.",
            expected_version=elsewhere.version,
        )
    assert Claim.objects.get(pk=elsewhere.pk).status == Claim.Status.OPEN
    assert Publication.objects.count() == 1
