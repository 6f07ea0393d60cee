import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def freeze_startup_heap():
    """Move what start-up built (Django, the apps, every view module) out of the garbage
    collector's sight.

    A full collection walks every tracked object; with the start-up heap in it (some
    150,000 objects), one in every ten or so requests of the long article's workspace or
    adjudication page paid 100-250 ms for it: the pages' p95. Frozen objects are never
    walked (nor freed: they live as long as the process anyway), so a full collection
    walks only what requests made. gc.freeze() is what the gc module's documentation
    offers for this; the URLconf is loaded first so the view modules are in the frozen part.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the view modules)
    gc.collect()
    gc.freeze()


freeze_startup_heap()
