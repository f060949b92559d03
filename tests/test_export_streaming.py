"""Large exports stream: memory does not grow with the number of claims."""

import tracemalloc

import pytest

from claims.exports.services import export_start, export_stream
from claims.models import Claim, EvidenceLink
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_claims(n: int, status: str, *, article, user) -> None:
    claims = Claim.objects.bulk_create(
        [
            Claim(
                article=article,
                quote="This is",
                start=0,
                end=7,
                wording=f"Claim {i} " + "words " * 20,
                status=status,
                created_by=user,
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    EvidenceLink.objects.bulk_create(
        [
            EvidenceLink(claim=claim, stance="supports", url=f"https://source.example/{claim.pk}", added_by=user)
            for claim in claims
        ],
        batch_size=2000,
    )


def peak_memory_of_export(statuses: list[str]) -> tuple[int, int]:
    export = export_start(export_format="jsonl", user=None, channel="command", statuses=statuses)
    tracemalloc.start()
    size = sum(len(chunk) for chunk in export_stream(export))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return size, peak


def test_memory_stays_flat_from_2000_to_20000_claims():
    user, article = UserFactory(), ArticleFactory()
    make_claims(2_000, "verified", article=article, user=user)
    make_claims(18_000, "disputed", article=article, user=user)

    small_size, small_peak = peak_memory_of_export(["verified"])
    large_size, large_peak = peak_memory_of_export(["verified", "disputed"])

    assert large_size > 9 * small_size  # ten times the claims, ten times the bytes out...
    assert large_peak < 1.5 * small_peak  # ...in about the same memory
