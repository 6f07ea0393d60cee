"""How well the suggestions did, against reviewers' final decisions.

On adjudicated articles, a sentence's final labels are those of its accepted annotations.
Per label and per rule: a suggestion is right when the sentence's final labels include its
label; a final label no suggestion offered is a miss. Sentence level, as the evaluation of
the rules (evaluation.py) and issue 15 count it.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from annotations.models import Annotation, Label, Status
from provenance.models import Article

from .engine.rules import RULES
from .evaluation import Counts
from .models import RuleSetting, Suggestion


@dataclass
class Row(Counts):
    label: str = ""
    rule: str = ""
    name: str = ""
    muted: bool = False
    muted_automatically: bool = False


@dataclass
class Report:
    articles: int = 0
    labels: list = field(default_factory=list)
    rules: list = field(default_factory=list)
    sources_found: int = 0
    sources_right: int = 0

    @property
    def source_accuracy(self):
        return self.sources_right / self.sources_found if self.sources_found else None


def suggestion_report(*, articles=None) -> Report:
    """Three queries: the adjudicated articles' final labels, their suggestions, and the
    rule settings."""
    adjudicated = Article.objects.filter(adjudicated_at__isnull=False)
    if articles is not None:
        adjudicated = adjudicated.filter(pk__in=[getattr(a, "pk", a) for a in articles])
    article_ids = list(adjudicated.values_list("pk", flat=True))
    final = defaultdict(set)
    final_sources = defaultdict(set)
    for sentence_id, label, source_id in (
        Annotation.objects.live()
        .filter(sentence__article_id__in=article_ids, status=Status.ACCEPTED,
                sentence__is_boilerplate=False)
        .values_list("sentence_id", "label", "source_id")
    ):
        final[sentence_id].add(label)
        if source_id:
            final_sources[sentence_id].add(source_id)
    suggested = defaultdict(dict)  # sentence -> label -> (rule, {source ids})
    for sentence_id, label, rule, source_id in (
        Suggestion.objects.filter(article_id__in=article_ids, sentence__is_boilerplate=False)
        .order_by("id").values_list("sentence_id", "label", "rule", "source_id")
    ):
        entry = suggested[sentence_id].setdefault(label, [rule, set()])
        if source_id:
            entry[1].add(source_id)
    labels = {label: Row(label=label) for label in Label.values}
    settings = {s.rule: s for s in RuleSetting.objects.all()}
    rules = {code: Row(label=r.label, rule=code, name=r.name,
                       muted=bool(settings.get(code) and settings[code].muted),
                       muted_automatically=bool(settings.get(code)
                                                and settings[code].muted_automatically))
             for code, r in RULES.items()}
    report = Report(articles=len(article_ids))
    for sentence_id in set(final) | set(suggested):
        for label in Label.values:
            hit = suggested[sentence_id].get(label) if sentence_id in suggested else None
            expected = label in final.get(sentence_id, ())
            if hit:
                rule = rules[hit[0]]
                if expected:
                    labels[label].tp += 1
                    rule.tp += 1
                    if label == Label.CITED_SOURCE:
                        report.sources_found += 1
                        report.sources_right += bool(hit[1] & final_sources[sentence_id])
                else:
                    labels[label].fp += 1
                    rule.fp += 1
            elif expected:
                labels[label].fn += 1
    report.labels = list(labels.values())
    report.rules = list(rules.values())
    return report
