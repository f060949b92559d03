"""Verdicts keep what they judged (claims.basis). A claim judged before this migration gets the basis
it was judged on, read from its history: its wording and anchor at the verdict, the links it had then.
If the claim changed since in a way the verdict did not see, it needs review, recorded in its history.
Publishers are read as they are now (the basis keeps them from here on).

Self-contained on purpose: a migration must not change when the app's code does.
"""

from urllib.parse import urlsplit

import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone

JUDGED = ("verified", "disputed")
COUNTED = {"verified": "supports", "disputed": "contradicts"}
OPPOSING = {"verified": "contradicts", "disputed": "supports"}
REASON = "Changed after its verdict, before verdicts kept what they judged: a reviewer should confirm it."


def _link_state(link, passages) -> dict:
    passage = passages.get(link.passage_id)
    if passage is not None:
        article = passage.article
        return {
            "id": link.id,
            "stance": link.stance,
            "document": f"article:{article.pk}",
            "publisher": article.publisher,
            "label": article.title,
        }
    publisher = link.publisher or (urlsplit(link.url).hostname or "").removeprefix("www.")
    return {
        "id": link.id,
        "stance": link.stance,
        "document": f"url:{link.url}",
        "publisher": publisher,
        "label": link.title or link.url,
    }


def _key(entry) -> tuple:
    return (entry["id"], entry["stance"], entry["document"], " ".join(entry["publisher"].casefold().split()))


def record_bases(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    HistoricalClaim = apps.get_model("claims", "HistoricalClaim")
    HistoricalLink = apps.get_model("claims", "HistoricalEvidenceLink")
    HistoricalTags = apps.get_model("claims", "HistoricalClaim_tags")
    Passage = apps.get_model("articles", "Passage")
    for claim in Claim.objects.filter(status__in=JUDGED).iterator():
        records = HistoricalClaim.objects.filter(id=claim.pk, status=claim.status).order_by(
            "history_date", "history_id"
        )
        verdict = (claim.reviewed_at and records.filter(history_date__gte=claim.reviewed_at).first()) or records.last()
        judged = verdict or claim
        links = {}
        records = HistoricalLink.objects.filter(claim_id=claim.pk).order_by("history_date", "history_id")
        if verdict is not None and verdict.history_type == "+":
            # Created judged (a claim import): its links were written right after it, by the same import.
            later = HistoricalClaim.objects.filter(id=claim.pk, history_date__gt=verdict.history_date)
            until = later.order_by("history_date").values_list("history_date", flat=True).first()
            records = records.filter(
                history_type="+", history_user_id=verdict.history_user_id, history_channel=verdict.history_channel
            ).filter(history_date__lte=until or timezone.now())
        else:
            records = records.filter(history_date__lte=verdict.history_date if verdict else timezone.now())
        for record in records:
            if record.history_type == "-":
                links.pop(record.id, None)
            else:
                links[record.id] = record
        current = list(claim.evidence.all())
        passage_ids = {link.passage_id for link in [*links.values(), *current] if link.passage_id}
        passages = Passage.objects.select_related("article").in_bulk(passage_ids)
        then = [_link_state(link, passages) for link in links.values() if link.stance != "context"]
        claim.verdict_basis = {
            "status": claim.status,
            "wording": judged.wording,
            "anchor": {
                "article_id": judged.article_id,
                "quote": judged.quote,
                "prefix": judged.prefix,
                "suffix": judged.suffix,
                "start": judged.start,
                "end": judged.end,
            },
            "links": then,
            "independent_support": len({_key(e)[3] or e["document"] for e in then if e["stance"] == "supports"}),
        }
        now = [_link_state(link, passages) for link in current]
        counted_then = {_key(e) for e in then if e["stance"] == COUNTED[claim.status]}
        counted_now = {_key(e) for e in now if e["stance"] == COUNTED[claim.status]}
        new_opposing = {e["id"] for e in now if e["stance"] == OPPOSING[claim.status]} - {e["id"] for e in then}
        texts = ("wording", "quote", "prefix", "suffix")
        changed = any(getattr(judged, name).split() != getattr(claim, name).split() for name in texts)
        moved = judged.article_id == claim.article_id and (judged.start, judged.end) != (claim.start, claim.end)
        if changed or moved or not counted_then <= counted_now or new_opposing:
            claim.status, claim.needs_review, claim.review_reason = "review", True, REASON
            claim.version += 1
            claim.save()
            _record(HistoricalClaim, HistoricalTags, claim)
        else:
            claim.save(update_fields=["verdict_basis"])


def suspend_back(apps, schema_editor):
    """Before this migration a claim had no "needs review" status: it goes back to its verdict, flagged."""
    Claim = apps.get_model("claims", "Claim")
    for claim in Claim.objects.filter(status="review").iterator():
        claim.status = (claim.verdict_basis or {}).get("status", "open")
        claim.save(update_fields=["status"])


def _record(HistoricalClaim, HistoricalTags, claim) -> None:
    """The change in the claim's history, as simple-history would have written it."""
    values = {field.attname: getattr(claim, field.attname) for field in claim._meta.concrete_fields}
    record = HistoricalClaim.objects.create(
        **values,
        history_date=timezone.now(),
        history_type="~",
        history_change_reason="checked against its verdict",
        history_channel="command",
    )
    HistoricalTags.objects.bulk_create(
        HistoricalTags(history=record, claim_id=claim.pk, tag_id=tag_id)
        for tag_id in claim.tags.values_list("pk", flat=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_export_base_url"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="verdict_basis",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="verdict_basis",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="claim",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="claim",
            name="review_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="claim",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("verified", "Verified"),
                    ("disputed", "Disputed"),
                    ("review", "Needs review"),
                ],
                default="open",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="evidencelink",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="historicalclaim",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="historicalclaim",
            name="review_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="historicalclaim",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("verified", "Verified"),
                    ("disputed", "Disputed"),
                    ("review", "Needs review"),
                ],
                default="open",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="historicalevidencelink",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="export",
            name="withheld",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(record_bases, suspend_back),
    ]
