"""Compute (or recompute) suggestions: for articles imported with
PROVENANCE_SUGGESTIONS_ON_IMPORT off, or after the rules change.

    manage.py compute_suggestions            # every article, in this process
    manage.py compute_suggestions --article 12 --article 13
    manage.py compute_suggestions --queue    # for the task workers, which share the work
"""

from django.core.management.base import BaseCommand

from provenance.models import Article
from suggestions import queue, services


class Command(BaseCommand):
    help = "Compute suggestions for articles; answers to unchanged suggestions are kept."

    def add_arguments(self, parser):
        parser.add_argument("--article", type=int, action="append", help="Only this article id.")
        parser.add_argument("--queue", action="store_true",
                            help="Queue them for the task workers instead of computing here.")

    def handle(self, *args, **options):
        articles = Article.objects.order_by("pk").only("id")
        if options["article"]:
            articles = articles.filter(pk__in=options["article"])
        if options["queue"]:
            count = queue.suggestions_request(article_ids=articles.values_list("pk", flat=True))
            plural = "" if count == 1 else "s"
            self.stdout.write(self.style.SUCCESS(f"queued {count} article{plural} for the workers"))
            return
        engine = services.suggester()
        totals = services.ComputeResult()
        for n, article in enumerate(articles.iterator(), start=1):
            # One transaction per article: a failure leaves the others done.
            result = services.suggestions_compute(article=article, engine=engine)
            totals.created += result.created
            totals.kept += result.kept
            totals.deleted += result.deleted
            if n % 100 == 0:
                self.stdout.write(f"{n} articles…")
        self.stdout.write(self.style.SUCCESS(
            f"created {totals.created}, kept {totals.kept}, deleted {totals.deleted}"))
