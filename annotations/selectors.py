"""Reads for the reviewer workspace (an article laid out for annotating) and the annotation
counts other pages show.

Everything here runs a fixed number of queries whatever the article's size, so a
500-sentence article with thousands of annotations renders as fast as a short one.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from provenance.models import Article, Sentence

from . import labels
from .access import sees_everyone_on
from .models import Annotation, SentenceReview, Status


def percent(done, total):
    return round(100 * done / total) if total else 0


@dataclass
class Segment:
    """A run of sentence text covered by the same set of phrase highlights."""

    text: str
    labels: list = field(default_factory=list)  # LabelInfo of each phrase covering this run
    ends: list = field(default_factory=list)  # LabelInfo of each phrase ending here
    rejected: bool = False  # every phrase covering this run was rejected by an editor


@dataclass
class SentenceView:
    """What `_sentence.html` needs to draw one sentence, highlights included."""

    sentence: Sentence
    segments: list
    whole: list  # whole-sentence labels: (LabelInfo, number of reviewers)
    whole_rejected: set  # of those, the labels whose every annotation was rejected
    mine_reviewed: bool
    no_label: bool
    annotation_count: int
    # Marks other apps put on the sentence (see register_sentence_markers).
    markers: list = field(default_factory=list)

    @property
    def whole_rejected_only(self) -> bool:
        """Every whole-sentence label on it was rejected: the sentence is struck through."""
        return bool(self.whole) and len(self.whole_rejected) == len(self.whole)


@dataclass(frozen=True)
class SentenceMarker:
    """A link drawn after a sentence in the workspace, e.g. to the claim group it is in."""

    label: str
    title: str
    href: str
    warning: bool = False


# Providers of sentence markers. Higher layers (crossclaims: "this sentence's claim is in a
# group, which has a conflict") register one at start-up, so the workspace shows what they
# know without annotations importing them. Each takes sentence ids and returns
# {sentence_id: [SentenceMarker, ...]} in one query.
_MARKER_PROVIDERS = []


def register_sentence_markers(provider) -> None:
    if provider not in _MARKER_PROVIDERS:
        _MARKER_PROVIDERS.append(provider)


def sentence_markers(sentence_ids) -> dict:
    markers = defaultdict(list)
    for provider in _MARKER_PROVIDERS:
        for sentence_id, found in provider(list(sentence_ids)).items():
            markers[sentence_id] += found
    return markers


def sentence_view(sentence, annotations, *, user, no_label) -> SentenceView:
    """Split the sentence's text at every phrase boundary; no selectors."""
    text = sentence.text
    phrases = [a for a in annotations if a.phrase_start is not None]
    cuts = {0, len(text)}
    spans = []
    for a in phrases:
        start = max(0, a.phrase_start - sentence.start)
        end = min(len(text), a.phrase_end - sentence.start)
        if start < end:
            spans.append((start, end, a.label, a.status == Status.REJECTED))
            cuts.update((start, end))
    cuts = sorted(cuts)
    segments = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        over = [(label, rejected) for s, e, label, rejected in spans if s <= a and b <= e]
        ending = {label for s, e, label, _ in spans if e == b}
        segments.append(Segment(
            text=text[a:b], labels=labels.ordered({label for label, _ in over}),
            ends=labels.ordered(ending), rejected=bool(over) and all(r for _, r in over),
        ))
    whole_counts, whole_standing = defaultdict(int), set()
    for a in annotations:
        if a.phrase_start is None:
            whole_counts[a.label] += 1
            if a.status != Status.REJECTED:
                whole_standing.add(a.label)
    whole = [(item, whole_counts[item.value]) for item in labels.ordered(whole_counts)]
    mine = any(a.reviewer_id == user.pk for a in annotations)
    return SentenceView(
        sentence=sentence,
        segments=segments,
        whole=whole,
        whole_rejected=set(whole_counts) - whole_standing,
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


def only_by(user, article):
    """The reviewer whose annotations alone `user` may see on `article`, or None when they
    see everyone's (access.py: independent review)."""
    return None if sees_everyone_on(user, article) else user.pk


def sentence_annotations(sentence_ids, *, reviewer_id=None):
    """Live annotations on these sentences (only `reviewer_id`'s, when given: see
    only_by()), with what the panel and highlights show.

    `was_edited`: its reviewer changed its content since creating it. Not `version > 1`:
    an editor's verdict, a restore or a source merge bump the version too, and none of
    them is the reviewer editing. Read from the history's change reasons, in the same query.
    """
    edited = Annotation.history.model.objects.filter(
        id=OuterRef("pk"), history_change_reason="edited", history_user_id=OuterRef("reviewer_id")
    )
    annotations = Annotation.objects.live().filter(sentence_id__in=sentence_ids)
    if reviewer_id is not None:
        annotations = annotations.filter(reviewer_id=reviewer_id)
    return (
        annotations
        .select_related("reviewer", "source", "status_set_by")
        .annotate(was_edited=Exists(edited))
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
    """An article laid out for `user`: three queries (sentences, annotations, no-label marks).
    Under independent review, only `user`'s own annotations until it is adjudicated."""
    sentences = list(article.sentences.order_by("position"))
    by_sentence = defaultdict(list)
    annotations = _drawn(Annotation.objects.live().filter(sentence__article=article),
                         only_by(user, article))
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
    markers = sentence_markers(s.pk for s in sentences)
    for view in views:
        view.markers = markers.get(view.sentence.pk, [])
    content = [v for v in views if not v.sentence.is_boilerplate]
    return Workspace(
        article=article,
        blocks=layout(views),
        content_count=len(content),
        reviewed_count=sum(v.mine_reviewed for v in content),
    )


def _drawn(annotations, reviewer_id):
    """What highlights need of each annotation, `reviewer_id`'s only when given."""
    if reviewer_id is not None:
        annotations = annotations.filter(reviewer_id=reviewer_id)
    return annotations.only(
        "sentence_id", "reviewer_id", "label", "phrase_start", "phrase_end", "status"
    ).order_by()


def one_sentence_view(sentence, user) -> SentenceView:
    """One sentence redrawn after a save: two selectors."""
    annotations = list(_drawn(Annotation.objects.live().filter(sentence=sentence),
                              only_by(user, sentence.article)))
    no_label = SentenceReview.objects.filter(sentence=sentence, reviewer=user).exists()
    view = sentence_view(sentence, annotations, user=user, no_label=no_label)
    view.markers = sentence_markers([sentence.pk]).get(sentence.pk, [])
    return view


# Counts for the registry and article lists ----------------------------------------------


def _count_by(queryset, field):
    """A correlated COUNT of `queryset` rows whose `field` is the outer row, 0 when none.

    Subqueries, not joins: two Count()s over two joins multiply each other.
    """
    return Coalesce(
        Subquery(
            queryset.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def standing():
    """Live annotations an editor has not rejected: what counts and lists count."""
    return Annotation.objects.live().exclude(status=Status.REJECTED)


def sources_with_counts(sources):
    """`sources` with how many articles each published and how many live annotations cite
    it (rejected citations do not count)."""
    return sources.annotate(
        article_count=_count_by(Article.objects.all(), "publisher"),
        citation_count=_count_by(standing(), "source"),
    )


def articles_with_counts(articles):
    """`articles` with sentence, boilerplate, content-sentence and live-annotation counts
    (rejected annotations do not count)."""
    return articles.annotate(
        sentence_count=_count_by(Sentence.objects.all(), "article"),
        boilerplate_count=_count_by(Sentence.objects.filter(is_boilerplate=True), "article"),
        content_sentence_count=_count_by(Sentence.objects.filter(is_boilerplate=False), "article"),
        annotation_count=_count_by(standing(), "sentence__article"),
    )
