from django.core.management.base import BaseCommand

from claims import notifications


class Command(BaseCommand):
    help = (
        "E-mail the daily digests that are due and try again the notification e-mails that failed. "
        "Run it from cron, e.g. every 15 minutes: each user's digest goes at most once a day."
    )

    def handle(self, *args, **options):
        retried = notifications.retry_emails()
        digests = notifications.send_digests()
        self.stdout.write(f"{digests} digest(s) sent, {retried} failed e-mail(s) sent on a new try.")
