"""The bulk forms of a verdict and a delete leave what the one-by-one services leave: the
same rows, versions and history (who, why, "~"), and refuse the same input unchanged."""

import pytest
from django.core.exceptions import ValidationError

from annotations import services
from annotations.models import Annotation, Status

TRACKED = ("label", "status", "status_reason", "status_set_by_id", "version", "note")


@pytest.fixture(name="twins")
def twins_fixture(make_article, make_annotation, alice, bob):
    """Two articles annotated alike: one for the single-row services, one for the bulk."""
    sets = []
    for n in range(2):
        article = make_article(
            f"Headline {n}\nOfficials say it will cost more. Critics disagree. A third one.\n"
        )
        sentences = list(article.sentences.filter(is_boilerplate=False).order_by("position"))
        sets.append([
            make_annotation(reviewer, sentence, label)
            for sentence in sentences
            for reviewer in (alice, bob)
            for label in ("unverified_claim", "sensational_framing")
        ])
    return sets


def _state(annotations):
    """Each annotation's row and history, as a user of the history pages sees them."""
    out = []
    for a in annotations:
        a.refresh_from_db()
        history = [
            (h.history_type, h.history_change_reason, h.history_user.username,
             h.deleted_at is None, *(getattr(h, f) for f in TRACKED))
            for h in a.history.order_by("history_date", "history_id")
        ]
        out.append(((a.deleted_at is None, *(getattr(a, f) for f in TRACKED)), history))
    return out


def test_bulk_verdicts_and_deletes_write_what_the_single_services_write(
    twins, alice, bob, carol
):
    single, bulk = twins
    for a in single[:4]:
        services.annotation_set_status(annotation=a, status=Status.ACCEPTED, by=carol,
                                       reason="agreed")
    for a in single[4:6]:
        services.annotation_set_status(annotation=a, status=Status.REJECTED, by=carol)
    for a in single[6:9]:
        services.annotation_delete(annotation=a, expected_version=None, by=a.reviewer)

    services.annotation_bulk_set_status(ids=[a.pk for a in bulk[:4]], status=Status.ACCEPTED,
                                        by=carol, reason="agreed")
    services.annotation_bulk_set_status(ids=[a.pk for a in bulk[4:6]], status=Status.REJECTED,
                                        by=carol)
    for reviewer in (alice, bob):
        services.annotation_bulk_delete(
            ids=[a.pk for a in bulk[6:9] if a.reviewer == reviewer], by=reviewer
        )

    assert _state(bulk) == _state(single)
    assert _state(bulk)[0][1][-1][:3] == ("~", "status: accepted", "carol")
    assert _state(bulk)[6][1][-1][:4] == ("~", "deleted", bulk[6].reviewer.username, False)


def test_bulk_deleted_annotations_come_back_with_restore(twins, alice):
    ours = [a for a in twins[0] if a.reviewer == alice]
    deleted = services.annotation_bulk_delete(ids=[a.pk for a in ours], by=alice)
    assert len(deleted) == len(ours)
    assert not Annotation.objects.live().filter(pk__in=[a.pk for a in ours]).exists()
    services.annotation_restore(annotation=ours[0], by=alice)
    assert Annotation.objects.live().filter(pk=ours[0].pk).exists()


def test_a_bulk_delete_leaves_annotations_already_deleted_as_they_are(twins, alice):
    a, b = twins[0][0], twins[0][2]
    services.annotation_delete(annotation=a, expected_version=None, by=alice)
    deleted = services.annotation_bulk_delete(ids=[a.pk, b.pk], by=alice)
    assert [x.pk for x in deleted] == [b.pk]
    assert a.history.count() == 2  # created, deleted once


def test_a_bulk_verdict_on_a_deleted_annotation_changes_none_of_them(twins, alice, carol):
    first, second = twins[0][0], twins[0][2]
    services.annotation_delete(annotation=second, expected_version=None, by=alice)
    before = _state([first, second])
    with pytest.raises(services.Conflict, match="deleted meanwhile"):
        services.annotation_bulk_set_status(ids=[first.pk, second.pk], status=Status.ACCEPTED,
                                            by=carol)
    assert _state([first, second]) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ids, by: services.annotation_bulk_set_status(ids=ids, status="approved", by=by),
         "Unknown status"),
        (lambda ids, by: services.annotation_bulk_set_status(ids=ids, status=Status.ACCEPTED,
                                                             by=by, reason="a\x00b"),
         "control character"),
        (lambda ids, by: services.annotation_bulk_set_status(ids=[*ids, 10**9],
                                                             status=Status.ACCEPTED, by=by),
         "No annotation has the id 1000000000"),
        (lambda ids, by: services.annotation_bulk_delete(ids=[*ids, 10**9], by=by),
         "No annotation has the id 1000000000"),
    ],
    ids=["unknown status", "NUL in the reason", "verdict on a missing id", "missing id"],
)
def test_bad_bulk_input_is_refused_naming_what_is_wrong_and_changes_nothing(
    twins, carol, change, message
):
    ours = twins[0][:3]
    before = _state(ours)
    with pytest.raises(ValidationError, match=message):
        change([a.pk for a in ours], carol)
    assert _state(ours) == before


def test_a_bulk_delete_on_a_closed_article_is_refused_and_changes_nothing(twins, alice):
    from django.utils import timezone

    from annotations.access import ArticleClosed
    from provenance.models import Article

    ours = [a for a in twins[0] if a.reviewer == alice]
    Article.objects.filter(sentences__in=[a.sentence_id for a in ours]).update(
        adjudicated_at=timezone.now()
    )
    before = _state(ours)
    with pytest.raises(ArticleClosed):
        services.annotation_bulk_delete(ids=[a.pk for a in ours], by=alice)
    assert _state(ours) == before
