"""The one settings module. Everything that differs between machines comes from the environment."""

import socket
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str, map_tile_url, tile_origins

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "werkstatt.core",
    "werkstatt.accounts",
    "werkstatt.geo",
    "werkstatt.documents",
    "werkstatt.organizations",
    "werkstatt.meetings",
    "werkstatt.news",
    "werkstatt.projects",
    "werkstatt.portal",
    "werkstatt.office",
    "werkstatt.exports",
    "werkstatt.importers",
    "werkstatt.oparl",
    "werkstatt.search",
    "werkstatt.participation",
    "werkstatt.demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "werkstatt.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "werkstatt.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "werkstatt.core.pagecache.PageCacheMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "werkstatt" / "templates"],
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
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'werkstatt.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
# The cache shared by all app servers (public pages, werkstatt.core.pagecache): by default a table in the database
# (created by the migration core.0001_cache_table), so several servers need nothing else. CACHE_BACKEND and
# CACHE_LOCATION name another, e.g. django.core.cache.backends.redis.RedisCache and redis://host:6379/1 (needs the
# redis package). A per-process memory cache would leave other servers with stale pages: do not use one.
CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": env_str("CACHE_LOCATION", "werkstatt_cache"),
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20000)},
    }
}
# Public pages are kept this many seconds at most (0: not cached); every write makes them stale at once anyway.
# The bound is for what changes with time alone, such as "next session" on the home page.
WERKSTATT_PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# Each app process keeps copies of up to this many bytes of cached pages, checked against the shared generation on
# every request (werkstatt.core.pagecache.LocalCopies).
WERKSTATT_PAGE_CACHE_LOCAL_BYTES = env_int("PAGE_CACHE_LOCAL_MB", 32) * 1024 * 1024
# PostgreSQL compiles expensive queries to machine code (JIT) by default; for the short queries of web pages the
# compilation costs more than it saves (about 110 ms of a 145 ms search on the L data set, bench/RESULTS.md).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "office:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "werkstatt" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("kern", BASE_DIR / "node_modules" / "@kern-ux" / "native" / "dist"),
    ("leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("leaflet-markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Uploads (attachments of sessions): the largest file accepted. A larger one is measured, not stored
# (werkstatt.documents.uploads), and refused with "Die Datei ist größer als 50 MB.". A reverse proxy in
# front needs a body limit a little above this (nginx: client_max_body_size).
WERKSTATT_MAX_UPLOAD_MB = env_int("WERKSTATT_MAX_UPLOAD_MB", 50)
FILE_UPLOAD_HANDLERS = [
    "werkstatt.documents.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Uploads up to 5 MB are kept in memory while the request is read, larger ones go to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Form fields without the files: a long result of one agenda item is a few hundred kilobytes at most.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "werkstatt@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Background tiles of the project maps (docs/map.md). Empty (the default): no tiles, the maps draw the districts
# and municipalities from the project's own geodata and no page makes a request to another server. Otherwise a
# Leaflet URL template such as https://tiles.example.org/{z}/{x}/{y}.png; its attribution is shown as text.
MAP_TILE_URL = map_tile_url(env_str("MAP_TILE_URL", ""))
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")

# No inline scripts or styles anywhere: every script and stylesheet is a static file. Images only from here,
# and from the tile server if one is configured.
_IMG_SRC = " ".join(["'self'", "data:", *tile_origins(MAP_TILE_URL)])
CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'self'; style-src 'self'; img-src {_IMG_SRC}; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# The name of this app server in the readiness answer (/health/), so a proxy's or operator's check shows which
# server answered; by default the host name.
WERKSTATT_SERVER_NAME = env_str("WERKSTATT_SERVER_NAME", socket.gethostname())

# Where the platform is reached from outside: links in e-mails point here.
WERKSTATT_BASE_URL = env_str("WERKSTATT_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# The body every public page and the demo data belong to.
WERKSTATT_BODY_NAME = env_str("WERKSTATT_BODY_NAME", "Strukturentwicklung Lausitz")
# The licence of the platform's open data (exports, feeds, API; listed on /offene-daten/) and the source
# note re-users give. Reference data of others keeps its own licence (the BKG geodata: werkstatt/geo/source.py).
WERKSTATT_DATA_LICENCE_NAME = env_str(
    "WERKSTATT_DATA_LICENCE_NAME", "Datenlizenz Deutschland – Namensnennung – Version 2.0"
)
WERKSTATT_DATA_LICENCE_URL = env_str("WERKSTATT_DATA_LICENCE_URL", "https://www.govdata.de/dl-de/by-2-0")
WERKSTATT_DATA_ATTRIBUTION = env_str("WERKSTATT_DATA_ATTRIBUTION", WERKSTATT_BODY_NAME)
# Domain part of calendar UIDs (werkstatt-meeting-<pk>@<domain>): set it once per installation and never
# change it, or calendars that imported a session see its updates as new appointments.
WERKSTATT_ICAL_DOMAIN = env_str("WERKSTATT_ICAL_DOMAIN", "werkstatt.localhost")

# Background jobs (mails of the participation, docs/participation.md): Django's tasks API. The default keeps the
# queue in the database, so it needs no other server; `bin/werkstatt db-worker` (run by `make run`) works it off.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Participation (docs/participation.md): how long what is stored about a participant is kept, and the limits
# of the public forms. Every number is shown on the privacy page, which is generated from them.
PARTICIPATION_UNCONFIRMED_DAYS = env_int("PARTICIPATION_UNCONFIRMED_DAYS", 7)
PARTICIPATION_RETENTION_DAYS = env_int("PARTICIPATION_RETENTION_DAYS", 730)
PARTICIPATION_MYDATA_LINK_HOURS = env_int("PARTICIPATION_MYDATA_LINK_HOURS", 24)
# Per form: at most (per address, per IP address) submissions within PARTICIPATION_RATE_WINDOW_MINUTES.
PARTICIPATION_RATE_WINDOW_MINUTES = env_int("PARTICIPATION_RATE_WINDOW_MINUTES", 60)
PARTICIPATION_RATE_LIMITS = {
    "idea": (env_int("PARTICIPATION_RATE_IDEA_ADDRESS", 5), env_int("PARTICIPATION_RATE_IDEA_IP", 20)),
    "comment": (env_int("PARTICIPATION_RATE_COMMENT_ADDRESS", 10), env_int("PARTICIPATION_RATE_COMMENT_IP", 30)),
    "subscription": (
        env_int("PARTICIPATION_RATE_SUBSCRIPTION_ADDRESS", 10),
        env_int("PARTICIPATION_RATE_SUBSCRIPTION_IP", 30),
    ),
    "mydata": (env_int("PARTICIPATION_RATE_MYDATA_ADDRESS", 3), env_int("PARTICIPATION_RATE_MYDATA_IP", 10)),
    "report": (0, env_int("PARTICIPATION_RATE_REPORT_IP", 20)),
}
PARTICIPATION_MAX_TEXT_CHARS = env_int("PARTICIPATION_MAX_TEXT_CHARS", 5000)
PARTICIPATION_MAX_COMMENT_CHARS = env_int("PARTICIPATION_MAX_COMMENT_CHARS", 2000)
PARTICIPATION_MAX_COMMENT_LINKS = env_int("PARTICIPATION_MAX_COMMENT_LINKS", 2)
PARTICIPATION_MAX_ATTACHMENT_MB = env_int("PARTICIPATION_MAX_ATTACHMENT_MB", 5)
# Who answers questions about the participants' data: named on the privacy page (/datenschutz/).
WERKSTATT_PRIVACY_CONTACT = env_str("WERKSTATT_PRIVACY_CONTACT", DEFAULT_FROM_EMAIL)
# Finished background jobs (their rows in the queue table) are deleted after this many days by the retention job.
PARTICIPATION_JOB_RESULT_DAYS = env_int("PARTICIPATION_JOB_RESULT_DAYS", 7)

# Logs go to stderr: plain text by default, with LOG_FORMAT=json one JSON object per line (time, level, logger,
# message, and the fields of the request log: werkstatt.core.middleware.RequestLogMiddleware), for a collector that
# gathers the lines of several app servers.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "static_fields": {"server": WERKSTATT_SERVER_NAME},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # In development the runserver prints each request already.
    "loggers": {"werkstatt.request": {"level": "WARNING" if DEBUG else "INFO"}},
}
