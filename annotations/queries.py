"""Reads for the reviewer workspace: the queue, and an article laid out for annotating.

Everything here runs a fixed number of queries whatever the article's size, so a
500-sentence article with thousands of annotations renders as fast as a short one.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from provenance.models import Article, Sentence
from provenance.roles import is_editor

from . import labels
from .models import Annotation, Assignment, AssignmentStatus, SentenceReview
from .workflow import with_review_status


def _reviewed_by(user):
    """Q for sentences `user` has reviewed: a live annotation of theirs, or a no-label mark."""
    annotated = Annotation.objects.live().filter(sentence=OuterRef("pk"), reviewer=user)
    marked = SentenceReview.objects.filter(sentence=OuterRef("pk"), reviewer=user)
    return Q(Exists(annotated)) | Q(Exists(marked))


def _count(queryset):
    """A correlated COUNT over `queryset` (already filtered on OuterRef), 0 when empty."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("article").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def queue_articles(user, *, review_status=None):
    """The articles waiting for `user`, with their progress and review status, in one query.

    Reviewers see the articles assigned to them; editors run the review and see every
    article, filterable by its derived review status.
    """
    content = Sentence.objects.filter(article=OuterRef("pk"), is_boilerplate=False)
    mine = Assignment.objects.filter(article=OuterRef("pk"), reviewer=user)
    articles = Article.objects.select_related("publisher")
    if not is_editor(user):
        articles = articles.filter(Exists(mine))
    articles = with_review_status(articles)
    if review_status:
        articles = articles.filter(review_status=review_status)
    return articles.annotate(
        content_sentence_count=_count(content),
        boilerplate_count=_count(
            Sentence.objects.filter(article=OuterRef("pk"), is_boilerplate=True)
        ),
        reviewed_count=_count(content.filter(_reviewed_by(user))),
        my_status=Subquery(mine.values("status")[:1]),
        my_due_on=Subquery(mine.values("due_on")[:1]),
        is_done=Exists(mine.filter(status=AssignmentStatus.DONE)),
    ).order_by("is_done", F("my_due_on").asc(nulls_last=True), "-created_at", "-id")


def percent(done, total):
    return round(100 * done / total) if total else 0


@dataclass
class Segment:
    """A run of sentence text covered by the same set of phrase highlights."""

    text: str
    labels: list = field(default_factory=list)  # LabelInfo of each phrase covering this run
    ends: list = field(default_factory=list)  # LabelInfo of each phrase ending here


@dataclass
class SentenceView:
    """What `_sentence.html` needs to draw one sentence, highlights included."""

    sentence: Sentence
    segments: list
    whole: list  # whole-sentence labels: (LabelInfo, number of reviewers)
    mine_reviewed: bool
    no_label: bool
    annotation_count: int


def sentence_view(sentence, annotations, *, user, no_label) -> SentenceView:
    """Split the sentence's text at every phrase boundary; no queries."""
    text = sentence.text
    phrases = [a for a in annotations if a.phrase_start is not None]
    cuts = {0, len(text)}
    spans = []
    for a in phrases:
        start = max(0, a.phrase_start - sentence.start)
        end = min(len(text), a.phrase_end - sentence.start)
        if start < end:
            spans.append((start, end, a.label))
            cuts.update((start, end))
    cuts = sorted(cuts)
    segments = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = {label for s, e, label in spans if s <= a and b <= e}
        ending = {label for s, e, label in spans if e == b}
        segments.append(
            Segment(text=text[a:b], labels=labels.ordered(covering), ends=labels.ordered(ending))
        )
    whole_counts = defaultdict(int)
    for a in annotations:
        if a.phrase_start is None:
            whole_counts[a.label] += 1
    whole = [(item, whole_counts[item.value]) for item in labels.ordered(whole_counts)]
    mine = any(a.reviewer_id == user.pk for a in annotations)
    return SentenceView(
        sentence=sentence,
        segments=segments,
        whole=whole,
        mine_reviewed=mine or no_label,
        no_label=no_label,
        annotation_count=len(annotations),
    )


@dataclass
class Block:
    """A heading, a paragraph of sentences, or a run of boilerplate lines."""

    kind: str  # "heading" | "paragraph" | "boilerplate"
    items: list


def layout(views):
    """Group sentence views into blocks in reading order, keeping paragraph breaks."""
    blocks = []
    for view in views:
        s = view.sentence
        kind = "boilerplate" if s.is_boilerplate else "heading" if s.is_heading else "paragraph"
        last = blocks[-1] if blocks else None
        joins = (
            last is not None
            and last.kind == kind
            and kind != "heading"
            and (kind == "boilerplate" or not s.starts_paragraph)
        )
        if joins:
            last.items.append(view)
        else:
            blocks.append(Block(kind, [view]))
    return blocks


def sentence_annotations(sentence_ids):
    """Live annotations on these sentences, with what the panel and highlights show."""
    return (
        Annotation.objects.live()
        .filter(sentence_id__in=sentence_ids)
        .select_related("reviewer", "source", "status_set_by")
        .order_by("sentence_id", "created_at", "id")
    )


@dataclass
class Workspace:
    article: Article
    blocks: list
    content_count: int
    reviewed_count: int

    @property
    def percent(self):
        return percent(self.reviewed_count, self.content_count)


def workspace(article, user) -> Workspace:
    """An article laid out for `user`: three queries (sentences, annotations, no-label marks)."""
    sentences = list(article.sentences.order_by("position"))
    by_sentence = defaultdict(list)
    annotations = (
        Annotation.objects.live()
        .filter(sentence__article=article)
        .only("sentence_id", "reviewer_id", "label", "phrase_start", "phrase_end")
        .order_by()
    )
    for a in annotations:
        by_sentence[a.sentence_id].append(a)
    no_label = set(
        SentenceReview.objects.filter(sentence__article=article, reviewer=user).values_list(
            "sentence_id", flat=True
        )
    )
    views = [
        sentence_view(s, by_sentence[s.pk], user=user, no_label=s.pk in no_label)
        for s in sentences
    ]
    content = [v for v in views if not v.sentence.is_boilerplate]
    return Workspace(
        article=article,
        blocks=layout(views),
        content_count=len(content),
        reviewed_count=sum(v.mine_reviewed for v in content),
    )


def one_sentence_view(sentence, user) -> SentenceView:
    """One sentence redrawn after a save: two queries."""
    annotations = list(
        Annotation.objects.live()
        .filter(sentence=sentence)
        .only("sentence_id", "reviewer_id", "label", "phrase_start", "phrase_end")
    )
    no_label = SentenceReview.objects.filter(sentence=sentence, reviewer=user).exists()
    return sentence_view(sentence, annotations, user=user, no_label=no_label)
