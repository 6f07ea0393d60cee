from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from .models import Article, Sentence, Source


@login_required
def article_detail(request, pk):
    return redirect(get_object_or_404(Article.objects.only("pk"), pk=pk))


@login_required
def source_detail(request, slug):
    """A source's record: rating and rationale, aliases, what it published, who cites it."""
    from annotations import labels
    from annotations.models import Annotation, Label
    from annotations.workflow import label_mix

    source = get_object_or_404(
        Source.objects.select_related("reliability_set_by").prefetch_related("aliases"),
        slug=slug,
    )
    published = source.published_articles.order_by("-published_on", "-created_at")[:50]
    citing = (
        Sentence.objects.filter(
            annotations__source=source, annotations__deleted_at__isnull=True,
            annotations__label=Label.CITED_SOURCE,
        )
        .distinct()
        .select_related("article")
        .prefetch_related(
            Prefetch(
                "annotations",
                queryset=Annotation.objects.live().select_related("reviewer", "source"),
                to_attr="live_annotations",
            )
        )
        .order_by("article__title", "position")
    )
    page = Paginator(citing, 25).get_page(request.GET.get("page"))
    mix = label_mix(source)
    return render(request, "provenance/source_detail.html", {
        "source": source,
        "published": published,
        "page": page,
        "label_mix": [(labels.info(label), n) for label, n in mix.items()],
        "mix_total": sum(mix.values()),
    })
