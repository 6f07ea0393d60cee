"""What the review does when the annotating layer reports work (annotations/signals.py)."""

from django.dispatch import receiver

from annotations.signals import reviewer_answered, verdict_taken_back

from . import services


@receiver(reviewer_answered, dispatch_uid="review.assignment_start")
def start_assignment(sender, *, reviewer, article_id, **kwargs):
    services.assignment_start(reviewer=reviewer, article_id=article_id)


@receiver(verdict_taken_back, dispatch_uid="review.decision_follow")
def follow_taken_back(sender, *, sentence, by, **kwargs):
    services.decision_follow_taken_back(sentence=sentence, by=by)
