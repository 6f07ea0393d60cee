"""Settings for Provenance. Every value that differs between machines comes from the environment."""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.log import DEFAULT_LOGGING

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_local_env(path):
    """Read KEY=VALUE lines from an ignored .env file; the real environment wins.

    The quick start writes DEBUG=true here, so manage.py works in a development checkout
    without exporting anything, while a server started without the file keeps DEBUG off.
    """
    if not path.exists():
        return
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip())


if os.environ.get("PROVENANCE_IGNORE_DOTENV", "") != "1":
    _load_local_env(BASE_DIR / ".env")


def env_bool(name, default=False):
    """Read a boolean, refusing values that are neither clearly true nor clearly false.

    A typo such as DEBUG=ture must not silently leave DEBUG on in production.
    """
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false, 1/0, yes/no).")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _secret_key(debug):
    """Use SECRET_KEY from the environment; in development, one generated once per checkout.

    The generated key lives in an ignored file so sessions survive restarts of the dev
    server. Without DEBUG a missing key is an error: a guessable key would let anyone
    forge sessions.
    """
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not debug:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = _secret_key(DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "provenance.apps.ProvenanceConfig",
    "annotations.apps.AnnotationsConfig",
    "suggestions.apps.SuggestionsConfig",
    "review.apps.ReviewConfig",
    "crossclaims.apps.CrossclaimsConfig",
    "exports.apps.ExportsConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.BadInputMiddleware",
    # After authentication and messages: readers see no workspace or review pages.
    "config.middleware.ReaderPagesMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets reviewers read while another one writes; IMMEDIATE takes the write lock at
    # BEGIN, so two concurrent writers queue on busy_timeout instead of one failing with
    # "database is locked" when it upgrades a read lock halfway through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # The test database is a file beside the database, not Django's in-memory default, so
    # that a task worker the tests start (another process) can open it.
    _name = str(DATABASES["default"]["NAME"])
    if _name and ":memory:" not in _name and not _name.startswith("file:"):
        _path = Path(_name)
        DATABASES["default"]["TEST"] = {"NAME": str(_path.with_name(f"test-{_path.name}"))}

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The app's queries are short index walks under a LIMIT. Parallel workers took ~20 ms
    # to start (more than the walk itself: claims pages at 1M annotations went from 30 to
    # 15 ms without them) while competing with the web workers for the same cores.
    # PG_PARALLEL_WORKERS=2 gives them back, e.g. on a large dedicated database server.
    parallel = env_int("PG_PARALLEL_WORKERS", 0)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={parallel}"
    )

# Shared by every worker and instance (the sign-in throttle counts here); the table comes
# with the migrations. A deployment with Redis can point CACHES at it instead.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "provenance_cache",
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "config.staticfiles.StaticFilesStorage"
        )
    },
}
# Tests and the dev server run without collectstatic; WhiteNoise then finds files through
# the finders instead of STATIC_ROOT.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=DEBUG)

# Sign-in throttling (django-axes): after SIGNIN_FAILURE_LIMIT wrong passwords for one
# account, or from one client address, further attempts from there are refused (429) for
# SIGNIN_COOLOFF_MINUTES, on the sign-in page, the admin and the token endpoint alike.
# Attempts live in the database, so every app server counts the same ones.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "provenance.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "config.lockout.locked_out"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Security headers. HTTPS-only settings depend on the host, so they are opt-in.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Uploads and imported files larger than this are refused with a clear message.
PROVENANCE_MAX_IMPORT_BYTES = env_int("PROVENANCE_MAX_IMPORT_BYTES", 2 * 1024 * 1024)
# Partials that apps above the annotating layer add to the reviewer workspace's page. The
# workspace (annotations) must not import them; this top layer wires them in.
WORKSPACE_EXTENSIONS = ["suggestions/_workspace.html"]
# Suggestions are computed for each article right after its import commits (suggestions/
# receivers.py). Off for bulk loads that backfill later with `manage.py compute_suggestions`.
PROVENANCE_SUGGESTIONS_ON_IMPORT = env_bool("PROVENANCE_SUGGESTIONS_ON_IMPORT", default=True)
# Until an article is adjudicated, a reviewer sees only their own annotations on it (the
# workspace, the claims, the exports), so agreement measures judgement, not imitation.
# Off for teams that review openly; an editor may override it per article.
PROVENANCE_INDEPENDENT_REVIEW = env_bool("PROVENANCE_INDEPENDENT_REVIEW", default=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = PROVENANCE_MAX_IMPORT_BYTES + 64 * 1024
# Annotation exports (JSONL) restored through the API; the command has no limit.
PROVENANCE_MAX_ANNOTATION_IMPORT_BYTES = env_int(
    "PROVENANCE_MAX_ANNOTATION_IMPORT_BYTES", 200 * 1024 * 1024
)

# Import by URL (provenance/ingestion/fetch.py). Pages on private, loopback and
# link-local addresses are refused unless this is on: a URL typed by an editor must not
# reach the database server, a cloud metadata endpoint or an admin page on the intranet.
# The tests turn it on to fetch from a local server.
PROVENANCE_FETCH_ALLOW_PRIVATE = env_bool("PROVENANCE_FETCH_ALLOW_PRIVATE", default=False)
PROVENANCE_FETCH_TIMEOUT = env_int("PROVENANCE_FETCH_TIMEOUT", 20)  # seconds, whole fetch
# A fetched page's HTML, decompressed (news pages carry megabytes of markup around a few
# kilobytes of article); the article itself must still fit PROVENANCE_MAX_IMPORT_BYTES.
PROVENANCE_FETCH_MAX_BYTES = env_int("PROVENANCE_FETCH_MAX_BYTES", 10 * 1024 * 1024)
PROVENANCE_FETCH_MAX_URLS = env_int("PROVENANCE_FETCH_MAX_URLS", 500)  # per request

# Background work (URL imports) runs on a task queue kept in the database: the same
# SQLite file or PostgreSQL server as everything else, so no broker to run, and any number
# of workers (manage.py db_worker; scripts/start.sh and scripts/serve.sh start one).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Exported Web Annotations name themselves and their targets with absolute IRIs under this
# address; set, the API and export_annotations write the same bytes. Unset, the API uses
# the address each request came to and the command asks for --base-url: a made-up default
# (it was http://localhost:8000) put a wrong host into every id of every export.
PROVENANCE_PUBLIC_URL = os.environ.get("PROVENANCE_PUBLIC_URL", "").rstrip("/")

REST_FRAMEWORK = {
    # Token first: the first class names the WWW-Authenticate challenge, and without one
    # DRF answers an anonymous request with 403 instead of 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.ReadersOnlyRead",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ProvenanceAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.NumberedPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"token": env_list("TOKEN_THROTTLE_RATE", ["10/min"])[0]},
    # The same proxies as the sign-in throttle (provenance/clients.py): with none, the
    # client is REMOTE_ADDR, not whatever X-Forwarded-For claims.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Provenance API",
    "DESCRIPTION": "Annotated news claims, their sources and exports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema component per choice set, whichever field uses it.
    "ENUM_NAME_OVERRIDES": {
        "LabelEnum": "annotations.models.Label",
        "AnnotationStatusEnum": "annotations.models.Status",
        "SourceKindEnum": "provenance.models.SourceKind",
        "ReliabilityEnum": "provenance.models.Reliability",
        "ClaimKindEnum": "crossclaims.models.ClaimKind",
        "ClaimStatusEnum": "crossclaims.models.ClaimStatus",
        "ClaimRelationEnum": "crossclaims.models.Relation",
        "LinkDecisionEnum": "crossclaims.models.Decision",
    },
}

# Django's default config gives the "django" logger a console handler of its own (DEBUG
# only) and lets it propagate to the root one as well, so with DEBUG on every line it
# logged ("Not Found: /x") came out twice. Without handlers of its own it reaches the
# console once, through the root. Naming "django" here resets its children, so runserver's
# request lines (django.server) get Django's own handler and format back explicitly.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"django.server": DEFAULT_LOGGING["formatters"]["django.server"]},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": DEFAULT_LOGGING["handlers"]["django.server"],
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": DEFAULT_LOGGING["loggers"]["django.server"],
    },
}
