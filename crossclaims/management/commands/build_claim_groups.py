"""Read every article's claims again, then group them across articles.

Idempotent: claims are found again by their span and groups keep their ids; reviewers'
confirmed and split links and editors' merges are applied before any rule.
"""

import time

from django.core.management.base import BaseCommand

from crossclaims import services
from provenance.models import Article


class Command(BaseCommand):
    help = "Extract claims from articles and (re)build the claim groups across articles."

    def add_arguments(self, parser):
        parser.add_argument("--article", type=int, action="append", default=[],
                            help="Only re-read this article's claims (repeatable); groups "
                                 "are rebuilt over all claims either way.")
        parser.add_argument("--skip-extract", action="store_true",
                            help="Regroup the stored claims without reading articles again.")

    def handle(self, *args, article, skip_extract, **options):
        started = time.perf_counter()
        if not skip_extract:
            articles = Article.objects.order_by("pk")
            if article:
                articles = articles.filter(pk__in=article)
            registry = services.registry_names()
            totals = services.ExtractReport()
            for a in articles.iterator():
                # One transaction per article: a failure leaves the others done.
                report = services.claims_extract(article=a, registry=registry)
                for name in ("created", "updated", "unchanged", "retired", "deleted"):
                    setattr(totals, name, getattr(totals, name) + getattr(report, name))
                self.stdout.write(
                    f"article {a.pk}: {report.created} new, {report.updated} changed, "
                    f"{report.unchanged} unchanged, {report.retired} retired, "
                    f"{report.deleted} removed"
                )
            self.stdout.write(
                f"claims: {totals.created} new, {totals.updated} changed, "
                f"{totals.unchanged} unchanged, {totals.retired} retired, {totals.deleted} removed"
            )
        report = services.groups_rebuild()
        self.stdout.write(self.style.SUCCESS(
            f"{report.claims} claims in {report.groups} groups ({report.groups_created} new, "
            f"{report.groups_kept} kept, {report.groups_deleted} removed), "
            f"{report.conflicts} with a conflict; {report.refused_decisions} decisions could "
            f"not be applied; {time.perf_counter() - started:.1f} s"
        ))
