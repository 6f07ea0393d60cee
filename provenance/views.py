from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from .models import Article, Source


@login_required
def article_detail(request, pk):
    return redirect(get_object_or_404(Article.objects.only("pk"), pk=pk))


@login_required
def source_detail(request, slug):
    source = get_object_or_404(Source.objects.prefetch_related("aliases"), slug=slug)
    return render(request, "provenance/source_detail.html", {"source": source})
