"""Correct sentence boundaries: join a sentence with the next one, or split one in two.

The article body never changes, and annotation offsets are absolute into it, so a join or
split only moves annotations between sentence rows (services.annotation_rehome). Both
refuse rather than guess: a split through a live annotated phrase, or through a live
whole-sentence annotation (which half did the reviewer mean?), is refused with a message
naming it.

Deleted annotations move like live ones, so that a join never trips over one (the sentence
it deletes must hold no annotation) and a restore finds its phrase in its sentence. Only a
split through a deleted one cannot keep it inside a sentence: it stays on the left part,
and restoring it is refused with a message saying why.

Both lock every sentence of the article, then the annotations on the sentences they change
(annotations.locks says why in that order), and read them again once locked.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from simple_history.utils import bulk_update_with_history

from provenance.models import Article, Sentence
from provenance.roles import is_editor

from . import services
from .access import require_open, sees_everyone_on
from .locks import Conflict, lock_annotations_on
from .models import SentenceReview

# Positions are unique per article and a plain "position = position ± 1" can collide
# row by row, so renumbering parks rows far above any real position first.
_PARK = 10_000_000


def _check_others(live, by, article):
    """Reviewers may only change boundaries no other reviewer has annotated. The refusal
    names the other annotation only to someone who may see it (independent review)."""
    if is_editor(by):
        return
    others = next((a for a in live if a.reviewer_id != by.pk), None)
    if others is not None and not sees_everyone_on(by, article):
        raise ValidationError(
            "Another reviewer has annotated this sentence; only an editor can change its "
            "boundaries.",
            code="others_annotations",
        )
    if others is not None:
        raise ValidationError(
            f"{others.reviewer} has annotated this sentence ({others.get_label_display()}: "
            f"{others.quote[:60]!r}); only an editor can change its boundaries.",
            code="others_annotations",
        )


def _shift_positions(article_id, after_position, delta, by):
    """Renumber sentences after `after_position` by `delta`, recording history."""
    moved = list(
        Sentence.objects.filter(article_id=article_id, position__gt=after_position)
        .order_by("position")
    )
    if not moved:
        return
    Sentence.objects.filter(pk__in=[s.pk for s in moved]).update(position=F("position") + _PARK)
    for s in moved:
        s.position += delta
    bulk_update_with_history(
        moved, Sentence, ["position"], batch_size=500, default_user=by,
        default_change_reason="renumbered",
    )


def _lock_article_sentences(sentence, expected=None):
    """The article's sentences, locked in id order (as every writer locks sentences) and
    returned in position order, with `sentence` as it is now. Refused if a join removed it
    or a join or split moved its boundaries since the caller read it: the change was asked
    of the sentence the page showed, not of whatever took its place. `expected` is the
    (start, end) the client last saw (a page, an API client); without it, `sentence`'s
    own, which only catches changes since the caller read the row."""
    rows = list(
        Sentence.objects.select_for_update().filter(article_id=sentence.article_id).order_by("id")
    )
    rows.sort(key=lambda s: s.position)
    current = next((s for s in rows if s.pk == sentence.pk), None)
    if current is None:
        raise Conflict("This sentence no longer exists; reload the article.",
                       code="sentence_gone")
    if expected is None:
        expected = (sentence.start, sentence.end)
    if (current.start, current.end) != tuple(expected):
        raise Conflict(
            f"This sentence changed meanwhile; it now reads “{current.text}”. Reload the "
            "article.",
            code="sentence_changed",
        )
    _ensure_baseline(rows)
    return rows, current


def _ensure_baseline(rows):
    """Record each sentence's imported state before its first change.

    The importer writes no history rows for sentences (see article_import), so without
    this the offsets a join or split replaces would be lost from the history.
    """
    if not rows:
        return
    article_id = rows[0].article_id
    recorded = set(
        Sentence.history.filter(article_id=article_id).values_list("id", flat=True).distinct()
    )
    missing = [s for s in rows if s.pk not in recorded]
    if missing:
        imported_at = Article.objects.values_list("created_at", flat=True).get(pk=article_id)
        Sentence.history.bulk_history_create(
            missing, default_change_reason="as imported", default_date=imported_at
        )


@transaction.atomic
def sentence_join(*, sentence: Sentence, by, expected=None) -> Sentence:
    """Join `sentence` with the one after it; every annotation on either is kept.

    `expected`: the sentence's (start, end) as the client saw it; a join asked twice (two
    tabs, a resent request) finds the sentence longer and is refused (Conflict), instead of
    joining a third sentence in."""
    require_open(by=by, article_id=sentence.article_id)
    rows, first = _lock_article_sentences(sentence, expected)
    second = next((s for s in rows if s.position == first.position + 1), None)
    if second is None:
        raise ValidationError("This is the last sentence; there is nothing to join it with.",
                              code="last")
    if first.is_boilerplate != second.is_boilerplate:
        raise ValidationError(
            "Boilerplate and content cannot be joined.", code="mixed_boilerplate"
        )
    annotations = lock_annotations_on([first, second])
    live = [a for a in annotations if a.deleted_at is None]
    _check_others(live, by, first.article)
    seen = {}
    for a in live:
        key = (a.reviewer_id, a.label, a.source_id)
        if key in seen and seen[key].sentence_id != a.sentence_id:
            raise ValidationError(
                f"{a.reviewer} gave both sentences the label {a.get_label_display()}"
                + (" for the same source" if a.source_id else "")
                + "; one sentence takes each label once, so delete one of them first.",
                code="duplicate_label",
            )
        seen[key] = a

    body = first.article.body
    first.end = second.end
    first.text = body[first.start : first.end]
    first.is_heading = first.is_heading and second.is_heading
    for a in annotations:
        services.annotation_rehome(annotation=a, to=first, by=by, reason="sentences joined")

    labelled = {a.reviewer_id for a in live}
    marks = SentenceReview.objects.filter(sentence__in=[first, second])
    marked_first = set(marks.filter(sentence=first).values_list("reviewer_id", flat=True))
    for mark in marks.filter(sentence=second):
        if mark.reviewer_id in marked_first or mark.reviewer_id in labelled:
            mark.delete()
        else:
            mark.sentence = first
            mark.save(update_fields=["sentence"])
    # "No label" on one half no longer holds for a sentence that now carries labels.
    marks.filter(sentence=first, reviewer_id__in=labelled).delete()

    second._history_user = by
    second._change_reason = f"joined into sentence {first.pk}"
    second_position = second.position
    second.delete()
    first._history_user = by
    first._change_reason = "joined with the next sentence"
    first.save()
    _shift_positions(first.article_id, second_position, -1, by)
    return first


def _check_splittable(live, *, by, article, left_end: int, right_start: int) -> None:
    """Refuse a split that would leave a live annotation without one part to belong to."""
    _check_others(live, by, article)
    for a in live:
        if a.phrase_start is None:
            raise ValidationError(
                f"{a.reviewer}'s {a.get_label_display()} annotation covers the whole "
                "sentence, so it is unclear which part it belongs to; narrow it to a phrase "
                "or delete it first.",
                code="whole_sentence",
            )
        if a.phrase_start < right_start and a.phrase_end > left_end:
            raise ValidationError(
                f"The split would cut {a.reviewer}'s {a.get_label_display()} annotation "
                f"{a.quote!r}; split elsewhere.",
                code="cuts_annotation",
            )


@transaction.atomic
def sentence_split(
    *, sentence: Sentence, at: int, by, expected=None
) -> tuple[Sentence, Sentence]:
    """Split `sentence` at absolute body offset `at` into two sentences; `expected` as for
    sentence_join."""
    require_open(by=by, article_id=sentence.article_id)
    _, current = _lock_article_sentences(sentence, expected)
    body = current.article.body
    left_text = body[current.start : at].rstrip() if current.start < at else ""
    right_raw = body[at : current.end] if at < current.end else ""
    right_text = right_raw.lstrip()
    if not (current.start < at < current.end) or not left_text.strip() or not right_text:
        raise ValidationError(
            "Split inside the sentence, so that both parts keep some text.", code="split_edge"
        )
    left_end = current.start + len(left_text)
    right_start = at + (len(right_raw) - len(right_text))
    annotations = lock_annotations_on([current])
    _check_splittable([a for a in annotations if a.deleted_at is None], by=by,
                      article=current.article, left_end=left_end, right_start=right_start)
    _shift_positions(current.article_id, current.position, +1, by)
    right = Sentence(
        article_id=current.article_id,
        position=current.position + 1,
        start=right_start,
        end=current.end,
        text=body[right_start : current.end],
        is_boilerplate=current.is_boilerplate,
        boilerplate_reason=current.boilerplate_reason,
        is_heading=False,
        starts_paragraph=False,
    )
    right._history_user = by
    right._change_reason = f"split from sentence {current.pk}"
    right.save()
    current.end = left_end
    current.text = body[current.start : left_end]
    current._history_user = by
    current._change_reason = "split"
    current.save()

    for a in annotations:
        # A deleted annotation the split cuts (or that covered the whole sentence) stays on
        # the left part as a phrase over the text it covered; restoring it is refused.
        start = a.phrase_start if a.phrase_start is not None else a.sentence.start
        services.annotation_rehome(annotation=a, to=right if start >= right_start else current,
                                   by=by, reason="sentence split")
    # "Nothing to label" held for the whole sentence, so it holds for each part.
    for mark in SentenceReview.objects.filter(sentence=current):
        SentenceReview.objects.get_or_create(sentence=right, reviewer_id=mark.reviewer_id)
    return current, right
