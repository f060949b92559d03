"""A JSON export imported into an empty workbench recreates the claims as they were: how one newsroom
hands a verified set to another."""

import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Passage
from claims.exports.context import DEFAULT_BASE_URL
from claims.exports.importing import ImportRefused, import_claims
from claims.exports.records import claim_records
from claims.models import Claim, ClaimSet, EvidenceLink, Export, Tag
from claims.services import claim_update
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

# What a workbench assigns itself: ids, its own addresses, when a claim last changed here and how many
# records its history holds (the history itself does not travel: the import writes its own).
LOCAL = {"id", "workbench_url", "updated_at", "revisions"}


def comparable(value):
    if isinstance(value, dict):
        return {
            key: comparable(item)
            for key, item in value.items()
            if key not in LOCAL and not (isinstance(item, str) and item.startswith(DEFAULT_BASE_URL))
        }
    if isinstance(value, list):
        return [comparable(item) for item in value]
    return value


def empty_the_workbench() -> None:
    Export.objects.all().delete()
    ClaimSet.objects.all().delete()
    EvidenceLink.objects.all().delete()
    Claim.objects.all().delete()
    Tag.objects.all().delete()
    Passage.objects.all().delete()
    Article.objects.all().delete()


def exported(tmp_path, name="claims.json"):
    path = tmp_path / name
    call_command("export_claims", "--format", "json", "--status", "verified", "disputed", "open", "-o", str(path))
    return path


def test_a_json_export_recreates_articles_claims_anchors_evidence_and_verdicts(tmp_path, every_kind_of_claim):
    before = comparable(list(claim_records(Claim.objects.all(), base_url=DEFAULT_BASE_URL)))
    path = exported(tmp_path)
    empty_the_workbench()

    call_command("import_claims", str(path))

    after = comparable(list(claim_records(Claim.objects.all(), base_url=DEFAULT_BASE_URL)))
    assert after == before
    assert Claim.objects.get(uid=every_kind_of_claim["verified"].uid).reviewed_by.username == "export-reviewer"


def test_a_round_trip_keeps_where_each_article_came_from_its_bytes_and_when_things_were_written(
    tmp_path, every_kind_of_claim
):
    def provenance():
        articles = Article.objects.order_by("content_hash")
        return [
            *articles.values_list("content_hash", "origin_file", "origin_record", "raw", "raw_encoding", "imported_at"),
            *Claim.objects.order_by("uid").values_list("uid", "created_at"),
            *EvidenceLink.objects.order_by("claim__uid", "added_at").values_list("claim__uid", "added_at"),
        ]

    article = every_kind_of_claim["verified"].article
    article.raw, article.raw_encoding = "<p>Café</p>".encode("latin-1"), "latin-1"
    article.imported_at = datetime(2025, 3, 1, 8, 30, tzinfo=UTC)
    article.save()
    before = provenance()
    path = exported(tmp_path)
    empty_the_workbench()

    call_command("import_claims", str(path))

    assert provenance() == before
    imported = Article.objects.get(content_hash=article.content_hash)
    assert bytes(imported.raw) == "<p>Café</p>".encode("latin-1") and imported.origin_file != "claims.json"


def test_importing_twice_changes_nothing(tmp_path, every_kind_of_claim):
    path = exported(tmp_path)
    empty_the_workbench()
    call_command("import_claims", str(path))
    counts = [model.objects.count() for model in (Article, Claim, EvidenceLink, Tag, Claim.history.model)]

    call_command("import_claims", str(path))

    assert [model.objects.count() for model in (Article, Claim, EvidenceLink, Tag, Claim.history.model)] == counts


def test_importing_into_the_exporting_workbench_finds_everything_there(tmp_path, every_kind_of_claim, capsys):
    path = exported(tmp_path)
    call_command("import_claims", str(path))
    assert "0 claim(s) created, 3 already here, 0 rejected; 0 article(s) created." in capsys.readouterr().out


def test_a_claim_that_no_longer_fits_its_article_is_rejected_and_the_others_imported(tmp_path, every_kind_of_claim):
    document = json.loads(exported(tmp_path).read_text())
    document["claims"][1]["anchor"]["quote"] = "words the article never had"
    empty_the_workbench()

    outcome = import_claims(document, user=None, origin="claims.json")

    assert outcome.claims_created == 2 and len(outcome.rejected) == 1
    assert outcome.rejected[0].startswith("claim 2: ")
    assert not Claim.objects.filter(uid=document["claims"][1]["uid"]).exists()
    assert not EvidenceLink.objects.filter(claim__uid=document["claims"][1]["uid"]).exists()


def test_an_article_whose_text_does_not_match_its_hash_is_refused(tmp_path, every_kind_of_claim):
    document = json.loads(exported(tmp_path).read_text())
    document["articles"][0]["body"] += " Added later."
    empty_the_workbench()
    outcome = import_claims(document, user=None, origin="claims.json")
    assert "article 1: its text does not match its content hash" in outcome.rejected
    assert outcome.claims_created < 3


def test_files_that_are_not_exports_are_refused_clearly(tmp_path, db):
    not_json = tmp_path / "notes.json"
    not_json.write_text("{ claims: ")
    with pytest.raises(CommandError, match="is not valid JSON"):
        call_command("import_claims", str(not_json))
    with pytest.raises(ImportRefused, match="schema_version 99"):
        import_claims({"schema_version": 99, "claims": []}, user=None, origin="x")
    with pytest.raises(ImportRefused, match="not a Workbench JSON export"):
        import_claims([1, 2], user=None, origin="x")


def test_an_imported_verdict_is_held_to_what_it_judged_here(tmp_path, every_kind_of_claim, editor):
    path = exported(tmp_path)
    empty_the_workbench()
    call_command("import_claims", str(path))
    verified = Claim.objects.get(uid=every_kind_of_claim["verified"].uid)
    assert verified.status == "verified" and verified.verdict_basis["wording"] == verified.wording
    verified.created_by = editor
    verified.save()
    claim_update(claim=verified, user=editor, expected_version=verified.version, wording="Something else", tags="")
    assert Claim.objects.get(pk=verified.pk).status == "review"


def test_an_imported_verified_claim_that_does_not_meet_the_rules_here_needs_review(tmp_path, every_kind_of_claim):
    document = json.loads(exported(tmp_path).read_text())
    record = next(claim for claim in document["claims"] if claim["status"] == "verified")
    record["evidence"] = [next(link for link in record["evidence"] if link["stance"] == "supports")]
    empty_the_workbench()
    import_claims(document, user=None, origin="claims.json")
    claim = Claim.objects.get(uid=record["uid"])
    assert (claim.status, claim.needs_review) == ("review", True)
    assert claim.review_reason == (
        "Imported as verified, but here it does not meet the rules: Needs one more independent supporting "
        "source (2 from different publishers are required)."
    )


def test_a_claim_that_needs_review_arrives_with_its_suspended_verdict(tmp_path, every_kind_of_claim, editor):
    verified = every_kind_of_claim["verified"]
    claim_update(
        claim=verified, user=verified.created_by, expected_version=verified.version, wording="Reworded", tags=""
    )
    path = tmp_path / "claims.json"
    call_command("export_claims", "--format", "json", "--status", "review", "-o", str(path))
    document = json.loads(path.read_text())
    assert document["claims"][0]["review"]["suspended_verdict"] == "verified"
    empty_the_workbench()
    import_claims(document, user=None, origin="claims.json")
    claim = Claim.objects.get(uid=verified.uid)
    assert (claim.status, claim.verdict_basis["status"], claim.review_reason) == (
        "review",
        "verified",
        "The wording changed after the verdict.",
    )


def test_an_article_whose_bytes_are_not_base64_is_rejected_with_the_reason(tmp_path, every_kind_of_claim):
    document = json.loads(exported(tmp_path).read_text())
    document["articles"][0]["raw"] = "not base64 at all!"
    empty_the_workbench()
    outcome = import_claims(document, user=None, origin="claims.json")
    assert outcome.rejected[0].startswith("article 1: ")
    assert not Article.objects.filter(content_hash=document["articles"][0]["content_hash"]).exists()


def test_an_export_from_before_the_bytes_travelled_still_imports(tmp_path, every_kind_of_claim):
    document = json.loads(exported(tmp_path).read_text())
    for record in document["articles"]:
        for key in ("raw", "raw_encoding", "imported_at", "origin_file", "origin_record"):
            del record[key]
    empty_the_workbench()
    outcome = import_claims(document, user=None, origin="old.json")
    assert outcome.claims_created == 3 and not outcome.rejected
    article = Article.objects.first()
    assert article.origin_file == "old.json" and bytes(article.raw) == article.body.encode()


def test_export_import_export_differs_only_in_the_exports_own_metadata(tmp_path, every_kind_of_claim):
    """Another workbench that takes the export in gives the same export back, but for who exported when."""
    claim = every_kind_of_claim["open"]
    claim_update(claim=claim, user=claim.created_by, expected_version=claim.version, wording="Reworded once", tags="x")
    first = json.loads(exported(tmp_path, "first.json").read_text())
    fresh_workbench()

    call_command("import_claims", str(tmp_path / "first.json"))
    second = json.loads(exported(tmp_path, "second.json").read_text())

    assert set(differences(first, second)) <= {"exported_at", "exported_by"}


def differences(first, second, path="") -> list[str]:
    """Where two JSON documents differ, as paths (`claims[0].history.version`)."""
    if isinstance(first, dict) and isinstance(second, dict):
        return [
            found
            for key in sorted(first.keys() | second.keys())
            for found in differences(first.get(key, KeyError), second.get(key, KeyError), f"{path}.{key}")
        ]
    if isinstance(first, list) and isinstance(second, list) and len(first) == len(second):
        return [
            found
            for i, pair in enumerate(zip(first, second, strict=True))
            for found in differences(*pair, f"{path}[{i}]")
        ]
    return [] if first == second else [path.lstrip(".")]


def fresh_workbench() -> None:
    """Another workbench: none of these rows, and no history of any."""
    empty_the_workbench()
    for model in (Article, Claim, EvidenceLink):
        model.history.all().delete()


def histories():
    claims = Claim.history.order_by("uid", "history_date", "history_id").values_list(
        "uid",
        "history_date",
        "history_user__username",
        "history_type",
        "history_channel",
        "wording",
        "status",
        "version",
    )
    links = EvidenceLink.history.order_by("added_at", "history_date", "history_id").values_list(
        "history_date", "history_user__username", "history_type", "stance", "note", "passage__start"
    )
    return list(claims), list(links)


def test_each_claims_history_and_its_sources_travel_with_it(tmp_path, every_kind_of_claim, client):
    claim = every_kind_of_claim["open"]
    claim_update(claim=claim, user=claim.created_by, expected_version=claim.version, wording="Reworded once", tags="x")
    before = histories()
    path = exported(tmp_path)
    fresh_workbench()

    call_command("import_claims", str(path))

    assert histories() == before
    client.force_login(claim.created_by)
    page = client.get(f"/claims/{claim.pk}/")  # the same address as there: the id was free here
    assert page.status_code == 200 and "Reworded once" in page.content.decode()
    assert Claim.objects.get(pk=claim.pk).version == 2


def test_ids_taken_here_give_new_ones_and_the_verdict_still_stands_on_its_sources(tmp_path, every_kind_of_claim):
    verified = every_kind_of_claim["verified"]
    path = exported(tmp_path)
    empty_the_workbench()  # the deleted claims' history keeps their ids: not given to anyone else

    call_command("import_claims", str(path))

    imported = Claim.objects.get(uid=verified.uid)
    assert imported.pk != verified.pk and imported.status == "verified"
    judged = {link["id"] for link in imported.verdict_basis["links"]}
    assert judged == set(imported.evidence.exclude(stance="context").values_list("pk", flat=True))
    assert imported.verdict_basis["anchor"]["article_id"] == imported.article_id
    assert Claim.history.filter(id=imported.pk).count() == Claim.history.filter(id=verified.pk).count() - 1


def test_a_claim_written_after_an_import_that_kept_ids_gets_one_of_its_own(tmp_path, every_kind_of_claim):
    path = exported(tmp_path)
    fresh_workbench()
    call_command("import_claims", str(path))
    highest = max(Claim.objects.values_list("pk", flat=True))

    claim = ClaimFactory(article=Article.objects.first())

    assert claim.pk > highest


def test_a_history_record_that_is_not_one_rejects_its_claim_whole(tmp_path, every_kind_of_claim):
    document = json.loads(exported(tmp_path).read_text())
    document["claims"][0]["history"]["records"][-1]["type"] = "?"
    uid = document["claims"][0]["uid"]
    fresh_workbench()

    outcome = import_claims(document, user=None, origin="claims.json")

    assert outcome.rejected == ["claim 1: unknown history type '?'"] and outcome.claims_created == 2
    assert not Claim.history.filter(uid=uid).exists() and not EvidenceLink.objects.filter(claim__uid=uid).exists()


def test_a_verdict_that_does_not_meet_the_rules_here_is_told_after_the_history_that_came(tmp_path, every_kind_of_claim):
    document = json.loads(exported(tmp_path).read_text())
    record = next(claim for claim in document["claims"] if claim["status"] == "verified")
    record["evidence"] = [next(link for link in record["evidence"] if link["stance"] == "supports")]
    fresh_workbench()

    import_claims(document, user=None, origin="claims.json")

    *came, told = Claim.history.filter(uid=record["uid"]).order_by("history_date", "history_id")
    assert [entry.history_type for entry in came] == [entry["type"] for entry in record["history"]["records"]]
    assert (told.status, told.history_channel) == ("review", "import")
