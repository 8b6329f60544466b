"""Settings of the VssID portal, read from the environment.

One module for every environment. Without any variable set the portal runs embedded
(SQLite file, Celery eager, local-memory cache, console/file SMS) so that `make run` works on a
fresh machine; production and CI set the variables documented in README.md.
A missing or malformed variable stops start-up with a message that names it.
"""

import math
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from vssid_portal import log_format, time_zone

BASE_DIR = Path(__file__).resolve().parent.parent

# No .env file is read: the one beside the project is production's, which compose hands to the containers
# itself (and .dockerignore keeps out of the image); read here, it reached `make run` and `make test`.


class _AsTyped(Mapping):
    """The environment with each `$` escaped, read by an Env that unescapes them (`escape_proxy`): a value
    is taken as typed. django-environ reads a value starting with `$` as the name of another variable,
    falling back to the default when there is none, so a key or token starting with `$` was lost."""

    def __getitem__(self, name):
        return os.environ[name].replace("$", r"\$")

    def __iter__(self):
        return iter(os.environ)

    def __len__(self):
        return len(os.environ)


env = environ.Env()
env.ENVIRON, env.escape_proxy = _AsTyped(), True


# Variables whose value holds a password, with the form they take: their parse error is neither quoted
# nor chained, since it repeats part of the value ("Port could not be cast to integer value as '<the
# password's beginning>'" for a password with a `/`), and start-up errors end up in the logs.
_URLS_WITH_PASSWORDS = {
    "DATABASE_URL": "postgres://user:password@host:5432/db",
    "EMAIL_URL": "smtp+tls://user:password@host:587",
}


def _read(name, reader, *args, **kwargs):
    """Read one variable. An empty value reads as unset (`NAME=` in a copied .env.example), and any
    parse error names the variable instead of a bare traceback."""
    if "default" in kwargs and not os.environ.get(name, "").strip():
        return kwargs["default"]
    try:
        return reader(name, *args, **kwargs)
    except Exception as exc:  # ValueError, KeyError, environ's ImproperlyConfigured ("Invalid email schema")...
        if name in _URLS_WITH_PASSWORDS:
            raise ImproperlyConfigured(
                f"Biến môi trường {name} không hợp lệ: cần dạng {_URLS_WITH_PASSWORDS[name]}; trong tên và mật "
                "khẩu, các ký tự / ? # @ : viết dạng %XX (/ là %2F)."
            ) from None
        raise ImproperlyConfigured(f"Biến môi trường {name} không hợp lệ: {exc}") from exc


_FLAGS = {**dict.fromkeys(("true", "1", "yes", "on"), True), **dict.fromkeys(("false", "0", "no", "off"), False)}


def _flag(name, *, default: bool) -> bool:
    """true or false (1/0, yes/no, on/off too); any other value is refused rather than read as false."""
    value = _read(name, env.str, default=str(default)).strip().lower()
    if value not in _FLAGS:
        raise ImproperlyConfigured(f"Biến môi trường {name} phải là true hoặc false, không phải {value!r}.")
    return _FLAGS[value]


def _seconds(name, *, default: float) -> float:
    """A number of seconds, as Python reads a number (`2.5`); any other value is refused quoting it.
    django-environ's float drops every character but digits, `,`, `.` and `-`, so it took `5s` as 5 and
    refused `x` quoting ''. nan, inf, 0 and negatives are refused as well."""
    value = _read(name, env.str, default=str(default)).strip()
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):  # nan, inf, 0 and negatives too: each failed every send
        raise ImproperlyConfigured(
            f"Biến môi trường {name} phải là một số giây lớn hơn 0 (ví dụ 2.5), không phải {value!r}."
        )
    return seconds


DJANGO_ENV = _read("DJANGO_ENV", env.str, default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"Biến môi trường DJANGO_ENV phải là 'development' hoặc 'production', không phải {DJANGO_ENV!r}."
    )
PRODUCTION = DJANGO_ENV == "production"

DEBUG = False if PRODUCTION else _flag("DJANGO_DEBUG", default=True)

# Development only: a fixed key is harmless there because nothing it signs leaves the machine.
SECRET_KEY = _read("SECRET_KEY", env.str,
                   default="" if PRODUCTION else "development-only-key-never-used-in-production-0123456789")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "Biến môi trường SECRET_KEY là bắt buộc khi DJANGO_ENV=production "
            "(một chuỗi ngẫu nhiên dài ít nhất 50 ký tự)."
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("Biến môi trường SECRET_KEY quá ngắn: cần ít nhất 50 ký tự ngẫu nhiên.")
    ALLOWED_HOSTS = _read("ALLOWED_HOSTS", env.list, default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Biến môi trường ALLOWED_HOSTS là bắt buộc khi DJANGO_ENV=production.")
else:
    ALLOWED_HOSTS = _read("ALLOWED_HOSTS", env.list, default=["127.0.0.1", "localhost", "[::1]", "testserver"])

# Rotation: the keys SECRET_KEY replaced, comma-separated. What they signed (sessions and their login,
# private-file links, signed pages and codes) is still accepted, and signed anew with SECRET_KEY, until
# they are dropped from here.
SECRET_KEY_FALLBACKS = [key.strip() for key in _read("SECRET_KEY_FALLBACKS", env.list, default=[]) if key.strip()]
if PRODUCTION:
    for _position, _key in enumerate(SECRET_KEY_FALLBACKS, start=1):
        if len(_key) < 50 or len(set(_key)) < 5:
            raise ImproperlyConfigured(
                f"Biến môi trường SECRET_KEY_FALLBACKS: khóa thứ {_position} quá ngắn, cần ít nhất 50 ký tự "
                "ngẫu nhiên; các khóa cách nhau bằng dấu phẩy."
            )

# The key the BHXH-code lookup's audit hashes a client's address and network with (accounts.services.code_lookup):
# its own, never rotated with SECRET_KEY, so that one address keeps one hash and the lookups from one place stay
# linked across a rotation. Required in production, at least 32 characters: without it the portal does not start.
CODE_LOOKUP_AUDIT_KEY = _read("CODE_LOOKUP_AUDIT_KEY", env.str,
                              default="" if PRODUCTION else "development-only-code-lookup-audit-key-0123456789")
if PRODUCTION and not CODE_LOOKUP_AUDIT_KEY.strip():
    raise ImproperlyConfigured(
        "Biến môi trường CODE_LOOKUP_AUDIT_KEY là bắt buộc khi DJANGO_ENV=production (một khóa ngẫu nhiên, ví dụ "
        "`openssl rand -hex 32`, giữ nguyên khi đổi SECRET_KEY)."
    )
CODE_LOOKUP_AUDIT_KEY_MIN_LENGTH = 32
if PRODUCTION and len(CODE_LOOKUP_AUDIT_KEY.strip()) < CODE_LOOKUP_AUDIT_KEY_MIN_LENGTH:
    raise ImproperlyConfigured(
        f"Biến môi trường CODE_LOOKUP_AUDIT_KEY quá ngắn: cần ít nhất {CODE_LOOKUP_AUDIT_KEY_MIN_LENGTH} ký tự "
        "ngẫu nhiên (ví dụ `openssl rand -hex 32`)."
    )

CSRF_TRUSTED_ORIGINS = _read("CSRF_TRUSTED_ORIGINS", env.list, default=[])

INSTALLED_APPS = [
    "vssid_portal.apps.AdminConfig",  # Django's admin, on the portal's site (vssid_portal.admin.PortalAdminSite)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "csp",
    "phonenumber_field",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "vssid_portal",
    "lookup",
    "notifications",
    "accounts",
    "participation",
    "benefits",
    "health_card",
    "public_services",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the middleware that can refuse a request (a method the portal does not take, an unknown
    # Host, a broken session): their answers get the frame and CSP headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "vssid_portal.middleware.AllowedMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vssid_portal.middleware.NoStoreWithSessionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vssid_portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "vssid_portal.middleware.UploadLimitsMiddleware",  # reads a post before the CSRF check does
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SessionRulesMiddleware",
    "accounts.middleware.UserSessionActivityMiddleware",  # allauth's tracking, once a minute
    "vssid_portal.middleware.MethodNotAllowedPageMiddleware",  # last: its page gets every header
]

ROOT_URLCONF = "vssid_portal.urls"
WSGI_APPLICATION = "vssid_portal.wsgi.application"

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
                "vssid_portal.context_processors.portal",
                "notifications.context_processors.unread_notices",
                "accounts.context_processors.session_end",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": _read("DATABASE_URL", env.db_url)}
    if DATABASES["default"].get("ENGINE") not in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }:
        raise ImproperlyConfigured("Biến môi trường DATABASE_URL phải là postgres://... hoặc sqlite:///...")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, with a health check that asks the socket instead of the server.
        DATABASES["default"]["ENGINE"] = "vssid_portal.postgresql"
        DATABASES["default"]["CONN_MAX_AGE"] = _read("DB_CONN_MAX_AGE", env.int, default=60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        # QuerySet.iterator() (model choice fields) would open a server-side cursor: three round
        # trips for a few dozen rows, and unusable behind pgbouncer in transaction mode.
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        # Parameters bound by the server, so psycopg prepares a statement run five times on one
        # connection and PostgreSQL stops planning it again: planning the card check's seven-table
        # join cost 2 ms, eight times its execution. Behind a pooler in transaction mode that does
        # not track prepared statements (pgbouncer < 1.21), set DB_PREPARED_STATEMENTS=false.
        if _flag("DB_PREPARED_STATEMENTS", default=True):
            DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            # A file, not shared in-memory: the browser tests' live server serves requests in parallel.
            # One per test process, so two test runs on one machine never share it.
            "TEST": {"NAME": BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache ------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("Biến môi trường REDIS_URL phải có dạng redis://host:port/db.")
try:
    urlsplit(REDIS_URL).port  # what the Redis client reads first; a password with a `/` breaks it
except ValueError:
    raise ImproperlyConfigured(
        "Biến môi trường REDIS_URL không hợp lệ: cần dạng redis://:password@host:6379/0; trong mật khẩu, các ký tự "
        "/ ? # @ : viết dạng %XX (/ là %2F)."
    ) from None  # the error quotes the password's beginning as the port

if REDIS_URL:
    CACHES = {
        "default": {
            # A Redis outage reads as cache misses, never as 500s (vssid_portal/cache.py).
            "BACKEND": "vssid_portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vssid",
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "vssid"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
# Eager runs behave like a worker: a failing task is logged and retried, never raised into the request.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A render that hangs (a PDF) must not hold its row lock and a worker slot for ever, while OTP
# messages wait behind it: after 2 minutes the task is told to stop (SoftTimeLimitExceeded, an
# ordinary failure, tried again by the sweeps up to JOB_MAX_ATTEMPTS), after 2½ its process is ended and the task
# acknowledged as failed, so it is not handed out again in a loop (tests/faults/test_task_time_limits.py).
# The limits travel in each task's message, from the settings of the process that queues it: the
# web and the worker processes must be given the same values.
CELERY_TASK_SOFT_TIME_LIMIT = _read("CELERY_TASK_SOFT_TIME_LIMIT", env.int, default=120)
CELERY_TASK_TIME_LIMIT = _read("CELERY_TASK_TIME_LIMIT", env.int, default=150)
# A PDF build is tried at most this many times (retries, sweeps and re-deliveries after a worker
# died, together; vssid_portal/jobs.py; storage errors are not counted); then it is left for an
# officer's "build again" action.
JOB_MAX_ATTEMPTS = _read("JOB_MAX_ATTEMPTS", env.int, default=10)
# Publishing must not hang a web request when Redis is away: fail fast, the outbox sweeper
# re-dispatches what stayed pending.
# A task taken by a worker that died (kill -9, lost host) goes back to the queue once it has been
# unacknowledged (acks_late) this many seconds: longer than any task runs or waits for its retry.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2,
    "visibility_timeout": _read("CELERY_VISIBILITY_TIMEOUT", env.int, default=3600),
}
# Celery's own publish retry (default: 3 retries 0.2 s apart) cost 0.6 s per task while Redis was
# down, about 2 s per filing submitted: one immediate retry still replaces a stale connection.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0}
CELERY_TIMEZONE = time_zone.TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "notifications-redispatch-pending": {
        "task": "notifications.tasks.redispatch_pending_messages",
        "schedule": timedelta(minutes=5),
    },
    # A delivery ended by its hard time limit is acknowledged, handed out to nobody again: its message,
    # a one-time code of 5 minutes, is sent again within a minute of its hold's end.
    "notifications-redispatch-lapsed-holds": {
        "task": "notifications.tasks.redispatch_lapsed_holds",
        "schedule": timedelta(minutes=1),
    },
    # The daily sweeps run at a fixed hour of the night (Vietnam time): an entry every 24 hours
    # would count again from each start of beat, and never run on a portal deployed every day.
    "notifications-delete-old-messages": {
        "task": "notifications.tasks.delete_old_messages",
        "schedule": crontab(hour=2, minute=30),
    },
    "registrations-delete-stale-photos": {
        "task": "accounts.tasks.delete_stale_registration_photos",
        "schedule": crontab(hour=3, minute=0),
    },
    # Every 6 hours at fixed times (as the daily sweeps, so that restarts of beat do not put them off).
    "registrations-delete-abandoned-uploads": {
        "task": "accounts.tasks.delete_abandoned_uploads",
        "schedule": crontab(hour="*/6", minute=15),
    },
    "registrations-build-missing-declarations": {
        "task": "accounts.tasks.build_missing_declarations",
        "schedule": timedelta(minutes=10),
    },
    "filings-build-missing-declarations": {
        "task": "public_services.tasks.build_missing_filing_declarations",
        "schedule": timedelta(minutes=10),
    },
    "filings-delete-abandoned-uploads": {
        "task": "public_services.tasks.delete_abandoned_filing_uploads",
        "schedule": crontab(hour="*/6", minute=20),
    },
    # Just after midnight, Vietnam time (CELERY_TIMEZONE): a card is expired from the day after its end date.
    "cards-expire": {
        "task": "health_card.tasks.expire_cards",
        "schedule": crontab(hour=0, minute=5),
    },
    "sessions-clear-expired": {
        "task": "vssid_portal.tasks.clear_expired_sessions",
        "schedule": crontab(hour="*/6", minute=25),
    },
}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 12 * 60 * 60  # absolute limit of a session: 12 h

# --- Accounts (django-allauth) ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# allauth's backend is Django's ModelBackend plus allauth's login rules: one backend, so a failed
# login hashes the password once.
AUTHENTICATION_BACKENDS = ["accounts.auth_backends.AuthenticationBackend"]
# Passwords (OWASP ASVS 5, 6.2): length, not composition — at least 8 characters, 128 accepted —
# and no common or personal-data passwords. The length and personal-data validators speak Vietnamese.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.forms_auth.PersonalDataValidator"},
    {"NAME": "accounts.forms_auth.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "accounts.forms_auth.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:personal"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # this session stays; the others end (accounts/signals.py)
ACCOUNT_SESSION_REMEMBER = False
# Failed logins are limited per IP and per account over one window, so the message can say when
# to retry. "otp_send": at most 5 one-time codes an hour to one phone or e-mail (accounts/otp.py);
# "otp_send_reset_client": of these, at most 3 password reset codes asked from one client address,
# so that a stranger who knows a BHXH code cannot spend the holder's codes of the hour.
# They need a real cache: local memory (embedded) or Redis, never DummyCache.
ACCOUNTS_LOGIN_LOCK_MINUTES = 15
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"30/{ACCOUNTS_LOGIN_LOCK_MINUTES}m/ip,5/{ACCOUNTS_LOGIN_LOCK_MINUTES}m/key",
    "otp_send": "5/1h/key",
    "otp_send_reset_client": "3/1h/key",
}
# Password reset requests that would send a code, from one client address (an IPv4 address or an
# IPv6 /64) whatever the BHXH code: allauth's "reset_password" lets 20 a minute through, each a text
# message to another phone (accounts/services/password_reset.py).
ACCOUNT_RESET_PER_CLIENT_RATE = "10/h"
# Challenges (accounts.services.challenge) one client address (an IPv4 address or an IPv6 /64) may
# fail on the BHXH-code lookup and the password reset together before its tries are refused: a
# script guessing the question without JavaScript instead of doing the work stops there.
CHALLENGE_FAILURE_RATE = "20/h"
USERSESSIONS_ADAPTER = "accounts.adapter.UserSessionsAdapter"
USERSESSIONS_TRACK_ACTIVITY = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# A browser that passed the new-device code is trusted for 90 days: allauth.mfa's signed cookie,
# bound to the password hash (a password change untrusts every browser).
MFA_TRUST_ENABLED = True
MFA_TRUST_COOKIE_AGE = timedelta(days=90)
SESSION_IDLE_TIMEOUT = 30 * 60  # seconds without a request before a session ends (accounts/sessions.py)
# Behind a reverse proxy every client would look like the proxy: production must say how many
# proxies stand in front (0 when none), so rate limits see the real client address.
if PRODUCTION and not os.environ.get("TRUSTED_PROXY_COUNT", "").strip():
    raise ImproperlyConfigured(
        "Biến môi trường TRUSTED_PROXY_COUNT là bắt buộc khi DJANGO_ENV=production (số reverse proxy phía trước, 0 nếu không có)."
    )
ALLAUTH_TRUSTED_PROXY_COUNT = _read("TRUSTED_PROXY_COUNT", env.int, default=0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        "Biến môi trường TRUSTED_PROXY_COUNT phải là số reverse proxy phía trước (0 nếu không có), "
        f"không phải {ALLAUTH_TRUSTED_PROXY_COUNT}."
    )

# --- Phone numbers ----------------------------------------------------------------------------
PHONENUMBER_DEFAULT_REGION = "VN"
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

# --- Language, time ---------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# locale/allauth: allauth's English in the portal's terms, kept apart from locale/en, which `make messages` rewrites.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "allauth"]
FORMAT_MODULE_PATH = ["vssid_portal.formats"]  # dd/mm/yyyy in both languages, the admin included
TIME_ZONE = time_zone.TIME_ZONE  # also gunicorn's master's (vssid_portal/gunicorn_conf.py)
USE_I18N = True
USE_TZ = True

# --- Static, media and private files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(_read("STATIC_ROOT", env.str, default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Private uploads (ID photos) and generated PDFs: outside every URL, served by permission-checked views.
PRIVATE_FILES_ROOT = Path(_read("PRIVATE_FILES_ROOT", env.str, default=str(BASE_DIR / "var" / "private")))
# Lead images of news articles: public, but served by a view for published articles only (lookup.models_support).
NEWS_MEDIA_ROOT = Path(_read("NEWS_MEDIA_ROOT", env.str, default=str(BASE_DIR / "var" / "media" / "news")))
STORAGES = {
    # Every FileField lands here unless it names another storage: private by default.
    "default": {"BACKEND": "vssid_portal.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION  # development and tests serve straight from static/
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# --- Notifications ----------------------------------------------------------------------------
SMS_BACKEND = _read(
    "SMS_BACKEND",
    env.str,
    default="notifications.sms.FileSmsBackend" if not PRODUCTION else "notifications.sms.HttpGatewaySmsBackend",
)
SMS_FILE_PATH = Path(_read("SMS_FILE_PATH", env.str, default=str(BASE_DIR / "var" / "sms")))
SMS_GATEWAY_URL = _read("SMS_GATEWAY_URL", env.str, default="")
SMS_GATEWAY_TOKEN = _read("SMS_GATEWAY_TOKEN", env.str, default="")
SMS_GATEWAY_TIMEOUT = _seconds("SMS_GATEWAY_TIMEOUT", default=5.0)
if SMS_BACKEND.endswith("HttpGatewaySmsBackend") and PRODUCTION:
    # The gateway client sends `Authorization: Bearer <token>` with every SMS: an empty token has each refused.
    for _name, _value in (("SMS_GATEWAY_URL", SMS_GATEWAY_URL), ("SMS_GATEWAY_TOKEN", SMS_GATEWAY_TOKEN)):
        if not _value:
            raise ImproperlyConfigured(f"Biến môi trường {_name} là bắt buộc với HttpGatewaySmsBackend.")
NOTIFICATION_MAX_ATTEMPTS = _read("NOTIFICATION_MAX_ATTEMPTS", env.int, default=6)
NOTIFICATION_RETRY_BASE_SECONDS = _seconds("NOTIFICATION_RETRY_BASE_SECONDS", default=30.0)

if env.str("EMAIL_URL", default=""):
    vars().update(_read("EMAIL_URL", env.email_url))
else:
    EMAIL_BACKEND = (
        "django.core.mail.backends.filebased.EmailBackend"
        if not PRODUCTION
        else "django.core.mail.backends.smtp.EmailBackend"
    )
    EMAIL_FILE_PATH = BASE_DIR / "var" / "email"
DEFAULT_FROM_EMAIL = _read("DEFAULT_FROM_EMAIL", env.str, default="Cổng dịch vụ BHXH số <no-reply@vssid.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language choice (i18n/setlang) is read by the server only: no script needs its cookie. It
# outlives the browser session (Django's default), so an English reader is not sent back to
# Vietnamese each time the browser is closed.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
EMAIL_TIMEOUT = 10  # a hung mail server must not hold a delivery worker
# Sending one SMS or one e-mail takes seconds: the delivery task (notifications.tasks.deliver_message)
# has limits of its own, far shorter than a PDF's, so that its hold on a message can be short too. A
# worker killed mid-send then leaves a one-time code held about a minute, not three of its five.
NOTIFICATION_TASK_SOFT_TIME_LIMIT = _read("NOTIFICATION_TASK_SOFT_TIME_LIMIT", env.int, default=20)
NOTIFICATION_TASK_TIME_LIMIT = _read("NOTIFICATION_TASK_TIME_LIMIT", env.int, default=30)
# A delivery holds its message this many seconds (notifications.services.message_deliver): a second
# run of the same task (a redelivery, the sweep's copy) stays away meanwhile, and takes over once a
# dead worker's hold runs out. Longer than a live try can last, the delivery task's hard time limit, after
# which its process is ended: the gateway's and mail server's timeouts bound each socket operation,
# not a whole call, so a slow answer could otherwise outlast the hold and be sent again beside it
# (system check notifications.E002).
NOTIFICATION_CLAIM_SECONDS = _seconds("NOTIFICATION_CLAIM_SECONDS", default=NOTIFICATION_TASK_TIME_LIMIT + 30)
# A message that must not go out after `expires_at` (a one-time code) is not sent either with less
# than this left: the holder could not type it in time, and a code that arrives useless only misleads.
NOTIFICATION_MIN_USEFUL_SECONDS = _read("NOTIFICATION_MIN_USEFUL_SECONDS", env.int, default=60)
if PRODUCTION:
    SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", default=True)
    # X-Forwarded-Proto says the request reached the proxy over HTTPS only when a proxy is declared: with
    # none in front, the client wrote the header itself and would pass plain HTTP off as HTTPS.
    if ALLAUTH_TRUSTED_PROXY_COUNT > 0:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging ----------------------------------------------------------------------------------
LOG_LEVEL = _read("LOG_LEVEL", env.str, default="INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"Biến môi trường LOG_LEVEL phải là DEBUG, INFO, WARNING, ERROR hoặc CRITICAL, không phải {LOG_LEVEL!r}."
    )
LOGGING_CONFIG = "vssid_portal.log_format.configure"  # also routes Python's warnings to `py.warnings`
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Dated to the millisecond with the offset; gunicorn's own lines use the same (vssid_portal/gunicorn_conf.py).
    "formatters": {"plain": log_format.formatter()},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- BHYT card QR signing (health_card/keys.py) ------------------------------------------------
# JSON object {"<4-digit key id>": "<Ed25519 private key: 32 bytes, base64url>"}; several keys for
# rotation. Unset in development: a key is made once in HEALTH_CARD_DEV_KEY_FILE. Required in production.
HEALTH_CARD_SIGNING_KEYS = _read("HEALTH_CARD_SIGNING_KEYS", env.json, default={})
HEALTH_CARD_SIGNING_KEY_ID = _read("HEALTH_CARD_SIGNING_KEY_ID", env.str, default="")
HEALTH_CARD_DEV_KEY_FILE = BASE_DIR / "var" / "health_card_keys.json"
# Answers of the card API to a missing or wrong token, per client address (health_card/views/verify.py):
# past them the address is refused before its token is looked at. A clinic's software whose token was
# changed gets a handful; one refused waits at most the minute once its token is right.
HEALTH_CARD_API_UNAUTHORISED_RATE = "60/m"
# Checks of one clinic login on the verify page, scans and typed alike, right answers or wrong
# (health_card/views/verify.py): far more than a busy reception desk sends, so that only a scanner
# stuck sending or a script meets it.
HEALTH_CARD_CLINIC_CHECK_RATE = "600/m"

# Searches and result pages of the public reference lookups (lookup/views.py: agencies, KCB facilities,
# employers, collection points, together) from one client address (an IPv4 address or an IPv6 /64):
# public reference data, so the limit only keeps a script from loading them without pause. Many people
# share one IPv4 address (a school's or an office's network, a mobile operator's NAT), each spending
# a few searches a minute: a class choosing its clinics together stays far below.
PUBLIC_LOOKUP_RATE = "600/m"
# Searches of the registration's agency step (accounts/views/registration.py: words typed in its box, by a
# session past the first two steps) from one client address: a registrant looks for their agency a few
# times, a class registering together behind one address a few times each, while a script that has
# passed the first step once would otherwise search the agencies without end.
REGISTRATION_AGENCY_SEARCHES_PER_CLIENT = "120/h"
# Downloads of the participation history as CSV (participation/views/history.py) by one login, all the
# persons it views together: each reads and writes every period of a history of up to 40 years; enough
# to download it again after a file lost, while a script looping on the link no longer holds the workers.
PARTICIPATION_EXPORTS_PER_LOGIN = "10/h"

# The portal's public address, printed in documents (statement QR codes); empty: taken from the request.
PORTAL_PUBLIC_URL = _read("PORTAL_PUBLIC_URL", env.str, default="").rstrip("/")
PORTAL_HOTLINE = "1900 9068"
PORTAL_EMAIL = "baohiemxahoi@vss.gov.vn"
CSRF_FAILURE_VIEW = "accounts.views.security.csrf_failure"  # the login page's own, else the portal's
FORM_RENDERER = "vssid_portal.forms.renderer.PortalFormRenderer"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
MFA_FORMS = {"authenticate": "accounts.forms.AuthenticateForm", "reauthenticate": "accounts.forms.ReauthenticateForm",
             "activate_totp": "accounts.forms.ActivateTOTPForm"}
