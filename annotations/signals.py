"""Signals the annotating layer sends to the layers built on it.

The review app keeps assignments; annotations must not import it (import-linter says so),
so a reviewer's first answer on an article is announced here and review/receivers.py
moves their assignment to "in progress" through the assignment service.
"""

from django.dispatch import Signal

# Sent inside the writing transaction, with reviewer= and article_id=, whenever a reviewer
# labels a sentence or marks it "no label".
reviewer_answered = Signal()

# Sent inside the writing transaction, with sentence= and by=, when a reviewer's edit took
# an editor's verdict back: the sentence's decision may have followed that verdict.
verdict_taken_back = Signal()
