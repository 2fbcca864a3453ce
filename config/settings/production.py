"""Production: every secret comes from the environment and a missing one stops the start."""

from django.core.exceptions import ImproperlyConfigured

from .base import *


def require_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"生产环境缺少必需的环境变量 {name}（missing required setting {name}）")
    return value


DEBUG = False
SECRET_KEY = require_env("XINYONG_SECRET_KEY")
XINYONG_PII_HMAC_KEY = require_env("XINYONG_PII_HMAC_KEY")
XINYONG_PII_ENCRYPTION_KEYS = [k for k in require_env("XINYONG_PII_ENCRYPTION_KEYS").split(",") if k]
require_env("DATABASE_URL")
DATABASES = {"default": database_from_env(VAR_DIR / "unused.sqlite3")}
ALLOWED_HOSTS = [h for h in require_env("XINYONG_ALLOWED_HOSTS").split(",") if h]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("XINYONG_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("XINYONG_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = os.environ.get("XINYONG_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("XINYONG_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("XINYONG_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("XINYONG_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("XINYONG_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("XINYONG_EMAIL_USE_TLS", False)
