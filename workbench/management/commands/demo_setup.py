from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from workbench.roles import ADMIN, ROLES

DEMO_PASSWORD = "workbench-demo"


class Command(BaseCommand):
    help = "Create the demo accounts (one per role, password 'workbench-demo'). Only with DEBUG on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development only: refusing with DEBUG off.")
        User = get_user_model()
        for role in ROLES:
            user = User.objects.filter(username=role).first()
            created = user is None
            if created:
                user = User.objects.create_user(role, password=DEMO_PASSWORD, is_staff=role == ADMIN)
                user.groups.add(Group.objects.get(name=role))
            self.stdout.write(f"  {role:<9} / {DEMO_PASSWORD}" + ("" if created else "  (already there)"))
