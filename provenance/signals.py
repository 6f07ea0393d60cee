"""Signals the corpus sends to the layers built on it (which it must not import)."""

from django.dispatch import Signal

# Sent inside the import's transaction once an article and its sentences are stored, with
# article= and sentences= (the rows as inserted, in the order of
# ingestion.services.SENTENCE_COLUMNS after article_id). suggestions/receivers.py computes
# the article's suggestions here, in the same transaction, from the rows it already has.
article_stored = Signal()
