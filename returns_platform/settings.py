"""Settings for the returns platform.

One module, read from the environment through typed helpers that fail loudly on bad
values. With no environment at all the *embedded* profile applies: SQLite in var/,
Celery tasks run eagerly in process, a local-memory cache and mail kept in the outbox.
The *production* profile is chosen by setting DATABASE_URL, REDIS_URL, SECRET_KEY and
DEBUG=false (see docs/operations.md for every variable and its default).
"""

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured

from returns_platform.proxies import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def env_bool(name: str, *, default: bool) -> bool:
    """A boolean from the environment; anything but a clear yes or no is an error."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


DEBUG = env_bool("DEBUG", default=True)
# A deployment others can reach (DEBUG off in the environment). Read once here: the test
# runner turns DEBUG off for its own reasons, which makes no installation public.
PUBLIC_DEPLOYMENT = not DEBUG

_DEVELOPMENT_SECRET = "embedded-development-secret-not-for-production-use-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEVELOPMENT_SECRET
elif len(SECRET_KEY) < 50 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

# Secrets at rest (carrier and payment credentials): Fernet keys, newest first.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key.encode())
    except ValueError as _exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes)."
        ) from _exc
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is off.")
    # Embedded profile and tests: one key derived from SECRET_KEY.
    _digest = hashlib.sha256(b"field-encryption:" + SECRET_KEY.encode()).digest()
    FIELD_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(_digest).decode()]

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Public base URL used in mails, labels and QR codes.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The shop model: the core (returns_platform) refers to it by this name, never imports it.
TENANT_MODEL = "tenants.Tenant"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from our own static files
    "django_htmx",
    "returns_platform",
    "tenants",
    "orders",
    "returns",
    "credits",
    "notifications",
    "conversations",
    "analytics",
    "carriers",
    "portal",
    "backoffice",
    "demo",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # First: the client address and scheme, believed from trusted proxies only.
    "returns_platform.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "returns_platform.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "returns_platform.tenancy.TenantContextResetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "returns_platform.outages.DatabaseUnavailableMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "backoffice.middleware.BackofficeTenantMiddleware",
    # Last: throttles failed back-office logins (django-axes).
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "tenants.login_throttle.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Against spraying (one try at many user names): failures per client address, any user.
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=10)
LOGIN_FAILURE_WINDOW_MINUTES = env.int("LOGIN_FAILURE_WINDOW_MINUTES", default=15)
AXES_CLIENT_IP_CALLABLE = "returns_platform.proxies.axes_client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "backoffice/locked_out.html"

ROOT_URLCONF = "returns_platform.urls"
WSGI_APPLICATION = "returns_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'returns.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
# A kept connection is checked before a request (or task) reuses it, so one that a
# database restart broke is replaced instead of failing that request (docs/operations.md);
# on PostgreSQL without a round trip when it was in use moments ago and its socket is
# quiet (returns_platform/postgresql/base.py).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
IS_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRESQL:
    DATABASES["default"]["ENGINE"] = "returns_platform.postgresql"
    # A database host that does not answer at all fails a request (and /readyz) in
    # seconds instead of holding a gunicorn worker until its timeout.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
# Row-level security: the application role's queries carry the tenant (docs/architecture.md).
TENANT_ROW_LEVEL_SECURITY = env_bool("TENANT_ROW_LEVEL_SECURITY", default=IS_POSTGRESQL)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ----------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache answering "miss" while Redis is away (returns_platform/cache.py).
            "BACKEND": "returns_platform.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="returns"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
if CELERY_BROKER_URL.startswith("redis://"):
    # kombu's Redis transport with channels that can requeue after a closed connection.
    CELERY_BROKER_TRANSPORT = "returns_platform.broker:Transport"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Handing a task to the broker is retried for about four seconds (kombu caps the wait at
# its connect timeout) before the caller gives up: a Redis restart takes a second or two.
# An outbox message whose hand-over failed is found again by the sweep; any other task is
# logged as lost (docs/operations.md, "What happens when a part fails").
_PUBLISH_RETRIES = {
    "max_retries": env.int("CELERY_PUBLISH_RETRIES", default=8),
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = _PUBLISH_RETRIES
CELERY_BROKER_TRANSPORT_OPTIONS = dict(_PUBLISH_RETRIES)
# The outbox lease (a row left in ``sending`` this long goes back to the queue) and the
# grace after which a queued row whose own task never came is enqueued again.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
OUTBOX_SWEEP_GRACE_SECONDS = env.int("OUTBOX_SWEEP_GRACE_SECONDS", default=60)
# Periodic tasks are declared by each app in <app>/schedule.py (see returns_platform/celery.py).
# Hours after completion that a return's customer is asked for feedback; 0 turns it off.
FEEDBACK_REQUEST_DELAY_HOURS = env.int("FEEDBACK_REQUEST_DELAY_HOURS", default=24)

# --- Mail -----------------------------------------------------------------------------
# Outgoing mail: SMTP whenever EMAIL_URL is set (embedded mode too); an anymail ESP when
# ANYMAIL_ESP is set; otherwise mail is kept in the outbox and readable in the back office.
EMAIL_URL = env.str("EMAIL_URL", default="")
ANYMAIL_ESP = env.str("ANYMAIL_ESP", default="")
_ESP_BACKENDS = {
    "postmark": "anymail.backends.postmark.EmailBackend",
    "mailgun": "anymail.backends.mailgun.EmailBackend",
    "amazon_ses": "anymail.backends.amazon_ses.EmailBackend",
    "sendgrid": "anymail.backends.sendgrid.EmailBackend",
    "brevo": "anymail.backends.brevo.EmailBackend",
}
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
elif ANYMAIL_ESP:
    if ANYMAIL_ESP not in _ESP_BACKENDS:
        raise ImproperlyConfigured(
            f"ANYMAIL_ESP must be one of {', '.join(sorted(_ESP_BACKENDS))}, not {ANYMAIL_ESP!r}."
        )
    INSTALLED_APPS.append("anymail")
    EMAIL_BACKEND = _ESP_BACKENDS[ANYMAIL_ESP]
    ANYMAIL = {
        "POSTMARK_SERVER_TOKEN": env.str("POSTMARK_SERVER_TOKEN", default=""),
        "MAILGUN_API_KEY": env.str("MAILGUN_API_KEY", default=""),
        "MAILGUN_SENDER_DOMAIN": env.str("MAILGUN_SENDER_DOMAIN", default=""),
        "SENDGRID_API_KEY": env.str("SENDGRID_API_KEY", default=""),
        "BREVO_API_KEY": env.str("BREVO_API_KEY", default=""),
        "AMAZON_SES_CLIENT_PARAMS": {"region_name": env.str("AWS_REGION", default="eu-west-1")},
    }
else:
    # Embedded: nothing leaves the machine; each message is kept as a file in var/mail
    # and the outbox row keeps the rendered message for the back office.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="returns@localhost")
# An SMTP conversation that hangs is given up (and retried) well inside the outbox lease,
# so a stuck send never overlaps the repeat the sweep would start.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Webhooks to private, loopback or link-local addresses: development and tests only.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Auth, i18n, static ---------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:dashboard"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("nl", "Nederlands"),
    ("de", "Deutsch"),
    ("pl", "Polski"),
    ("sv", "Svenska"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Security (production profile) ----------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (CIDRs). None by
# default: the peer is the client. returns_platform.proxies settles both per request.
try:
    TRUSTED_PROXIES = [
        str(network) for network in parse_networks(env.list("TRUSTED_PROXIES", default=[]))
    ]
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES must list CIDRs: {error}") from error
if TRUSTED_PROXIES:
    # Only a trusted proxy's X-Forwarded-Proto survives the middleware.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy on every page: scripts from our own origin or carrying the
# request's nonce (``{{ request.csp_nonce }}``), no inline event handlers, nothing from
# another host. Inline style attributes stay allowed (brand colours, progress widths):
# they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_NONCE],
        "style-src": [CSP_SELF, "'unsafe-inline'"],
        "img-src": [CSP_SELF, "data:", "blob:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    }
}

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["tenants.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "tenants.scopes.ApiScopePermission",
    ],
    "DEFAULT_RENDERER_CLASSES": ["returns_platform.renderers.FastJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["returns_platform.parsers.BoundedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "tenants.schema.ScopedAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "returns_platform.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Returns platform API",
    "DESCRIPTION": "Orders, returns, vouchers and credit notes of one shop (tenant). "
    "Authenticate with `Authorization: Bearer <API key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The API docs load nothing from another host (no CDN, no online validator): they work
    # offline and under the Content-Security-Policy.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # ReDoc's bundle comes through returns_platform.api_docs (its CDN logo taken out).
    "REDOC_DIST": "/api/redoc/assets",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Each choice set has one name in the schema, whatever the field is called.
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.statuses.OrderStatus",
        "OrderEventTypeEnum": "orders.statuses.OrderEventType",
        "ReturnStatusEnum": "returns.statuses.ReturnStatus",
        "CaseTypeEnum": "returns.statuses.CaseType",
        "ResolutionEnum": "returns.statuses.Resolution",
        "ReturnMethodEnum": "returns.statuses.ReturnMethod",
        "ConditionEnum": "returns.statuses.Condition",
        "DispositionEnum": "returns.statuses.Disposition",
        "CreditNoteReasonEnum": "credits.statuses.CreditNoteReason",
        "CreditNoteStatusEnum": "credits.statuses.CreditNoteStatus",
        "PayoutMethodEnum": "credits.statuses.PayoutMethod",
        "VoucherStatusEnum": "credits.statuses.VoucherStatus",
        "VoucherEntryKindEnum": "credits.statuses.VoucherEntryKind",
        "RefundProviderEnum": "credits.statuses.RefundProvider",
        "RefundStatusEnum": "credits.statuses.RefundStatus",
        "OutboxKindEnum": "notifications.models.OutboxKind",
        "OutboxStatusEnum": "notifications.models.OutboxStatus",
        "RoleEnum": "tenants.models.Role",
        "ChannelKindEnum": "tenants.models.ChannelKind",
        "CountryEnum": "returns_platform.money.COUNTRY_CHOICES",
        "CountryAnyCaseEnum": "carriers.serializers.COUNTRY_ANY_CASE",
    },
}
# URL fields without a scheme mean https (the Django 6 default).
FORMS_URLFIELD_ASSUME_HTTPS = True
API_MAX_BULK_ORDERS = 500
# Seconds to wait for a carrier's API (karrio's calls included) before giving up.
CARRIER_HTTP_TIMEOUT = env.int("CARRIER_HTTP_TIMEOUT", default=20)
# The largest JSON body and the deepest nesting the API reads (413 / 400 beyond them).
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=8 * 1024 * 1024)
API_MAX_JSON_DEPTH = 16
# List documents kept per process by the versions of the rows they were built from
# (returns_platform/doccache.py); 0 turns the cache off.
API_DOCUMENT_CACHE_SIZE = env.int("API_DOCUMENT_CACHE_SIZE", default=10000)
# Completing a return (API, back office) executes its resolution through this service.
# An order upsert asks the returns domain which lines open returns hold (returns -> orders
# only; orders names the selector, never imports it).
ORDER_LINE_HOLDS_SELECTOR = "returns.selectors.order_line_holds"
# ... and, before it changes an order's currency, whether money was credited or paid on it.
ORDER_MONEY_SELECTOR = "credits.selectors.orders_with_money"
RETURN_RESOLUTION_SERVICE = "credits.services.resolution.return_resolve"
# Approving a return pays a kept item and ships an exchange's replacement first (policy).
RETURN_APPROVED_SERVICE = "credits.services.exchange.return_approved"
# A cancelled order event with ``"refund": "issue"`` pays the order back through this one.
ORDER_REFUND_SERVICE = "credits.services.cancellation.order_cancellation_refund"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task run drowns the log; failures are still logged as errors.
        "celery.app.trace": {"level": env.str("TASK_LOG_LEVEL", default="WARNING")},
        # Font subsetting logs every glyph list of every PDF at INFO (hundreds of lines
        # per label or credit note); only its problems belong in the log.
        "fontTools": {"level": "WARNING"},
    },
}
