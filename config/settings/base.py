"""Settings shared by every environment. Environment variables are prefixed XINYONG_ (or standard)."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("XINYONG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


# ------------------------------------------------------------------------------
# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env_bool("XINYONG_DEBUG", False)
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
ALLOWED_HOSTS = [h for h in os.environ.get("XINYONG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

# The city this installation serves. Data, not code: shown on the portal and in reports.
XINYONG_CITY_NAME = os.environ.get("XINYONG_CITY_NAME", "韶山市")
XINYONG_PORTAL_NAME = os.environ.get("XINYONG_PORTAL_NAME", "信用韶山")
XINYONG_DIVISION_CODE = os.environ.get("XINYONG_DIVISION_CODE", "430382")

# ------------------------------------------------------------------------------
# DATABASES — DATABASE_URL selects PostgreSQL; the embedded default is SQLite in WAL mode.
# ------------------------------------------------------------------------------
# mmap_size: the first 512 MB of the database file are read through a memory map instead of read() into each
# connection's own cache. A connection's cache is emptied whenever another connection writes, so two processes
# importing a large file in turn re-read their index pages at every chunk: mapped, that costs a fifth less CPU
# (bench/ingest.py, 1,000,000 rows: 12,400 -> 17,100 rows/s). The mapped pages are the kernel's page cache,
# shared by the processes, not memory of their own.
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON; "
        "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=536870912;"
    ),
    "transaction_mode": "IMMEDIATE",
}


def database_from_env(default_sqlite: Path) -> dict:
    url = os.environ.get("DATABASE_URL")
    config: dict
    if url:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend whose per-request health check polls the socket and runs SELECT 1 only when the
        # server has sent something (it ends a connection that way): no extra round trip per request
        config["ENGINE"] = "xinyong.core.postgresql"
    return config


DATABASES = {"default": database_from_env(VAR_DIR / "xinyong.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
]
THIRD_PARTY_APPS = ["axes", "django_tasks", "django_tasks_db", "ninja"]
LOCAL_APPS = [
    "xinyong.core",
    "xinyong.audit",
    "xinyong.accounts",
    "xinyong.subjects",
    "xinyong.catalog",
    "xinyong.records",
    "xinyong.publication",
    "xinyong.notifications",
    "xinyong.objections",
    "xinyong.api",
    "xinyong.portal",
    "xinyong.backoffice",
    "xinyong.demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# ------------------------------------------------------------------------------
# AUTHENTICATION — argon2, a password policy, throttling (django-axes), idle session expiry
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "xinyong.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "xinyong.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "backoffice:login"
SESSION_COOKIE_AGE = int(os.environ.get("XINYONG_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: every request extends the session
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

AXES_FAILURE_LIMIT = int(os.environ.get("XINYONG_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "backoffice/locked_out.html"
AXES_VERBOSE = False
# The lockout keys on the client address as XINYONG_TRUSTED_PROXY_COUNT defines it (not the proxy's address).
AXES_CLIENT_IP_CALLABLE = "xinyong.core.middleware.client_ip"

# ------------------------------------------------------------------------------
# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xinyong.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xinyong.core.middleware.RequestContextMiddleware",
    "xinyong.core.middleware.ApiBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "xinyong.core.middleware.ApplicationErrorMiddleware",
]
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xinyong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xinyong.core.context_processors.site",
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# STATIC AND FILES (vendored, no CDN)
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "xinyong" / "static"]
STATIC_ROOT = Path(os.environ.get("XINYONG_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("XINYONG_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# ------------------------------------------------------------------------------
# BACKGROUND TASKS — django-tasks with the database backend (no extra server).
# Scale out: run more `manage.py db_worker` processes, or switch BACKEND to
# "django_tasks_rq.RQBackend" (Redis) — see docs/operations/tasks.md.
# ------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("XINYONG_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Imports: rows per committed chunk, and the rows left in a batch from which it is imported by two
# processes (below that a second process costs more to start than it saves).
XINYONG_IMPORT_CHUNK_ROWS = max(int(os.environ.get("XINYONG_IMPORT_CHUNK_ROWS", "5000") or 5000), 1)
XINYONG_IMPORT_PARALLEL_MIN_ROWS = int(os.environ.get("XINYONG_IMPORT_PARALLEL_MIN_ROWS", "20000") or 20000)

# ------------------------------------------------------------------------------
# PERSONAL DATA — keyed hash for lookup, encryption for display (ID numbers never stored in plain)
# ------------------------------------------------------------------------------
XINYONG_PII_HMAC_KEY = os.environ.get("XINYONG_PII_HMAC_KEY", "")
XINYONG_PII_ENCRYPTION_KEYS = [k for k in os.environ.get("XINYONG_PII_ENCRYPTION_KEYS", "").split(",") if k]

# ------------------------------------------------------------------------------
# CACHE — rate-limit counters and rendered public pages. Per-process memory by default; set
# XINYONG_CACHE_URL=redis://127.0.0.1:6379/1 in production so every worker shares one cache.
# ------------------------------------------------------------------------------
_CACHE_URL = os.environ.get("XINYONG_CACHE_URL", "")
CACHES: dict[str, dict[str, object]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL, "KEY_PREFIX": "xinyong"}
        if _CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}}
    )
}

# ------------------------------------------------------------------------------
# PUBLIC SEARCH — anti-scraping limit per client address ("<requests>/<seconds>", "off" disables);
# X-Forwarded-For is believed only behind this many trusted reverse proxies.
# ------------------------------------------------------------------------------
XINYONG_SEARCH_RATE_LIMIT = os.environ.get("XINYONG_SEARCH_RATE_LIMIT", "30/60")
XINYONG_TRUSTED_PROXY_COUNT = int(os.environ.get("XINYONG_TRUSTED_PROXY_COUNT", "0") or 0)

# ------------------------------------------------------------------------------
# OBJECTIONS AND REPAIR — evidence size per file and per request; wrong tracking-secret guesses per address
# ------------------------------------------------------------------------------
XINYONG_EVIDENCE_MAX_BYTES = int(os.environ.get("XINYONG_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
XINYONG_EVIDENCE_MAX_REQUEST_BYTES = int(
    os.environ.get("XINYONG_EVIDENCE_MAX_REQUEST_BYTES", str(10 * XINYONG_EVIDENCE_MAX_BYTES + 1024 * 1024))
)
XINYONG_TRACKING_GUESS_LIMIT = os.environ.get("XINYONG_TRACKING_GUESS_LIMIT", "20/3600")

# ------------------------------------------------------------------------------
# EMAIL
# ------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("XINYONG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("XINYONG_DEFAULT_FROM_EMAIL", "noreply@xinyong.local")

# ------------------------------------------------------------------------------
# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # pages; the API has its own limit below
# The JSON push takes up to 5,000 rows; ASCII-escaped Chinese rows run to ~1.2 KB each, 4 KB leaves room.
XINYONG_API_MAX_BODY_BYTES = int(float(os.environ.get("XINYONG_API_MAX_BODY_MB", 20)) * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
