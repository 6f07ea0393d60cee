"""What the adjudication page shows: each content sentence with every reviewer's answer
side by side, the verdicts, its final decision, and the counts the page's header keeps.

Five queries whatever the article's size (reviewers, sentences, annotations, "no label"
marks, decisions), so the page and every endpoint that redraws part of it cost the same
for a 500-sentence article as for a short one. The rules that settle a decision live in
decisions.py, shared with the services, so the page never promises what they won't do.
"""

from dataclasses import dataclass, field

from annotations import labels
from annotations.models import Annotation, SentenceReview, Status

from . import agreement
from .decisions import agreed_labels, derived_labels
from .models import SentenceDecision
from .selectors import article_reviewers


@dataclass
class Cell:
    reviewer: object
    annotations: list
    no_label: bool

    @property
    def answered(self):
        return bool(self.annotations) or self.no_label


@dataclass
class Row:
    sentence: object
    cells: list
    disagree: bool  # reviewers who answered gave different labels
    agreed: str | None  # every reviewer answered alike: their labels ("" for "no label")
    decision: SentenceDecision | None
    derived: str | None  # what the verdicts settle now, written on close if still missing
    annotations: list = field(default_factory=list)

    @property
    def number(self):
        return self.sentence.position + 1

    @property
    def pending(self):
        return sum(a.status == Status.SUBMITTED for a in self.annotations)

    @property
    def rejected(self):
        return any(a.status == Status.REJECTED for a in self.annotations)

    @property
    def ready_to_accept(self):
        """What "accept where reviewers agree" would settle (see article_accept_agreed)."""
        return self.decision is None and self.agreed is not None and not self.rejected

    @property
    def final_values(self) -> list[str]:
        """The final labels as drawn: the decision's; else what the verdicts settle; else
        the labels accepted so far (where the editor's label keys start from)."""
        if self.decision is not None:
            return self.decision.label_values
        if self.derived is not None:
            return self.derived.split(",") if self.derived else []
        return [item.value for item in labels.ordered(
            a.label for a in self.annotations if a.status == Status.ACCEPTED
        )]

    @property
    def final_labels(self):
        return labels.ordered(self.final_values)

    @property
    def decision_version(self):
        return self.decision.version if self.decision else 0

    @property
    def decision_etag(self):
        return f'"d{self.sentence.pk}-{self.decision_version}"'


@dataclass
class Adjudication:
    article: object
    reviewers: list
    rows: list
    answers: dict  # {sentence_id: {reviewer_id: set(labels)}}, for the agreement figures

    @property
    def content_count(self):
        return len(self.rows)

    @property
    def decided_count(self):
        return sum(r.decision is not None for r in self.rows)

    @property
    def undecided_count(self):
        return self.content_count - self.decided_count

    @property
    def disagreement_count(self):
        return sum(r.disagree for r in self.rows)

    @property
    def pending_count(self):
        return sum(r.pending for r in self.rows)

    @property
    def agreed_sentences(self):
        return sum(r.ready_to_accept for r in self.rows)

    @property
    def agreed_annotations(self):
        return sum(r.pending for r in self.rows if r.ready_to_accept)

    def agreement(self):
        return agreement.label_agreement(self.answers)

    def rows_for(self, sentence_ids):
        wanted = set(sentence_ids)
        return [r for r in self.rows if r.sentence.pk in wanted]


def adjudication(article) -> Adjudication:
    reviewers = list(article_reviewers(article.pk))
    reviewer_ids = {r.pk for r in reviewers}
    sentences = list(article.sentences.filter(is_boilerplate=False).order_by("position"))
    by_sentence = {}
    answers = {}
    annotations = (
        Annotation.objects.live()
        .filter(sentence__article=article, sentence__is_boilerplate=False)
        .select_related("reviewer", "source", "status_set_by")
        .order_by("sentence_id", "reviewer__username", "id")
    )
    for a in annotations:
        by_sentence.setdefault(a.sentence_id, []).append(a)
        answers.setdefault(a.sentence_id, {}).setdefault(a.reviewer_id, set()).add(a.label)
    no_label = {}
    marks = SentenceReview.objects.filter(sentence__article=article, sentence__is_boilerplate=False)
    for sentence_id, reviewer_id in marks.values_list("sentence_id", "reviewer_id"):
        no_label.setdefault(sentence_id, set()).add(reviewer_id)
        answers.setdefault(sentence_id, {}).setdefault(reviewer_id, set())
    decisions = {
        d.sentence_id: d
        for d in SentenceDecision.objects.filter(sentence__article=article)
        .select_related("decided_by")
    }
    rows = []
    for s in sentences:
        mine = by_sentence.get(s.pk, [])
        given = answers.get(s.pk, {})
        cells = [
            Cell(reviewer=r, annotations=[a for a in mine if a.reviewer_id == r.pk],
                 no_label=r.pk in no_label.get(s.pk, ()))
            for r in reviewers
        ]
        rows.append(Row(
            sentence=s,
            cells=cells,
            disagree=len(given) >= 2 and len({frozenset(v) for v in given.values()}) > 1,
            agreed=agreed_labels(given, reviewer_ids),
            decision=decisions.get(s.pk),
            derived=derived_labels(mine, given, reviewer_ids),
            annotations=mine,
        ))
    return Adjudication(article=article, reviewers=reviewers, rows=rows, answers=answers)
