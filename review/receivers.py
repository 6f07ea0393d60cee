"""What the review does when the annotating layer reports work (annotations/signals.py)."""

from django.dispatch import receiver

from annotations.signals import reviewer_answered

from . import services


@receiver(reviewer_answered, dispatch_uid="review.assignment_start")
def start_assignment(sender, *, reviewer, article_id, **kwargs):
    services.assignment_start(reviewer=reviewer, article_id=article_id)
