"""Correct sentence boundaries: join a sentence with the next one, or split one in two.

The article body never changes, and annotation offsets are absolute into it, so a join or
split only moves annotations between sentence rows. Both refuse rather than guess: a split
through an annotated phrase, or through a whole-sentence annotation (which half did the
reviewer mean?), is refused with a message naming it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from simple_history.utils import bulk_update_with_history

from provenance.models import Article, Sentence
from provenance.roles import is_editor

from .models import Annotation, SentenceReview

# Positions are unique per article and a plain "position = position ± 1" can collide
# row by row, so renumbering parks rows far above any real position first.
_PARK = 10_000_000


def _check_others(sentences, by):
    """Reviewers may only change boundaries no other reviewer has annotated."""
    if is_editor(by):
        return
    others = (
        Annotation.objects.live()
        .filter(sentence__in=sentences)
        .exclude(reviewer=by)
        .select_related("reviewer")
        .first()
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


def _lock_article_sentences(sentence):
    rows = list(
        Sentence.objects.select_for_update()
        .filter(article_id=sentence.article_id)
        .order_by("position")
    )
    _ensure_baseline(rows)
    return rows


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
def sentence_join(*, sentence: Sentence, by) -> Sentence:
    """Join `sentence` with the one after it; every annotation on either is kept."""
    rows = _lock_article_sentences(sentence)
    by_position = {s.position: s for s in rows}
    first = by_position.get(sentence.position)
    second = by_position.get(sentence.position + 1)
    if first is None or first.pk != sentence.pk:
        raise ValidationError("This sentence changed meanwhile; reload the article.")
    if second is None:
        raise ValidationError("This is the last sentence; there is nothing to join it with.",
                              code="last")
    if first.is_boilerplate != second.is_boilerplate:
        raise ValidationError(
            "Boilerplate and content cannot be joined.", code="mixed_boilerplate"
        )
    _check_others([first, second], by)

    annotations = list(
        Annotation.objects.live().filter(sentence__in=[first, second]).select_related("reviewer")
    )
    seen = {}
    for a in annotations:
        key = (a.reviewer_id, a.label, a.source_id)
        if key in seen and seen[key].sentence_id != a.sentence_id:
            raise ValidationError(
                f"{a.reviewer} gave both sentences the label {a.get_label_display()}"
                + (" for the same source" if a.source_id else "")
                + "; one sentence takes each label once, so delete one of them first.",
                code="duplicate_label",
            )
        seen[key] = a

    # Deleted annotations move too: they still point at the second sentence, whose delete
    # they blocked (ProtectedError, a 500 from every join after an undone label), and an
    # undo must find them on the sentence that now holds their text.
    deleted = Annotation.objects.filter(sentence=second, deleted_at__isnull=False)
    for a in [*annotations, *deleted]:
        changed = []
        if a.phrase_start is None:
            # A whole-sentence annotation keeps exactly the text it covered.
            owner = first if a.sentence_id == first.pk else second
            a.phrase_start, a.phrase_end = owner.start, owner.end
            changed += ["phrase_start", "phrase_end"]
        if a.sentence_id != first.pk:
            a.sentence = first
            changed.append("sentence")
        if changed:
            a.version += 1
            a._history_user = by
            a._change_reason = "sentences joined"
            a.save(update_fields=[*changed, "version", "updated_at"])

    labelled = {a.reviewer_id for a in annotations}
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

    body = first.article.body
    second._history_user = by
    second._change_reason = f"joined into sentence {first.pk}"
    second_position = second.position
    second.delete()
    first.end = second.end
    first.text = body[first.start : first.end]
    first.is_heading = first.is_heading and second.is_heading
    first._history_user = by
    first._change_reason = "joined with the next sentence"
    first.save()
    _shift_positions(first.article_id, second_position, -1, by)
    return first


@transaction.atomic
def sentence_split(*, sentence: Sentence, at: int, by) -> tuple[Sentence, Sentence]:
    """Split `sentence` at absolute body offset `at` into two sentences."""
    rows = _lock_article_sentences(sentence)
    current = next((s for s in rows if s.pk == sentence.pk), None)
    if current is None:
        raise ValidationError("This sentence no longer exists; reload the article.")
    body = current.article.body
    left_text = body[current.start : at].rstrip() if current.start < at else ""
    right_raw = body[at : current.end] if at < current.end else ""
    right_text = right_raw.lstrip()
    if not (current.start < at < current.end) or not left_text.strip() or not right_text:
        raise ValidationError(
            "Split inside the sentence, so that both parts keep some text.", code="split_edge"
        )
    _check_others([current], by)
    left_end = current.start + len(left_text)
    right_start = at + (len(right_raw) - len(right_text))

    annotations = list(
        Annotation.objects.live().filter(sentence=current).select_related("reviewer")
    )
    for a in annotations:
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
        if a.phrase_start >= right_start:
            a.sentence = right
            if a.phrase_start == right.start and a.phrase_end == right.end:
                a.phrase_start = a.phrase_end = None
            a.version += 1
            a._history_user = by
            a._change_reason = "sentence split"
            a.save(update_fields=["sentence", "phrase_start", "phrase_end", "version",
                                  "updated_at"])
        elif a.phrase_start == current.start and a.phrase_end == current.end:
            a.phrase_start = a.phrase_end = None
            a.version += 1
            a._history_user = by
            a._change_reason = "sentence split"
            a.save(update_fields=["phrase_start", "phrase_end", "version", "updated_at"])
    # "Nothing to label" held for the whole sentence, so it holds for each part.
    for mark in SentenceReview.objects.filter(sentence=current):
        SentenceReview.objects.get_or_create(sentence=right, reviewer_id=mark.reviewer_id)
    return current, right
