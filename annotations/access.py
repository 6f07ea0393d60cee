"""Whose annotations a user sees on an article, and when an article takes no more answers.

Independent review: until an editor closes an article as adjudicated, a reviewer sees only
their own annotations on it (in the workspace, the claims, the exports), so that the
agreement the review reports measures judgement rather than imitation. Editors see
everything; once an article is closed, everyone who may read it sees every reviewer's
work. `settings.PROVENANCE_INDEPENDENT_REVIEW` (and an article's own `independent_review`)
turns it off for teams that review openly. Readers see closed articles only.

Closing means closed: once adjudicated, an article refuses reviewers' annotation writes,
"no label" answers and boundary changes until an editor reopens it. The check sits in the
write path (services.py, boundaries.py), so the API, the workspace and the admin all
refuse alike.
"""

from django.conf import settings
from django.db import connection
from django.db.models import Q, Subquery

from provenance.models import Article, Sentence
from provenance.roles import is_editor, is_reader

from .locks import Conflict

CLOSED_MESSAGE = "This article is closed for adjudication; an editor must reopen it."


class ArticleClosed(Conflict):
    """The article was adjudicated: a reviewer's change is refused (409, like any state
    the request did not expect)."""

    def __init__(self, message=CLOSED_MESSAGE):
        super().__init__(message, code="article_closed")


# Reading ---------------------------------------------------------------------------------


def sees_everyone_on(user, article) -> bool:
    """Whether `user` sees every reviewer's annotations on `article` (else only their own)."""
    return article.is_closed or not article.is_independent or is_editor(user)


def _open_review(prefix: str) -> Q:
    """Articles whose reviewers see each other's work before adjudication."""
    if settings.PROVENANCE_INDEPENDENT_REVIEW:
        return Q(**{f"{prefix}independent_review": False})
    return Q(**{f"{prefix}independent_review__isnull": True}) | Q(
        **{f"{prefix}independent_review": False}
    )


def visible_annotations(queryset, user, *, article="sentence__article__"):
    """The annotations of `queryset` that `user` may see (see the module's docstring).

    `article` is the path from the queryset's model to Article. Editors: all; readers: on
    closed articles; reviewers: their own, plus everyone's on closed or openly reviewed
    articles.
    """
    if is_editor(user):
        return queryset
    closed = Q(**{f"{article}adjudicated_at__isnull": False})
    if is_reader(user):
        return queryset.filter(closed)
    return queryset.filter(Q(reviewer_id=user.pk) | closed | _open_review(article))


def visible_articles(queryset, user):
    """Articles `user` may read: readers only the adjudicated ones."""
    if is_reader(user):
        return queryset.filter(adjudicated_at__isnull=False)
    return queryset


# Writing ---------------------------------------------------------------------------------


def _lock_sql(queryset):
    """The queryset's SELECT, holding its rows FOR KEY SHARE on PostgreSQL.

    KEY SHARE conflicts only with FOR UPDATE, which closing an article takes
    (review.services.article_close_adjudication): writers on one article do not wait for
    each other, but a close waits for the writes already under way, and a write that
    starts after it sees the article closed. (On SQLite every write transaction holds the
    database's lock from its first statement, which serialises them all the same.)
    """
    sql, params = queryset.query.sql_with_params()
    if connection.vendor == "postgresql":
        sql += " FOR KEY SHARE"
    return sql, params


def closed_articles(article_ids) -> dict[int, str]:
    """Of `article_ids`, the adjudicated ones, as id -> title, their rows held FOR KEY
    SHARE (see _lock_sql) until the transaction ends: for a bulk writer (the JSONL
    restore), which refuses rows on closed articles whoever restores them."""
    closed = {}
    ids = list(article_ids)
    for i in range(0, len(ids), 900):  # SQLite caps the parameters of one query
        sql, params = _lock_sql(
            Article.objects.filter(pk__in=ids[i : i + 900])
            .order_by("pk")
            .values_list("pk", "title", "adjudicated_at")
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            closed.update((pk, title) for pk, title, at in cursor.fetchall() if at is not None)
    return closed


def require_open(*, by, sentence_id=None, article_id=None) -> None:
    """Refuse (ArticleClosed) a change by a non-editor to an adjudicated article.

    Called first in every annotation and boundary write, before the sentence locks
    (annotations/locks.py: the article comes after the sources and before the sentences):
    closing writes decisions on the sentences while holding the article.
    """
    if article_id is None:
        article_id = Subquery(Sentence.objects.filter(pk=sentence_id).values("article_id"))
    sql, params = _lock_sql(
        Article.objects.filter(pk=article_id).order_by().values_list("adjudicated_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is not None and row[0] is not None and not is_editor(by):
        raise ArticleClosed()
