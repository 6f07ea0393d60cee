from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect

from .models import Article


@login_required
def article_detail(request, pk):
    return redirect(get_object_or_404(Article.objects.only("pk"), pk=pk))
