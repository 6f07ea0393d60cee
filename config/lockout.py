"""The page a throttled sign-in gets (django-axes calls this on a locked-out attempt)."""

from django.conf import settings
from django.shortcuts import render


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(request, credentials, *args, **kwargs):
    return render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": cooloff_minutes()},
        status=429,
    )
