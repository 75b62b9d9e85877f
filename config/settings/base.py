"""Settings shared by every profile. Values that differ between machines come
from the environment (see ``config/env.py``); profiles only tighten or relax."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_site_url, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "import_export",
    "simple_history",
    "config.apps.AxesConfig",  # django-axes, named in Russian
    "core",
    "schools",
    "roadmaps",
    "monitoring",
    "execution",
    "dashboard",
    "notifications",
    "reports",
    "partnerships",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "schools.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns a lockout signal into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schools.context_processors.navigation",
                "execution.context_processors.navigation",
                "partnerships.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]

# SQLite is only the embedded default of `make run`; tests and production use PostgreSQL
# through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Keep a connection per worker thread for a minute instead of opening one per request;
    # the health check re-opens it when PostgreSQL dropped it in between.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo under concurrent users: WAL lets readers run beside the one writer, a busy
    # timeout makes a writer wait for the lock instead of failing with "database is locked",
    # and IMMEDIATE transactions take the write lock at BEGIN, so a transaction never has to
    # upgrade a read lock midway (which SQLite refuses at once, whatever the timeout).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "schools.User"
AUTHENTICATION_BACKENDS = [
    # Axes first so that a locked-out username + IP never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request (shared school
# computers are common) and never live longer than a working day plus a night.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis in production) and kept in the database too: a
# request does not ask PostgreSQL for its session, and nothing is lost when the cache is.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# django-axes: lock a username from one address, not the whole address: many schools sit
# behind one NAT and must not lock each other out. The lock lifts by itself.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "schools.security.client_ip"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# django-guardian: no anonymous user object; object permissions are exceptions only.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
GUARDIAN_MONKEY_PATCH_USER = False

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Uploads waiting for import (and later evidence, scans) live in the private storage:
# outside MEDIA_ROOT and STATIC_ROOT, never served by any URL; views that check access read
# them. Production keeps it on a volume of its own (PRIVATE_ROOT).
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": "/private-files-are-never-served/"},
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

from celery.schedules import crontab as _crontab  # noqa: E402
from kombu import Queue as _CeleryQueue  # noqa: E402

# Celery: every job runs in a worker (``core.jobs``: a job row, a thin task taking its id,
# enqueued on commit). State lives in the job rows, so no result backend. Each kind of
# work has its queue, so a burst of PDFs never delays an import; time limits are per task
# (set on the task), these are the fallbacks. acks_late only where a task is idempotent —
# the job-row guard of run_job makes job tasks so — and the broker's visibility timeout
# stays above every hard limit, so a long task is never redelivered while it runs.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [
    _CeleryQueue(name, routing_key=name) for name in ("default", "imports", "pdf", "mail")
]
CELERY_TASK_ROUTES = {
    "roadmaps.tasks.parse_import": {"queue": "imports"},
    "roadmaps.tasks.cleanup_imports": {"queue": "default"},
    "schools.tasks.cleanup_directory_uploads": {"queue": "default"},
    "notifications.tasks.send_reminders": {"queue": "mail"},
    "notifications.tasks.send_digest": {"queue": "mail"},
    "notifications.tasks.cleanup_notifications": {"queue": "default"},
    "reports.tasks.build_report": {"queue": "pdf"},
    "reports.tasks.cleanup_reports": {"queue": "default"},
    "partnerships.tasks.build_network_pdf": {"queue": "pdf"},
    "partnerships.tasks.expire_agreements": {"queue": "default"},
    "partnerships.tasks.cleanup_agreement_uploads": {"queue": "default"},
}
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "cleanup-imports": {"task": "roadmaps.tasks.cleanup_imports", "schedule": 30 * 60},
    "cleanup-directory-uploads": {
        "task": "schools.tasks.cleanup_directory_uploads",
        "schedule": 60 * 60,
    },
    # Every hour: each region's digests once its people's digest hour has come (the job
    # catches up on whatever an earlier run missed). REMINDERS_BEAT_SECONDS replaces the
    # hourly crontab by a short interval (the end-to-end test of worker and beat).
    "send-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": env_int("REMINDERS_BEAT_SECONDS", 0) or _crontab(minute=0),
    },
    "cleanup-notifications": {
        "task": "notifications.tasks.cleanup_notifications",
        "schedule": _crontab(minute=30, hour=3),
    },
    "cleanup-reports": {
        "task": "reports.tasks.cleanup_reports",
        "schedule": _crontab(minute=45, hour=3),
    },
    # Agreements whose validity ended become «Истёк срок» early in the day (before the
    # digests of the day, which tell of those about to end).
    "expire-agreements": {
        "task": "partnerships.tasks.expire_agreements",
        "schedule": _crontab(minute=5, hour=0),
    },
    "cleanup-agreement-uploads": {
        "task": "partnerships.tasks.cleanup_agreement_uploads",
        "schedule": 60 * 60,
    },
}
# A claimed digest whose e-mail is still not sent this long after it was due (its task was
# lost with a killed worker or never reached the broker) is sent again by the hourly run:
# the same message (notifications.mail.message_id), never twice once sent.
DIGEST_RESEND_AFTER = timedelta(minutes=env_int("DIGEST_RESEND_AFTER_MINUTES", 10))
# Read notifications are kept this long, unread ones and digests twice as long.
NOTIFICATION_RETENTION = timedelta(days=env_int("NOTIFICATION_RETENTION_DAYS", 180))
# Uploads waiting for import are kept this long, then deleted by cleanup_imports.
IMPORT_UPLOAD_TTL = timedelta(hours=env_int("IMPORT_UPLOAD_TTL_HOURS", 24))
IMPORT_JOB_RETENTION = timedelta(days=env_int("IMPORT_JOB_RETENTION_DAYS", 30))

# Reports (reports/): files of unsigned reports are kept this long after their last
# request (a signed PDF is kept: its QR code leads to it); the key that encrypts the
# private keys of organisations' certificates (URL-safe base64 of 32 bytes; empty: derived
# from SECRET_KEY); a timestamp authority for PAdES B-T/B-LT signatures and whether
# revocation data may be fetched over the network while signing.
REPORT_RETENTION = timedelta(days=env_int("REPORT_RETENTION_DAYS", 30))
CERTIFICATE_ENCRYPTION_KEY = env_str("CERTIFICATE_ENCRYPTION_KEY", "")
SIGNING_TSA_URL = env_str("SIGNING_TSA_URL", "")
SIGNING_FETCH_REVOCATION = env_bool("SIGNING_FETCH_REVOCATION", False)
# The largest PDF the public verification page reads.
VERIFY_MAX_BYTES = env_int("VERIFY_MAX_BYTES", 20 * 1024 * 1024)

# Mail (Django 6.1 MAILERS). EMAIL_URL-style split settings keep deployment simple:
# MAIL_BACKEND=smtp needs MAIL_HOST; the default prints letters to the console;
# MAIL_BACKEND=file writes each letter as one file named by its Message-ID into
# MAIL_FILE_PATH (demos and checks: a letter sent again rewrites its own file).
_MAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "file": "notifications.mail_backends.MessageFileBackend",
}
_mail_backend = env_str("MAIL_BACKEND", "console")
if _mail_backend not in _MAIL_BACKENDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"MAIL_BACKEND={_mail_backend!r}: use one of {sorted(_MAIL_BACKENDS)}."
    )
_mail_options: dict = {}
if _mail_backend == "smtp":
    _mail_options = {
        "host": env_str("MAIL_HOST"),
        "port": env_int("MAIL_PORT", 587),
        "username": env_str("MAIL_USER", ""),
        "password": env_str("MAIL_PASSWORD", ""),
        "use_tls": env_bool("MAIL_USE_TLS", True),
        # A mail server that stops answering fails the send (retried later) instead of
        # holding a worker and the digest's row lock.
        "timeout": env_int("MAIL_TIMEOUT", 30),
    }
elif _mail_backend == "file":
    _mail_file_path = env_str("MAIL_FILE_PATH", "").strip()
    if not _mail_file_path:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "MAIL_BACKEND=file needs MAIL_FILE_PATH (a folder for the letters)."
        )
    _mail_options = {"file_path": _mail_file_path}
MAILERS = {"default": {"BACKEND": _MAIL_BACKENDS[_mail_backend], "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Дорожные карты <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people reach the site: the links in e-mails and in the calendar feed are absolute.
SITE_URL = env_site_url("SITE_URL", "http://127.0.0.1:8000")

# Content Security Policy (Django's own): everything from this origin, inline scripts only
# with the per-request nonce; htmx and Bootstrap are served from static/.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every step of every render at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- django-import-export -------------------------------------------------------------
# One transaction per import: with any row error nothing is written. Cells that would start
# a formula are escaped on export (the project's formats prefix them with an apostrophe).
# The permission codes make any import/export admin without its own check fail closed
# ("schools.import_organisation" does not exist); the directory admins check the role verbs
# schools.import_directory / schools.export_directory instead (see schools/admin.py).
from import_export.formats.base_formats import CSV as _IE_CSV  # noqa: E402
from import_export.formats.base_formats import XLSX as _IE_XLSX  # noqa: E402

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_SKIP_ADMIN_CONFIRM = False
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_FORMATS = [_IE_XLSX, _IE_CSV]
IMPORT_FORMATS = [_IE_XLSX, _IE_CSV]
EXPORT_FORMATS = [_IE_XLSX, _IE_CSV]
# --- end of django-import-export ------------------------------------------------------
