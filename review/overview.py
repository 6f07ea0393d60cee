"""Reads for the editors' overview: who has reviewed how much of what, by when, how fast,
with which labels, and how well they agree. A fixed number of queries per page, whatever
the number of articles on it."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from annotations import labels
from annotations.models import Annotation, SentenceReview
from annotations.selectors import percent
from provenance.models import Article, Sentence

from . import agreement, charts
from .models import Assignment, AssignmentStatus
from .selectors import _count

DAYS = 28  # the throughput chart's window, ending today


@dataclass
class ReviewerProgress:
    """One assignment: a reviewer's progress on an article, against its due date."""

    assignment: Assignment
    reviewed: int
    total: int  # the article's content sentences

    @property
    def reviewer(self):
        return self.assignment.reviewer

    @property
    def article(self):
        return self.assignment.article

    @property
    def percent(self):
        return percent(self.reviewed, self.total)

    @property
    def overdue(self):
        a = self.assignment
        return (a.due_on is not None and a.status != AssignmentStatus.DONE
                and a.due_on < timezone.localdate())

    @property
    def status_label(self):
        return self.assignment.get_status_display()


def progress(assignments) -> list[ReviewerProgress]:
    """Each assignment with its reviewer's count of reviewed content sentences: one query."""
    content = Sentence.objects.filter(article=OuterRef("article_id"), is_boilerplate=False)
    reviewer = OuterRef(OuterRef("reviewer_id"))
    reviewed = content.filter(
        Q(Exists(Annotation.objects.live().filter(sentence=OuterRef("pk"), reviewer=reviewer)))
        | Q(Exists(SentenceReview.objects.filter(sentence=OuterRef("pk"), reviewer=reviewer)))
    )
    rows = (
        assignments.select_related("reviewer", "article")
        .annotate(n_total=_count(content), n_reviewed=_count(reviewed))
        .order_by("article__title", "article_id", "reviewer__username")
    )
    return [ReviewerProgress(a, a.n_reviewed, a.n_total) for a in rows]


def team_progress(article_ids) -> dict[int, list[ReviewerProgress]]:
    """{article_id: its assignments' progress}, for a page of the queue: one query."""
    by_article = {pk: [] for pk in article_ids}
    for p in progress(Assignment.objects.filter(article_id__in=article_ids)):
        by_article[p.assignment.article_id].append(p)
    return by_article


def _answers(article, reviewer):
    """(live annotations, "no label" marks), on `article` and by `reviewer` when given."""
    scope = {}
    if article is not None:
        scope["sentence__article"] = article
    if reviewer is not None:
        scope["reviewer"] = reviewer
    return (Annotation.objects.live().filter(**scope), SentenceReview.objects.filter(**scope))


def throughput(*, article=None, reviewer=None, days=DAYS):
    """Answers per day over the last `days` days: [(date, labels + "no label" marks)]."""
    today = timezone.localdate()
    since = today - datetime.timedelta(days=days - 1)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    annotations, marks = _answers(article, reviewer)
    annotations = annotations.filter(created_at__gte=start)
    marks = marks.filter(created_at__gte=start)
    counts = {}
    for qs in (annotations, marks):
        for row in (qs.annotate(day=TruncDate("created_at")).order_by()
                    .values("day").annotate(n=Count("pk"))):
            counts[row["day"]] = counts.get(row["day"], 0) + row["n"]
    return [(since + datetime.timedelta(days=i), counts.get(since + datetime.timedelta(days=i), 0))
            for i in range(days)]


@dataclass
class LabelMix:
    """A reviewer's answers by label (live annotations) and their "no label" marks."""

    reviewer: str
    counts: dict  # {label value: n}
    no_label: int

    @property
    def total(self):
        return sum(self.counts.values()) + self.no_label

    def parts(self):
        return [(item, self.counts.get(item.value, 0)) for item in labels.LABELS]


def label_mix(*, article=None, reviewer=None) -> list[LabelMix]:
    """Label distribution per reviewer: two queries."""
    annotations, marks = _answers(article, reviewer)
    mixes = {}
    def of(name):
        return mixes.setdefault(name, LabelMix(name, {}, 0))

    for row in (annotations.order_by().values("reviewer__username", "label")
                .annotate(n=Count("pk"))):
        of(row["reviewer__username"]).counts[row["label"]] = row["n"]
    for row in marks.order_by().values("reviewer__username").annotate(n=Count("pk")):
        of(row["reviewer__username"]).no_label = row["n"]
    return [mixes[name] for name in sorted(mixes)]


def throughput_chart(days, *, title):
    return charts.day_columns(days, title=title)


def mix_chart(mixes, *, title):
    rows = [
        (m.reviewer, [*((f"label-{item.value}", n, item.name) for item, n in m.parts()),
                      ("bar-none", m.no_label, "No label")])
        for m in mixes
    ]
    return charts.share_rows(rows, title=title)


def agreement_chart(results, *, title):
    rows = [(r.label_display, f"label-{r.label}", r.percent) for r in results]
    return charts.percent_rows(rows, title=title)


def article_agreement(article):
    return agreement.article_agreement(article)


def reviewer_agreement(reviewer):
    """Agreement per label between `reviewer` and each other reviewer, over the content
    sentences of the articles `reviewer` answered on."""
    answered = Article.objects.filter(
        Q(Exists(Annotation.objects.live().filter(sentence__article=OuterRef("pk"),
                                                  reviewer=reviewer)))
        | Q(Exists(SentenceReview.objects.filter(sentence__article=OuterRef("pk"),
                                                 reviewer=reviewer)))
    )
    sentences = Sentence.objects.filter(article__in=answered)
    answers = agreement.reviewed_answers(sentences)
    others = sorted({r for by in answers.values() for r in by} - {reviewer.pk})
    return [(other, agreement.label_agreement(answers, reviewers=(reviewer.pk, other)))
            for other in others]
