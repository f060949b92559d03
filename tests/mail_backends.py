"""E-mail backends for the notification tests: a mail server that is down, then comes back."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class DownBackend(EmailBackend):
    """Refuses every message, as an SMTP server that is down does."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
