from django.conf import settings
from django.db import models

from articles.models import Article


class Claim(models.Model):
    """A statement an article makes, anchored to a span of its body (W3C text quote + position)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        VERIFIED = "verified", "Verified"
        DISPUTED = "disputed", "Disputed"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    quote = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    wording = models.TextField(help_text="The claim in the editor's own words.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="claim_nonempty_anchor"),
        ]

    def __str__(self) -> str:
        return self.wording[:80]
