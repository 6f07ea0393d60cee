"""Who is asking: the client address that sign-in throttles count attempts by.

X-Forwarded-For is whatever the client wrote unless a proxy we run replaced or extended
it, so it is read only behind TRUSTED_PROXY_COUNT proxies, and then only the entry the
outermost of them added. Trusting the whole header let a password guesser send a random
address with every attempt and never be throttled.
"""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the address our outermost proxy saw."""
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    # Each of our proxies appends the address it received the request from; the first of
    # them (counting from the right) received it from the client.
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return forwarded[0] if forwarded else remote
