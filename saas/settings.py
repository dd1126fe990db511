"""Settings for the web app and the workers.

Every setting is read from the environment here, once; nothing else in the
project reads os.environ for configuration. Defaults are the embedded,
single-machine setup that `make run` uses: SQLite and media under DATA_DIR,
a private Redis on a Unix socket in DATA_DIR, e-mail printed to the console.
Every variable is documented in deploy/.env.example (a test keeps them in step).
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str = "False") -> bool:
    value = env(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = env(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105 (DEBUG only)

DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "data"))).resolve()
SITE_ROOT = env("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("SITE_NAME", "Talking Ads")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_dramatiq",
    "allauth",
    "allauth.account",
    "saas.accounts",
    "saas.workspaces",
    "saas.jobs",
    "saas.studio",
    "saas.translations",
    "saas.batches",
    "saas.ops",
    "saas.webhooks",
    "saas.heygen",
    "saas.billing",
]

MIDDLEWARE = [
    "saas.ops.middleware.RequestIdMiddleware",
    "saas.ops.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "saas.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "saas.validation.RejectNulFormsMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "saas.workspaces.middleware.CurrentWorkspaceMiddleware",
]

ROOT_URLCONF = "saas.urls"
WSGI_APPLICATION = "saas.wsgi.application"

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
                "saas.workspaces.context_processors.workspace",
            ],
        },
    },
]

# Database: SQLite under DATA_DIR unless DATABASE_URL says otherwise
# (postgres://user:pass@host:5432/name in production).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        # A connection kept across requests is checked first: after a database restart
        # the next request reconnects instead of failing (the fault suite found it).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast (readiness, workers) instead of hanging on an unreachable server.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = envint(
        "DATABASE_CONNECT_TIMEOUT", 5
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web app and the worker share the file: WAL lets readers run beside a
    # writer, and IMMEDIATE transactions avoid "database is locked" upgrades.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth): the e-mail address is the login.
ACCOUNT_ADAPTER = "saas.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# Rate limits on the account forms (allauth), counted in the cache (production: one
# Redis for every web process, CACHE_URL). A limit is "N/period/per": N per period
# (s, m, h, d; "5m" is five minutes) per client address (ip) or e-mail address (key),
# several separated by commas; an empty value turns one off. A failed log-in counts
# against both; past either limit even the right password is refused for a while.
ACCOUNT_RATE_LIMITS = {
    "login": env("RATE_LIMIT_LOGIN", "30/m/ip"),
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,30/h/ip,5/5m/key"),
    "signup": env("RATE_LIMIT_SIGNUP", "20/h/ip"),
    "reset_password": env("RATE_LIMIT_RESET_PASSWORD", "10/h/ip,3/h/key"),
    "reset_password_from_key": env("RATE_LIMIT_RESET_PASSWORD_FROM_KEY", "20/m/ip"),
}
for _action, _rates in ACCOUNT_RATE_LIMITS.items():
    for _rate in filter(None, (r.strip() for r in _rates.split(","))):
        if not re.fullmatch(r"\d+/\d*[smhd](/(ip|key|user))?", _rate):
            raise ImproperlyConfigured(
                f"The {_action} rate limit {_rate!r} is not N/period/per, e.g. 10/m/ip"
            )
# The client's address for those limits: behind this many proxies that append it to
# X-Forwarded-For (deploy/nginx: 1), the last address they add; 0 reads the socket's.
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0 if DEBUG else 1)

# E-mail: printed to the console unless an SMTP URL-ish config is given.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Talking Ads <noreply@localhost>")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files are served by whitenoise; media by local disk or S3.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# In DEBUG, serve static files straight from the app folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))

if env("S3_BUCKET"):
    _media_storage = {
        # django-storages' S3Storage, reusing each file's presigned URL for a while (saas/s3.py)
        "BACKEND": "saas.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            # SigV4 works everywhere (AWS regions since 2014, MinIO, R2, Ceph);
            # S3-compatible servers on a host name of their own need path style.
            "signature_version": env("S3_SIGNATURE_VERSION", "s3v4"),
            "addressing_style": env("S3_ADDRESSING_STYLE") or None,
            "querystring_expire": envint("S3_URL_EXPIRE_SECONDS", 3600),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:  # local disk, behind signed URLs that expire (saas/media.py)
    _media_storage = {"BACKEND": "saas.media.SignedFileSystemStorage"}
MEDIA_URL_EXPIRE_SECONDS = envint("MEDIA_URL_EXPIRE_SECONDS", 3600)
# Where nginx serves MEDIA_ROOT from as an `internal` location; empty: the app sends files.
MEDIA_ACCEL_REDIRECT = env("MEDIA_ACCEL_REDIRECT", "")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Job broker. redis://host:6379/0 in production; unix:// for the embedded
# Redis that `make run` starts; stub:// for unit tests (an in-memory broker).
BROKER_URL = env("BROKER_URL", f"unix://{DATA_DIR / 'redis.sock'}")
if BROKER_URL.startswith("stub://"):
    _broker = {"BROKER": "dramatiq.brokers.stub.StubBroker", "OPTIONS": {}}
else:
    _broker = {
        "BROKER": "saas.queueing.PromptRedisBroker",
        # A worker that stops sending heartbeats (kill -9) has its unfinished
        # messages re-delivered to another worker after this many milliseconds.
        # An idle worker looks for new messages at least every BROKER_POLL_MAX_MS.
        "OPTIONS": {
            "url": BROKER_URL,
            "heartbeat_timeout": envint("BROKER_HEARTBEAT_TIMEOUT_MS", 60_000),
            "poll_max_ms": envint("BROKER_POLL_MAX_MS", 100),
        },
    }
DRAMATIQ_BROKER = {
    **_broker,
    "MIDDLEWARE": [
        "dramatiq.middleware.AgeLimit",
        "dramatiq.middleware.TimeLimit",
        "dramatiq.middleware.Callbacks",
        "dramatiq.middleware.Retries",
        "django_dramatiq.middleware.DbConnectionsMiddleware",
        "saas.ops.logs.JobLogContext",
        "saas.ops.heartbeats.WorkerHeartbeats",
        "saas.ops.warmup.WarmRenderCaches",
    ],
}
DRAMATIQ_AUTODISCOVER_MODULES = ["tasks"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "saas.workspaces.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["saas.api.permissions.WorkspaceRolePermission"],
    "DEFAULT_PARSER_CLASSES": [
        "saas.api.parsers.NulFreeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "saas.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "saas.api.pagination.NewestFirstCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["saas.api.throttling.WorkspaceRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"workspace": env("API_RATE_LIMIT", "600/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Talking Ads API",
    "DESCRIPTION": "Talking-avatar and URL-to-video rendering. Authenticate with "
    "`Authorization: Bearer <API key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Cache: rate limits and short-lived data. Per process unless CACHE_URL names
# a Redis (production: every web process must share one).
CACHE_URL = env("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Security. Production (DEBUG off) gets HTTPS-only cookies, HSTS and a redirect
# of plain HTTP to HTTPS (`manage.py check --deploy` is clean). TLS usually ends
# at the proxy, which must send X-Forwarded-Proto (deploy/nginx does). Probes
# reach /healthz, /readyz and /metrics over plain HTTP inside the network.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", str(not DEBUG))
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", str(not DEBUG))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", str(not DEBUG))
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", str(not DEBUG))
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every HTML page (saas/csp.py). SITE_ROOT and media's
# own host (S3, or MEDIA_URL's) are allowed for images and video; add others (a CDN
# in front of the bucket) here. Report-only: browsers report violations, block nothing.
CSP_MEDIA_ORIGINS = envlist("CSP_MEDIA_ORIGINS")
CSP_REPORT_ONLY = envbool("CSP_REPORT_ONLY", "False")

# Uploads: Django keeps bodies over this in temp files, never in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)

WORKSPACE_INVITATION_DAYS = envint("WORKSPACE_INVITATION_DAYS", 7)

# Webhooks: https:// only unless WEBHOOKS_ALLOW_HTTP; never to private addresses
# unless the host (name or address) is in WEBHOOKS_ALLOWED_HOSTS. Retry waits in s.
WEBHOOKS_ALLOW_HTTP = envbool("WEBHOOKS_ALLOW_HTTP", str(DEBUG))
WEBHOOKS_ALLOWED_HOSTS = envlist("WEBHOOKS_ALLOWED_HOSTS")
WEBHOOKS_RETRY_SCHEDULE = [
    int(s) for s in envlist("WEBHOOKS_RETRY_SCHEDULE", "60,300,1800,7200,18000,36000,43200,43200")
]
# An endpoint whose every delivery has failed for this many days is disabled (0: never).
WEBHOOKS_DISABLE_AFTER_DAYS = envint("WEBHOOKS_DISABLE_AFTER_DAYS", 3)

# Billing (Stripe). Without STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET the
# billing page says billing is not configured; plans and credits still apply.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET")
STRIPE_API_BASE = env("STRIPE_API_BASE")  # empty: api.stripe.com
STRIPE_PRICE_CREATOR = env("STRIPE_PRICE_CREATOR")
STRIPE_PRICE_TEAM = env("STRIPE_PRICE_TEAM")  # per seat; quantity = seats
STRIPE_CREDIT_PACKS = envlist("STRIPE_CREDIT_PACKS")  # "500:price_a,2000:price_b"
BILLING_DEFAULT_PLAN = env("BILLING_DEFAULT_PLAN", "free")
BILLING_GRACE_DAYS = envint("BILLING_GRACE_DAYS", 7)
BILLING_API_FOR_ALL_PLANS = envbool("BILLING_API_FOR_ALL_PLANS", str(not STRIPE_SECRET_KEY))
BILLING_UNLIMITED_SEATS = envbool("BILLING_UNLIMITED_SEATS", str(not STRIPE_SECRET_KEY))

# Logs go to stderr: LOG_FORMAT=json for one JSON object a line (log shippers),
# "plain" (default) for readable lines. Both carry the request id or the job's
# fields (job_id, video_id, stage, workspace_id); see saas/ops/logs.py.
LOG_FORMAT = env("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "saas.ops.logs.ContextFilter"}},
    "formatters": {
        "plain": {"()": "saas.ops.logs.KeyValueFormatter"},
        "json": {"()": "saas.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO").upper()},
}

# Operations: /metrics needs `Authorization: Bearer $METRICS_TOKEN` (without a
# token it is open only with DEBUG on); the same token shows /readyz's reasons.
METRICS_TOKEN = env("METRICS_TOKEN")
METRICS_WINDOW_SECONDS = envint("METRICS_WINDOW_SECONDS", 3600)
READINESS_TIMEOUT_SECONDS = envint("READINESS_TIMEOUT_SECONDS", 2)
WORKER_HEARTBEAT_SECONDS = envint("WORKER_HEARTBEAT_SECONDS", 15)

# Render jobs. A worker renews its lease on a stage while it works; a stage
# whose lease ran out is given to another worker (RENDER_MAX_STAGE_ATTEMPTS
# times at most). Stage time limits are in seconds.
RENDER_LEASE_SECONDS = envint("RENDER_LEASE_SECONDS", 60)
RENDER_MAX_STAGE_ATTEMPTS = envint("RENDER_MAX_STAGE_ATTEMPTS", 3)
RENDER_QUEUED_RESEND_SECONDS = envint("RENDER_QUEUED_RESEND_SECONDS", 300)
RENDER_STAGE_LIMITS = {
    "scrape": envint("RENDER_LIMIT_SCRAPE", 120),
    "script": envint("RENDER_LIMIT_SCRIPT", 60),
    "speech": envint("RENDER_LIMIT_SPEECH", 900),
    "render": envint("RENDER_LIMIT_RENDER", 3600),
    "deliver": envint("RENDER_LIMIT_DELIVER", 300),
}
# Translation: an optional OpenAI-compatible chat endpoint for the language pairs
# that no offline engine here covers (avatar/dub/translate.py). Empty: offline only.
TRANSLATION_PROVIDER_URL = env("TRANSLATION_PROVIDER_URL", "")
TRANSLATION_PROVIDER_KEY = env("TRANSLATION_PROVIDER_KEY", "")
TRANSLATION_PROVIDER_MODEL = env("TRANSLATION_PROVIDER_MODEL", "")
# Worker-local caches: synthesised sentences and rendered music beds.
SPEECH_CACHE_DIR = env("SPEECH_CACHE_DIR", str(DATA_DIR / "cache" / "speech"))
MUSIC_CACHE_DIR = env("MUSIC_CACHE_DIR", str(DATA_DIR / "cache" / "music"))
# Encoded chunks of rendered videos, one folder per workspace: a render after an edit
# re-encodes only the scenes it changed (avatar/render/chunks.py). Trimmed, oldest use
# first, to CHUNK_CACHE_MB in all; 0 turns the cache off.
CHUNK_CACHE_DIR = env("CHUNK_CACHE_DIR", str(DATA_DIR / "cache" / "chunks"))
CHUNK_CACHE_MB = envint("CHUNK_CACHE_MB", 2048)
# Product-page scraping refuses internal addresses (SSRF). Tests and private
# deployments may allow networks (CIDRs) or host names explicitly.
SCRAPER_ALLOW_NETWORKS = envlist("SCRAPER_ALLOW_NETWORKS")
SCRAPER_ALLOW_HOSTS = envlist("SCRAPER_ALLOW_HOSTS")
