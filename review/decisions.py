"""The rules that settle a sentence's final labels without the editor typing them.

Plain functions over what a page or a service already read (no queries), so the
adjudication page shows exactly what the services would write.

`answers` is {reviewer_id: set(labels)} for one sentence: a reviewer appears when they
labelled it or marked it "no label" (an empty set). `reviewer_ids` are the article's
reviewers: everyone assigned to it, or who answered any of its sentences.
"""

from annotations.models import Status

from .models import label_set


def agreed_labels(answers: dict, reviewer_ids) -> str | None:
    """The labels every reviewer of the article gave this sentence, when they all answered
    it and gave the same ones (spelt as SentenceDecision.labels); None otherwise.

    A reviewer who has not answered yet is not agreeing: "accept where reviewers agree"
    must not settle a sentence half the team has still to read.
    """
    reviewer_ids = set(reviewer_ids)
    if not reviewer_ids or not reviewer_ids <= answers.keys():
        return None
    given = {frozenset(answers[r]) for r in reviewer_ids}
    if len(given) != 1:
        return None
    return label_set(next(iter(given)))


def derived_labels(annotations, answers: dict, reviewer_ids) -> str | None:
    """The final labels the verdicts settle, or None while they settle nothing.

    Once every live annotation on the sentence has a verdict (and there is at least one),
    the accepted labels are the final ones ("" when all were rejected). A sentence with no
    annotations is settled as "no label" when every reviewer of the article marked it so.
    """
    if any(a.status == Status.SUBMITTED for a in annotations):
        return None
    if annotations:
        return label_set(a.label for a in annotations if a.status == Status.ACCEPTED)
    return agreed_labels(answers, reviewer_ids)
