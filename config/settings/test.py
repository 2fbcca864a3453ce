"""Test settings: the same database selection as base (DATABASE_URL for PostgreSQL), fast hashing."""

from .base import *

DEBUG = False
SECRET_KEY = "test-secret-key"
XINYONG_PII_HMAC_KEY = "test-pii-hmac-key"
XINYONG_PII_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LXBpaS1lbmNyeXB0aW9uLWtleS0zMmI="]
DATABASES = {"default": database_from_env(VAR_DIR / "test.sqlite3")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
