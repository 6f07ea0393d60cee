"""The signed-in user's own settings: their personal API token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from rest_framework.authtoken.models import Token


@transaction.atomic
def _token_replace(user) -> Token:
    """A new token for `user`; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@never_cache
@login_required
def token(request):
    """Create, replace or revoke the API token. The key is shown once, right after it is
    made, so it does not sit on a page anyone passing the screen can read later."""
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            new_key = _token_replace(request.user).key
        elif action == "revoke":
            deleted, _ = Token.objects.filter(user=request.user).delete()
            if deleted:
                messages.success(request, "Your API token was revoked; it no longer works.")
            return redirect("account-token")
        else:
            return HttpResponseBadRequest("Unknown action.")
    current = Token.objects.filter(user=request.user).first()
    return render(
        request, "account/token.html", {"token": current, "new_key": new_key}
    )
