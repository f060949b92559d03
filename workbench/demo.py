"""Demo claims on the seed articles, so that a newcomer sees every page and every export with content.

They are made the way editors and reviewers make them (through the services, under the verdict rules):
the editor tags and links sources, the reviewer signs off.
"""

from datetime import date

from django.db import transaction

from articles.models import Article, Passage
from claims import services
from claims.anchoring import anchor_for_quote
from claims.models import Claim, Story

ACCESSED = date(2026, 11, 1)
DEMO_STORY = "Chechnya: the five seed reports"
SEEDS = {"000", "001", "002", "003", "004"}

# (seed file prefix, quoted words, wording, tags, [(stance, seed or URL, quoted words or (title, publisher))], verdict)
DEMO_CLAIMS = [
    (
        "003",
        "says it has helped 40 gay and bisexual men flee from Chechnya",
        "The Russian LGBT Network has helped 40 gay and bisexual men flee Chechnya",
        "evacuations, Russian LGBT Network",
        [
            ("supports", "001", "The network has helped 40 gay men evacuate the republic so far"),
            ("supports", "https://www.npr.org/", ("NPR interview with a Russian LGBT Network volunteer", "NPR")),
        ],
        ("verified", "Two independent reports give the same figure of 40 men, both from the network's own staff."),
    ),
    (
        "004",
        "at least 100 men have been detained",
        "At least 100 men have been detained in Chechnya",
        "detentions",
        [
            ("supports", "001", "over 100 gay men were detained and tortured"),
            (
                "supports",
                "https://novayagazeta.ru/",
                ("Novaya Gazeta's first report on the detentions", "Novaya Gazeta"),
            ),
        ],
        ("verified", "The figure comes from Novaya Gazeta's investigation and is repeated by a second outlet."),
    ),
    (
        "003",
        "relocated to other parts of Russia",
        "Everyone rescued was relocated within Russia",
        "evacuations",
        [("contradicts", "001", "they evacuate men first to other Russian regions, then out of the country")],
        ("disputed", "Another report says the men are moved on out of the country, not only within Russia."),
    ),
    (
        "002",
        "The international organization All Out united to rescue Chechen gays",
        "All Out joined the rescue of gay men from Chechnya",
        "fundraising",
        [("context", "000", "works to help LGBTQ refugees in crisis")],
        None,
    ),
]


def add_demo_claims(*, editor, reviewer) -> int:
    """Tag the demo claims on the seeds; nothing when there are claims already or the seeds are not
    imported. Says how many were made."""
    seeds = {article.origin_file.rsplit("/", 1)[-1][:3]: article for article in Article.objects.current()}
    needed = {claim[0] for claim in DEMO_CLAIMS} | {
        where for claim in DEMO_CLAIMS for _, where, _ in claim[4] if not where.startswith("https://")
    }
    if Claim.objects.exists() or not needed <= seeds.keys():
        return 0
    with transaction.atomic():
        for seed, quote, wording, tags, sources, verdict in DEMO_CLAIMS:
            article = seeds[seed]
            claim = services.claim_create(
                article=article, user=editor, anchor=anchor_for_quote(article.body, quote), wording=wording, tags=tags
            )
            for stance, where, what in sources:
                if where.startswith("https://"):
                    title, publisher = what
                    services.evidence_add_external(
                        claim=claim,
                        user=editor,
                        url=where,
                        stance=stance,
                        title=title,
                        publisher=publisher,
                        accessed_on=ACCESSED,
                    )
                else:
                    passage = Passage.objects.get(article=seeds[where], text__contains=what)
                    services.evidence_add_passage(claim=claim, user=editor, passage=passage, stance=stance)
            if verdict:
                claim.refresh_from_db()
                status, rationale = verdict
                services.verdict_record(
                    claim=claim, user=reviewer, status=status, rationale=rationale, expected_version=claim.version
                )
    return len(DEMO_CLAIMS)


def add_demo_story(*, editor) -> Story | None:
    """A story of the five seed articles, so the matrix page has something to show; none when there are
    stories already or the seeds are not imported."""
    seeds = {
        article.origin_file.rsplit("/", 1)[-1][:3]: article
        for article in Article.objects.current().only("pk", "origin_file")
    }
    if Story.objects.exists() or not SEEDS <= seeds.keys():
        return None
    story = Story(
        name=DEMO_STORY,
        description="Five outlets' reports of the persecution of gay men in Chechnya and the efforts to help them.",
    )
    return services.story_save(story=story, user=editor, articles=[seeds[seed] for seed in sorted(SEEDS)])
