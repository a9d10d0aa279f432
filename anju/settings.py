"""Anju settings. Everything comes from the environment; SQLite needs nothing set."""

import os
from pathlib import Path

from anju.lib import csp
from anju.lib.env import (
    ConfigError,
    check_secret_key,
    env_bool,
    env_int,
    env_list,
    kept_secret_key,
    parse_database_url,
    proxy_ssl_header,
    sqlite_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime files (SQLite database, task queue, uploads) live here unless told otherwise.
DATA_DIR = Path(os.environ.get("ANJU_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# SECRET_KEY signs sessions and derives every case's rating code (评价码) from its public tracking
# code, so a key anyone knows lets anyone rate any case. Production, and any setup with more than
# one host (where every host needs the same key), must set it; a single host without one keeps a
# random key of its own in the data directory.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if env_bool("ANJU_REQUIRE_SECRET_KEY", False) or os.environ.get("HUEY_REDIS_URL"):
        raise ConfigError("SECRET_KEY must be set (production settings, or more than one host)")
    SECRET_KEY = kept_secret_key(DATA_DIR / "secret_key")
check_secret_key(SECRET_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS. In production Anju is reached over HTTPS only (README, "Production"): cookies go over
# HTTPS only, http:// is redirected to https://, and browsers are told (HSTS) to use nothing else
# for a year. Off by default, so that the demo works on http://127.0.0.1; each setting can also be
# set on its own.
ANJU_HTTPS = env_bool("ANJU_HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", ANJU_HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", ANJU_HTTPS)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", ANJU_HTTPS)
# A load balancer's health check may ask over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if ANJU_HTTPS else 0)
if SECURE_HSTS_SECONDS < 0:
    raise ConfigError("SECURE_HSTS_SECONDS must be 0 (no HSTS) or more")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", ANJU_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", ANJU_HTTPS)
# Behind a proxy that terminates HTTPS, the header in which it says a request came over HTTPS
# ("X-Forwarded-Proto: https"). The proxy must set it itself, replacing what the client sent.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("ANJU_PROXY_SSL_HEADER", ""))

# The domain modules to run, each a Django app that declares itself to the module registry
# (``anju.cases.modules``; docs/adding-a-module.md). A county adds a module here, by the
# environment, without editing any file of Anju's.
ANJU_MODULES = env_list("ANJU_MODULES", ["anju.disputes", "anju.petitions", "anju.hazards", "anju.duty",
                                        "anju.warnings"])
if len(set(ANJU_MODULES)) != len(ANJU_MODULES) or not all(
        all(part.isidentifier() for part in module.split(".")) for module in ANJU_MODULES):
    raise ConfigError("ANJU_MODULES must list dotted Python module paths, each once")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    # Only for its templates and static files: the API documentation page then loads the Swagger
    # UI that django-ninja ships, from our own static files, instead of from a CDN.
    "ninja",
    "anju.geo",
    "anju.people",
    "anju.cases",
    "anju.notify",
    "anju.webhooks",
    "anju.open311",
    "anju.publicstats",
    *ANJU_MODULES,
    "anju.web",
    "anju.demo",
    "anju.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "anju.lib.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "anju.urls"
WSGI_APPLICATION = "anju.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anju.web.context.navigation",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": parse_database_url(os.environ["DATABASE_URL"], BASE_DIR)}
else:
    DATABASES = {"default": sqlite_database(DATA_DIR / "anju.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/work/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "anju" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static-collected"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Attachments: at most this many bytes each, and only these types (checked by content).
ANJU_ATTACHMENT_MAX_BYTES = env_int("ANJU_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ANJU_ATTACHMENT_MAX_BYTES + 1024 * 1024
# Duplicate candidates: same category, within this many metres and days.
ANJU_DUPLICATE_RADIUS_M = env_int("ANJU_DUPLICATE_RADIUS_M", 300)
ANJU_DUPLICATE_WINDOW_DAYS = env_int("ANJU_DUPLICATE_WINDOW_DAYS", 14)
# Map tiles. Empty: maps draw grid and township outlines on a plain background and need no network.
# Set to a tile server URL template ("https://tiles.example/{z}/{x}/{y}.png") where one is reachable.
ANJU_TILE_URL = os.environ.get("ANJU_TILE_URL", "")
ANJU_TILE_ATTRIBUTION = os.environ.get("ANJU_TILE_ATTRIBUTION", "")
# Anju's own address as people outside reach it ("https://anju.example.gov.cn"): links sent by
# SMS or e-mail (a warning's acknowledgement link) start with it. Empty: such links are paths.
ANJU_PUBLIC_URL = os.environ.get("ANJU_PUBLIC_URL", "").rstrip("/")
# The Content-Security-Policy header of every response (anju.lib.csp): everything from Anju itself,
# map tiles from the tile server.
CONTENT_SECURITY_POLICY = csp.policy(ANJU_TILE_URL)
# API tokens expire after this many days.
ANJU_TOKEN_DAYS = env_int("ANJU_TOKEN_DAYS", 30)
# Rate limits of the public pages per client address, "<count>/<period>" with the period in
# s, m or h: reports sent, and tracking-code lookups (with ratings and "not solved").
ANJU_REPORT_RATE = os.environ.get("ANJU_REPORT_RATE", "10/1h")
ANJU_TRACK_RATE = os.environ.get("ANJU_TRACK_RATE", "60/10m")
# Failed sign-ins (the sign-in page and POST /api/v1/auth/token) allowed per account and per
# client address before sign-in is refused for the rest of the window.
ANJU_SIGNIN_RATE = os.environ.get("ANJU_SIGNIN_RATE", "10/15m")
ANJU_SIGNIN_ADDRESS_RATE = os.environ.get("ANJU_SIGNIN_ADDRESS_RATE", "30/15m")
# Behind reverse proxies: how many of them append to X-Forwarded-For. 0 (the default) uses
# REMOTE_ADDR only, since the header is otherwise whatever the client says.
ANJU_TRUSTED_PROXY_HOPS = env_int("ANJU_TRUSTED_PROXY_HOPS", 0)
# Excel exports of up to this many cases are answered at once; larger ones are written in the background.
ANJU_EXPORT_INLINE_MAX_ROWS = env_int("ANJU_EXPORT_INLINE_MAX_ROWS", 2000)

# Notifications to reporters and staff. "console" writes them to the log (the demo); "smtp" sends
# e-mail through EMAIL_HOST and text messages to the SMS gateway hook. Failed deliveries are
# retried with growing delays up to ANJU_NOTIFY_MAX_ATTEMPTS times, then shown as failed.
ANJU_NOTIFY_BACKEND = os.environ.get("ANJU_NOTIFY_BACKEND", "console")
if ANJU_NOTIFY_BACKEND not in ("console", "smtp"):
    raise ConfigError("ANJU_NOTIFY_BACKEND must be console or smtp")
ANJU_NOTIFY_MAX_ATTEMPTS = env_int("ANJU_NOTIFY_MAX_ATTEMPTS", 5)
# An HTTP endpoint of the county's SMS gateway: Anju POSTs {"phone": ..., "text": ...} as JSON.
ANJU_SMS_HOOK_URL = os.environ.get("ANJU_SMS_HOOK_URL", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "anju@localhost")

# Webhooks to other county systems: attempts per delivery (with growing delays) and the
# time each attempt may take.
ANJU_WEBHOOK_MAX_ATTEMPTS = env_int("ANJU_WEBHOOK_MAX_ATTEMPTS", 8)
ANJU_WEBHOOK_TIMEOUT = env_int("ANJU_WEBHOOK_TIMEOUT", 10)

# Open311 GeoReport v2: the jurisdiction_id clients may send (empty or this value).
ANJU_OPEN311_JURISDICTION = os.environ.get("ANJU_OPEN311_JURISDICTION", "anju.local")

# Disputes: follow-up visits (回访) this many days after a mediation agreement takes effect or
# mediation ends otherwise; hours before a screening report is due when the sweep warns.
_follow_up_days = env_list("ANJU_DISPUTE_FOLLOW_UP_DAYS", ["15", "90"])
ANJU_DISPUTE_FOLLOW_UP_DAYS = sorted({int(d) for d in _follow_up_days if d.isdigit()})
if len(ANJU_DISPUTE_FOLLOW_UP_DAYS) != len(set(_follow_up_days)) or any(
        not 1 <= d <= 3660 for d in ANJU_DISPUTE_FOLLOW_UP_DAYS):
    raise ConfigError("ANJU_DISPUTE_FOLLOW_UP_DAYS must list whole numbers of days from 1 to 3660")
ANJU_SCREENING_WARN_HOURS = env_int("ANJU_SCREENING_WARN_HOURS", 48)

# Cache (rate limits on the public pages): files in DATA_DIR, shared by every web process on the
# machine; Redis when several machines serve the pages.
if os.environ.get("CACHE_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["CACHE_REDIS_URL"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(DATA_DIR / "cache")}}

# Background work. SQLite storage by default; Redis when several machines share the work.
_redis_url = os.environ.get("HUEY_REDIS_URL", "")
if _redis_url:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "anju",
        "url": _redis_url,
        "immediate": env_bool("HUEY_IMMEDIATE", False),
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "anju",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", False),
    }
HUEY["consumer"] = {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "anju": {"handlers": ["console"], "level": os.environ.get("ANJU_LOG_LEVEL", "INFO")},
    },
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"
