"""Settings of Campus.

Every deploy-time choice comes from the environment. Defaults are the safe
production ones (DEBUG off, secure cookies on); `make demo` relaxes them with
CAMPUS_DEMO=1. DATABASE_URL selects PostgreSQL; without it Campus runs on the
embedded SQLite database in var/.
"""

import base64
import hashlib
import ipaddress
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CAMPUS_VAR_DIR", BASE_DIR / "var"))

DEMO = env_flag("CAMPUS_DEMO")
DEBUG = env_flag("DJANGO_DEBUG", default=False)
TESTING = env_flag("CAMPUS_TESTING") or "pytest" in sys.modules
# The demo, development and the test suite run over plain http on localhost.
LOCAL = DEMO or DEBUG or TESTING

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not LOCAL:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set in production (or CAMPUS_DEMO=1 for the demo)."
        )
    SECRET_KEY = "campus-insecure-key-for-demo-and-tests-only-" + "x" * 20

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEMO or DEBUG) else ""
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "django_filters",
    "axes",
    "csp",
    "django_ratelimit",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "campus.accounts",
    "campus.places",
    "campus.profiles",
    "campus.network",
    "campus.observatory",
    "campus.opendata",
    "campus.trainings",
    "campus.trades",
    "campus.outreach",
    "campus.agenda",
    "campus.news",
    "campus.offers",
    "campus.newsletter",
    "campus.needs",
    "campus.surveys",
    "campus.talent",
    "campus.api",
    "campus.reports",
    "campus.operations",
    "django_countries",
    "campus.platforms",
    # After campus.api, whose templates/ninja/ overrides the Swagger UI page; in
    # INSTALLED_APPS so that ninja serves Swagger from our static files, not a CDN.
    "ninja",
    "corsheaders",
]

MIDDLEWARE = [
    # First and last (django-prometheus): every request is counted and timed, the
    # pages campus.page_cache answers included; by view once a view answers.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # One log line per request, with its id (campus/operations/logs.py).
    "campus.operations.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer early: the API's CORS headers and preflights.
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "campus.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "campus.page_cache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "campus.rules.RuleErrorMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "campus.urls"
WSGI_APPLICATION = "campus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "campus" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "campus.profiles.context_processors.campus",
            ],
            # One way to write dates for people, in every template (campus/dates.py).
            "builtins": [
                "campus.profiles.templatetags.dates",
                "campus.profiles.templatetags.richtext",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'campus.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite creates its file, not the folder: a fresh checkout has no var/ yet.
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The campus team's permissions in /gestion/admin/ (see the module).
    "campus.accounts.backends.CampusTeamBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "network:partner_space"
LOGOUT_REDIRECT_URL = "profiles:home"

# Failed logins lock an account after 5 failures, from any address, for 15 minutes
# (django-axes), and lock an address after 30 failures on any accounts within 15
# minutes (django-ratelimit, campus.accounts.views): a school or a company behind
# one address is not locked out by one person's mistakes. Axes has one threshold
# for all its lockout parameters, hence the second library for the higher one;
# its warning axes.W006 (no ip_address among them) is silenced below for that.
AXES_FAILURE_LIMIT = int(os.environ.get("CAMPUS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username"]]
CAMPUS_LOGIN_FAILURES_PER_ADDRESS = int(
    os.environ.get("CAMPUS_LOGIN_FAILURES_PER_ADDRESS", "30")
)
CAMPUS_LOGIN_FAILURE_WINDOW = "15m"
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Successful logins are not logged: only failures are kept, to throttle them.
AXES_DISABLE_ACCESS_LOG = True
# Personal data kept after it has served (see accounts.services.purge_personal_data).
CAMPUS_PROPOSAL_RETENTION_DAYS = int(
    os.environ.get("CAMPUS_PROPOSAL_RETENTION_DAYS", "90")
)
# Who was asked, opened and answered a needs survey, kept after its closing day.
CAMPUS_SURVEY_RETENTION_DAYS = int(
    os.environ.get("CAMPUS_SURVEY_RETENTION_DAYS", "183")
)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries are installed by npm (package.json); only the ones pages use
# are published under /static/vendor/<package>/.
FRONTEND_PACKAGES = [
    "@fontsource-variable/source-sans-3",
    "htmx.org",
    "leaflet",
    "leaflet.markercluster",
]
STATICFILES_DIRS = [BASE_DIR / "campus" / "static"] + [
    (f"vendor/{package}", BASE_DIR / "node_modules" / package)
    for package in FRONTEND_PACKAGES
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("CAMPUS_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}


# Uploaded files in an S3-compatible object store (campus/storage.py), shared by all
# app servers and workers, with CAMPUS_S3_BUCKET (or CAMPUS_STORAGE=s3); without
# it, under MEDIA_ROOT. Credentials left unset come from boto3's usual sources
# (AWS_* variables, instance role).
def s3_storage_settings(environ) -> dict:
    """The default storage in the bucket that `environ`'s CAMPUS_S3_* name."""
    if not environ.get("CAMPUS_S3_BUCKET"):
        raise ImproperlyConfigured("CAMPUS_STORAGE=s3 needs CAMPUS_S3_BUCKET.")
    return {
        "BACKEND": "campus.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": environ["CAMPUS_S3_BUCKET"],
            "endpoint_url": environ.get("CAMPUS_S3_ENDPOINT_URL") or None,
            "access_key": environ.get("CAMPUS_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("CAMPUS_S3_SECRET_ACCESS_KEY") or None,
            "region_name": environ.get("CAMPUS_S3_REGION") or None,
            # Django's rule: a new upload never replaces another file of that name.
            "file_overwrite": False,
            # A file read through Django is downloaded first: to disk past 2 MB.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }


CAMPUS_STORAGE = os.environ.get(
    "CAMPUS_STORAGE", "s3" if os.environ.get("CAMPUS_S3_BUCKET") else "filesystem"
)
if CAMPUS_STORAGE == "s3":
    STORAGES["default"] = s3_storage_settings(os.environ)
elif CAMPUS_STORAGE != "filesystem":
    raise ImproperlyConfigured("CAMPUS_STORAGE is filesystem or s3.")
# The public images are sent by the site (campus.profiles.views.public_media) in the
# demo and from a bucket; otherwise the reverse proxy serves them from MEDIA_ROOT.
CAMPUS_SERVES_MEDIA = DEBUG or DEMO or CAMPUS_STORAGE == "s3"
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Without collectstatic (tests, debug) whitenoise looks files up on each request.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# Uploads: images are checked by content in the forms; this caps the request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
CAMPUS_MAX_IMAGE_BYTES = 2 * 1024 * 1024
# Attachments of applications and reports, rules of a call (campus/documents.py).
CAMPUS_MAX_DOCUMENT_BYTES = int(
    os.environ.get("CAMPUS_MAX_DOCUMENT_BYTES", str(10 * 1024 * 1024))
)

# Caches. By default each in its process, but for the progress of running imports:
# files under var/, shared by the web and worker processes (put var/ on a shared
# volume when they run on several machines). With CAMPUS_REDIS_URL every cache is
# in that Redis database, shared by all app servers and workers: rate-limit counts,
# import progress, public pages and their parts (each alias under its own key
# prefix).
CAMPUS_REDIS_URL = os.environ.get("CAMPUS_REDIS_URL", "")
# A pytest process keeps its caches to itself even when CAMPUS_REDIS_URL is set for
# the task queue's tests: pytest-xdist workers would otherwise share rate-limit
# counts and empty each other's caches, and Redis's FLUSHDB (a cache's clear())
# would empty the queue. The app servers that tests start use Redis as in production.
if CAMPUS_REDIS_URL and "pytest" not in sys.modules:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CAMPUS_REDIS_URL,
            "KEY_PREFIX": f"campus.{alias}",
        }
        for alias in ("default", "fragments", "imports", "pages", "ratelimit")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "imports": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache" / "imports",
        },
        # Anonymous public pages (campus/page_cache.py), in each process's memory.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "campus-pages",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
        # Parts of pages under the same stamp (campus/fragments.py): home sections,
        # filter choices, the lists' results by address.
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "campus-fragments",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
        # Counts of the rate limits: in each process's memory (see docs/operators.md).
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "campus-ratelimit",
        },
    }
# Sessions stay in the database (Django's default engine), which every app server
# already shares: a Redis restart or eviction logs nobody out, and the login that
# creates a session writes to the database anyway (last_login, django-axes).

# Public forms (teacher requests, proposals, password reset) accept this many POSTs
# per client address, and per recipient e-mail address, in a window (campus.public_forms).
CAMPUS_PUBLIC_FORM_RATE_PER_ADDRESS = os.environ.get(
    "CAMPUS_PUBLIC_FORM_RATE_PER_ADDRESS", "25/h"
)
CAMPUS_PUBLIC_FORM_RATE_PER_RECIPIENT = os.environ.get(
    "CAMPUS_PUBLIC_FORM_RATE_PER_RECIPIENT", "3/h"
)
# Behind a reverse proxy, the header where it puts the client's address (X-Real-IP):
# without it every visitor would share the proxy's address and its limits.
CAMPUS_CLIENT_IP_HEADER = os.environ.get("CAMPUS_CLIENT_IP_HEADER", "")
# The open-data API (campus/api/): any site may read it from a browser, without
# credentials, and each client address may send this many requests per window.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
CAMPUS_API_RATE = os.environ.get("CAMPUS_API_RATE", "120/m")
# Downloads of whole lists (CSV, XLSX) per client address: a national export is heavy.
CAMPUS_DOWNLOAD_RATE_PER_ADDRESS = os.environ.get(
    "CAMPUS_DOWNLOAD_RATE_PER_ADDRESS", "60/h"
)
RATELIMIT_IP_META_KEY = "campus.public_forms.client_ip"
AXES_CLIENT_IP_CALLABLE = "campus.public_forms.client_ip"
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_EXCEPTION_CLASS = "campus.public_forms.TooManyRequests"
# Logins are limited per address by campus.accounts.views (see AXES_LOCKOUT_PARAMETERS).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if CACHES["ratelimit"]["BACKEND"].endswith("LocMemCache"):
    # django-ratelimit wants a cache shared by all processes (memcached, Redis);
    # the local-memory one counts per process, which docs/operators.md states.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
elif CACHES["ratelimit"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # django-ratelimit names django-redis only, older than Django's own RedisCache;
    # the latter's add() and incr() are Redis's SET NX and INCR, atomic as it needs.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001"]

# Files uploaded for import (the national Sirene stock is several GB).
CAMPUS_MAX_IMPORT_BYTES = int(
    os.environ.get("CAMPUS_MAX_IMPORT_BYTES", str(2 * 1024**3))
)
# What a ZIP archive may hold once unzipped (the national Sirene stock is ~6 GB from
# a ~2 GB archive), and how much more than its compressed size: published CSV and XML
# compress 3 to 10 times, a zip bomb a thousand times.
CAMPUS_MAX_UNZIPPED_BYTES = int(
    os.environ.get("CAMPUS_MAX_UNZIPPED_BYTES", str(12 * 1024**3))
)
CAMPUS_MAX_ZIP_RATIO = int(os.environ.get("CAMPUS_MAX_ZIP_RATIO", "100"))
# A running import publishes its progress (its heartbeat) every half second: one
# silent for this many seconds was killed with its worker and can be restarted.
CAMPUS_IMPORT_STALE_AFTER = int(os.environ.get("CAMPUS_IMPORT_STALE_AFTER", "300"))

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEMO or DEBUG)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("DJANGO_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "campus@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The newsletter (campus.newsletter): a confirmation link lasts this many days, and
# the worker sends an issue in batches over one SMTP connection each, at most this
# many messages per second (0: no pause), as the mail provider's limits allow. A
# sending without news (its heartbeat) for STALE_AFTER seconds was interrupted.
CAMPUS_NEWSLETTER_CONFIRMATION_DAYS = int(
    os.environ.get("CAMPUS_NEWSLETTER_CONFIRMATION_DAYS", "7")
)
CAMPUS_NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS = int(
    os.environ.get("CAMPUS_NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS", "30")
)
CAMPUS_NEWSLETTER_BATCH_SIZE = int(os.environ.get("CAMPUS_NEWSLETTER_BATCH_SIZE", "50"))
CAMPUS_NEWSLETTER_RATE_PER_SECOND = float(
    os.environ.get("CAMPUS_NEWSLETTER_RATE_PER_SECOND", "5")
)
CAMPUS_NEWSLETTER_STALE_AFTER = int(
    os.environ.get("CAMPUS_NEWSLETTER_STALE_AFTER", "300")
)
# The mailbox named in List-Unsubscribe beside the web link, for mail clients that
# unsubscribe by e-mail; the team reads it (no robot answers it).
CAMPUS_NEWSLETTER_UNSUBSCRIBE_MAILTO = os.environ.get(
    "CAMPUS_NEWSLETTER_UNSUBSCRIBE_MAILTO", DEFAULT_FROM_EMAIL
)

# Background work, run by `manage.py task_worker` (as many as needed). The queue
# is the database (default) or Redis through RQ (CAMPUS_TASKS_BACKEND=redis, with
# CAMPUS_REDIS_URL); a dotted path selects any other backend, such as the
# immediate one.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
}
_tasks_backend = os.environ.get("CAMPUS_TASKS_BACKEND", "database")
TASKS = {
    "default": {"BACKEND": TASKS_BACKENDS.get(_tasks_backend, _tasks_backend)},
}
if TASKS["default"]["BACKEND"] == TASKS_BACKENDS["redis"]:
    if not os.environ.get("CAMPUS_REDIS_URL"):
        raise ImproperlyConfigured(
            "CAMPUS_TASKS_BACKEND=redis needs CAMPUS_REDIS_URL, such as "
            "redis://127.0.0.1:6379/0."
        )
    INSTALLED_APPS.append("django_rq")
    # No time limit: RQ's default of 180 s would kill a long import or sending,
    # which keep their own heartbeats (see CAMPUS_IMPORT_STALE_AFTER).
    RQ_QUEUES = {
        "default": {"URL": os.environ["CAMPUS_REDIS_URL"], "DEFAULT_TIMEOUT": -1}
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer's probe and Prometheus reach the app servers in plain http.
SECURE_REDIRECT_EXEMPT = [r"^sante/$", r"^metrics$"]
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=not LOCAL)
SESSION_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", default=not LOCAL)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", "0" if LOCAL else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# The map's tile server, such as https://tile.openstreetmap.org/{z}/{x}/{y}.png with
# the attribution its licence asks for. Unset, the map shows the offline outlines of
# the région only, and no visitor's browser calls a third party.
CAMPUS_MAP_TILES_URL = os.environ.get("CAMPUS_MAP_TILES_URL", "")
CAMPUS_MAP_TILES_ATTRIBUTION = os.environ.get("CAMPUS_MAP_TILES_ATTRIBUTION", "")


def image_sources(tiles_url: str) -> list[str]:
    """The CSP's img-src: the site, data: (Leaflet blanks unloaded tiles with one)
    and the tile server's origin when there is one ({s} subdomains as a wildcard)."""
    sources = [SELF, "data:"]
    if tiles_url:
        parts = urlsplit(tiles_url.replace("{s}", "*"))
        sources.append(f"{parts.scheme}://{parts.netloc}")
    return sources


# The one inline script, first in every page's head: it marks the page as run with
# JavaScript before the first paint, so that campus.css folds the menu and the
# filters at once instead of after campus.js loads (a layout shift). Allowed by
# its hash, computed here from the very text base.html prints.
CAMPUS_JS_FLAG_SCRIPT = 'document.documentElement.classList.add("js")'
_js_flag_digest = hashlib.sha256(CAMPUS_JS_FLAG_SCRIPT.encode()).digest()
CAMPUS_JS_FLAG_HASH = f"'sha256-{base64.b64encode(_js_flag_digest).decode()}'"

X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only the site's own scripts and styles, no
# inline code. The embeds alone (map, agenda, trainings) may be framed, by any site
# (campus.embeds.embeddable); everything else, like X-Frame-Options, none.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, CAMPUS_JS_FLAG_HASH],
        # The one inline style is the 500 page's, which must not depend on static
        # files; its hash is checked by campus/profiles/tests/test_security_headers.py.
        "style-src": [SELF, "'sha256-NjgZ1mQp2wv8rCj6uszTTJ5Ve12Rm1SNleIDw4dS0Lk='"],
        "img-src": image_sources(CAMPUS_MAP_TILES_URL),
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CSRF_FAILURE_VIEW = "campus.profiles.views.csrf_failure"

# CAMPUS_LOG_FORMAT=json: one JSON object per line, for a log collector
# (campus/operations/logs.py); plain text otherwise.
CAMPUS_LOG_FORMAT = os.environ.get("CAMPUS_LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
        },
    },
    "filters": {"request_id": {"()": "campus.operations.logs.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            **({"formatter": "json"} if CAMPUS_LOG_FORMAT == "json" else {}),
        }
    },
    # WeasyPrint tells each step of every PDF at INFO, the level of request lines.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("CAMPUS_LOG_LEVEL", "WARNING"),
    },
}
# /sante/ fails (503) when the disk of var/ or of the uploaded files has less room.
CAMPUS_HEALTH_MIN_FREE_DISK_MB = int(
    os.environ.get("CAMPUS_HEALTH_MIN_FREE_DISK_MB", "1024")
)
# Who may read /metrics: the bearer of the token when one is set, otherwise these
# client addresses or networks (campus/operations/metrics.py).
CAMPUS_METRICS_TOKEN = os.environ.get("CAMPUS_METRICS_TOKEN", "")
CAMPUS_METRICS_ALLOWED_IPS = env_list("CAMPUS_METRICS_ALLOWED_IPS", "127.0.0.1,::1")
for _network in CAMPUS_METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"CAMPUS_METRICS_ALLOWED_IPS: {error}") from None
# Compress pages in Python only where the reverse proxy does not (docs/operators.md).
CAMPUS_COMPRESS_HTML = env_flag("CAMPUS_COMPRESS_HTML")
# How long an anonymous public page is kept in memory (campus/page_cache.py); every
# write retires it sooner. 0: off, as in the test suite, whose tests of the cache
# turn it on.
CAMPUS_PAGE_CACHE_SECONDS = int(
    os.environ.get("CAMPUS_PAGE_CACHE_SECONDS", "0" if TESTING else "60")
)
CAMPUS_SITE_URL = os.environ.get("CAMPUS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The stable part of iCalendar UIDs and newsletter List-Id headers.
CAMPUS_SITE_DOMAIN = urlsplit(CAMPUS_SITE_URL).hostname or "localhost"
# Backups (campus/operations/backups.py): where `manage.py backup` writes by default
# (best on another disk or a mounted remote volume), and how many the scheduled
# backup keeps.
CAMPUS_BACKUP_DIR = Path(os.environ.get("CAMPUS_BACKUP_DIR", VAR_DIR / "backups"))
CAMPUS_BACKUP_KEEP = int(os.environ.get("CAMPUS_BACKUP_KEEP", "14"))
