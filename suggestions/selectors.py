"""Reads for suggestions: what a reviewer is offered on an article."""

from django.db.models import F

from .models import ArticleSuggestionState, Suggestion
from .services import suggestions_enabled_for


def suggestions_for_reviewer(*, article, reviewer):
    """The suggestions the reviewer sees on the article: none if they switched them off;
    else those of unmuted rules they have not answered, in reading order."""
    if not suggestions_enabled_for(reviewer):
        return Suggestion.objects.none()
    return (
        Suggestion.objects.visible().undecided_by(reviewer)
        .filter(article=article)
        .select_related("source")
        .order_by("sentence__position", "label", "id")
    )


def suggestions_pending(*, article) -> bool:
    """Asked for and not computed yet: the workspace says they are being computed."""
    return ArticleSuggestionState.objects.filter(
        pk=article.pk, computed__lt=F("requested")).exists()
