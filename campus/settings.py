"""Settings of Campus.

Every deploy-time choice comes from the environment. Defaults are the safe
production ones (DEBUG off, secure cookies on); `make demo` relaxes them with
CAMPUS_DEMO=1. DATABASE_URL selects PostgreSQL; without it Campus runs on the
embedded SQLite database in var/.
"""

import os
import sys
from pathlib import Path

import dj_database_url
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
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "django_filters",
    "axes",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
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

# Failed logins: after 5 failures for one e-mail from one address, wait 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("CAMPUS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
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

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries are installed by npm (package.json); only the ones pages use
# are published under /static/vendor/<package>/.
FRONTEND_PACKAGES = ["htmx.org", "leaflet", "leaflet.markercluster"]
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
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Without collectstatic (tests, debug) whitenoise looks files up on each request.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# Uploads: images are checked by content in the forms; this caps the request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
CAMPUS_MAX_IMAGE_BYTES = 2 * 1024 * 1024

# The progress of running imports: files under var/, shared by the web and the
# worker processes (put var/ on a shared volume when they run on several machines).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "imports": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "cache" / "imports",
    },
}
# Files uploaded for import (the national Sirene stock is several GB).
CAMPUS_MAX_IMPORT_BYTES = int(
    os.environ.get("CAMPUS_MAX_IMPORT_BYTES", str(2 * 1024**3))
)

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

# Background work: the database queue by default (run `manage.py db_worker`);
# CAMPUS_TASKS_BACKEND switches to another backend, such as the immediate one.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "CAMPUS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
    }
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
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
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "campus.profiles.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("CAMPUS_LOG_LEVEL", "WARNING"),
    },
}
CAMPUS_SITE_URL = os.environ.get("CAMPUS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
