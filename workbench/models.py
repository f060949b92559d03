"""History of users' accounts and roles (group membership), kept by django-simple-history."""

from django.contrib.auth import get_user_model
from simple_history import register

from workbench.audit import ChannelHistoricalModel, FeedHistoricalRecords

register(
    get_user_model(),
    app=__package__,
    records_class=FeedHistoricalRecords,
    m2m_fields=["groups"],
    bases=[ChannelHistoricalModel],
    excluded_fields=["password", "last_login"],
)
