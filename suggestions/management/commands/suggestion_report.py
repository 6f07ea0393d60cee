"""Precision and recall of the suggestions: against final decisions, or the labelled set.

    manage.py suggestion_report              # adjudicated articles; mutes rules below the policy
    manage.py suggestion_report --no-mute    # measure only
    manage.py suggestion_report --eval       # the labelled set and seeds (tests/data/suggestions)
"""

from django.core.management.base import BaseCommand

from suggestions import evaluation, services
from suggestions.engine.rules import Suggester
from suggestions.report import suggestion_report


def _f(x):
    return "–" if x is None else f"{x:.3f}"


class Command(BaseCommand):
    help = "Precision and recall of the suggestions per label and per rule."

    def add_arguments(self, parser):
        parser.add_argument("--eval", action="store_true",
                            help="Score the rules on the labelled evaluation set and seeds.")
        parser.add_argument("--no-mute", action="store_true",
                            help="Do not mute rules below the precision threshold.")
        parser.add_argument("--errors", action="store_true",
                            help="With --eval: list every wrong or missed label.")

    def handle(self, *args, **options):
        if options["eval"]:
            engine = Suggester(registry=evaluation.registry_matcher())
            for name in ("eval", "holdout", "seeds"):
                articles = evaluation.load_set(name)
                score = evaluation.evaluate(articles, engine)
                self.stdout.write(evaluation.format_score(
                    name, score, evaluation.baseline_all_unverified(articles)))
                if options["errors"]:
                    for article, pos, label, kind, rule, text in score.errors:
                        self.stdout.write(f"  {kind:6} {label:20} {rule:28} {article} #{pos}: "
                                          f"{text[:90]}")
                self.stdout.write("")
            return
        report = suggestion_report()
        self.stdout.write(f"{report.articles} adjudicated article(s)")
        for row in report.labels:
            self.stdout.write(f"{row.label:20} P {_f(row.precision)} R {_f(row.recall)} "
                              f"(right {row.tp}, wrong {row.fp}, missed {row.fn})")
        self.stdout.write(f"right source on {report.sources_right}/{report.sources_found}")
        for row in report.rules:
            if row.tp or row.fp:
                state = " muted" if row.muted else ""
                self.stdout.write(f"  {row.rule:28} P {_f(row.precision)} "
                                  f"({row.tp}/{row.tp + row.fp}){state}")
        if not options["no_mute"]:
            newly = services.rules_apply_muting(report=report)
            for rule in newly:
                self.stdout.write(self.style.WARNING(f"muted {rule}: precision below threshold"))
        self.stdout.write(self.style.SUCCESS("Report done."))
