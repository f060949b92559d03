import json

from django.core.management.base import BaseCommand, CommandError

from claims.suggestions import suggest


class Command(BaseCommand):
    help = (
        "Suggest passages of imported articles that may support or contradict a statement, best first: "
        "each with its article, its place in the article's body, a score and a stance hint."
    )

    def add_arguments(self, parser):
        parser.add_argument("--text", required=True, help="the statement to find sources for")
        parser.add_argument(
            "--exclude-article", type=int, action="append", default=[], metavar="ID", help="leave out this article"
        )
        parser.add_argument("--limit", type=int, default=10, metavar="K", help="how many to list (default 10)")
        parser.add_argument("--json", action="store_true", help="print a JSON list instead of lines of text")

    def handle(self, *args, text, exclude_article, limit, json: bool, **options):
        if not text.strip():
            raise CommandError("--text is empty: say what to find sources for", returncode=2)
        if limit < 1:
            raise CommandError("--limit must be at least 1", returncode=2)
        found = [_record(s) for s in suggest(text, exclude_article_ids=exclude_article, limit=limit)]
        if json:
            self.stdout.write(_dumps(found))
            return
        for number, record in enumerate(found, 1):
            article = record["article"]
            self.stdout.write(
                f"{number}. {record['score']:.2f} {record['stance_hint']}: “{record['quote']}” "
                f"— #{article['id']} {article['title']} ({article['origin']}, {record['start']}–{record['end']})"
            )
        if not found:
            self.stderr.write("No passage matches.")


def _record(suggestion) -> dict:
    passage, article = suggestion.passage, suggestion.passage.article
    return {
        "article": {"id": article.pk, "title": article.title, "url": article.url, "origin": article.origin_file},
        "start": passage.start,
        "end": passage.end,
        "quote": passage.text,
        "score": suggestion.score,
        "stance_hint": suggestion.stance_hint,
    }


def _dumps(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2)
