from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Article, Source


@login_required
def article_list(request):
    articles = Article.objects.with_counts().select_related("publisher")
    page = Paginator(articles, 25).get_page(request.GET.get("page"))
    return render(request, "provenance/article_list.html", {"page": page})


@login_required
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.select_related("publisher"), pk=pk)
    sentences = article.sentences.all()
    return render(
        request, "provenance/article_detail.html", {"article": article, "sentences": sentences}
    )


@login_required
def source_detail(request, slug):
    source = get_object_or_404(Source.objects.prefetch_related("aliases"), slug=slug)
    return render(request, "provenance/source_detail.html", {"source": source})
