from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from workbench.demo import add_demo_claims, add_demo_story
from workbench.roles import ADMIN, EDITOR, REVIEWER, ROLES

DEMO_PASSWORD = "workbench-demo"  # noqa: S105 - the documented demo password; refused without DEBUG


class Command(BaseCommand):
    help = (
        "Create the demo accounts (one per role, password 'workbench-demo') and, when there are no claims yet, "
        "a few claims on the seed articles with sources and verdicts, and a story of the seeds. Only with DEBUG on."
    )

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
        made = add_demo_claims(editor=User.objects.get(username=EDITOR), reviewer=User.objects.get(username=REVIEWER))
        self.stdout.write(
            f"  {made} demo claims tagged on the seeds"
            if made
            else "  No demo claims added (there are claims already, or the seeds are not imported)"
        )
        story = add_demo_story(editor=User.objects.get(username=EDITOR))
        self.stdout.write(
            f"  Story “{story.name}” of {story.articles.count()} seed articles" if story else "  No demo story added"
        )
