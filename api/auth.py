"""POST /api/auth/token/: username and password in, the user's API token out."""

from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView


class TokenView(APIView):
    """Exchange a username and password for the user's personal token (the same one the
    account page shows). Password guessing meets two limits: DRF's rate throttle per client
    address, and the sign-in page's lock (django-axes) per account and per client."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        summary="Get an API token",
        request=AuthTokenSerializer,
        responses=inline_serializer("Token", fields={"token": serializers.CharField()}),
    )
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        valid = serializer.is_valid()
        # The same lock as the sign-in page (django-axes), per account and per client: its
        # backend marks the request, and Django's authenticate() then answers "no user".
        if getattr(request, "axes_locked_out", False):
            raise Throttled(
                wait=settings.AXES_COOLOFF_TIME.total_seconds(),
                detail="Too many failed sign-ins for this account or from this address.",
            )
        if not valid:
            raise ValidationError(serializer.errors)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
