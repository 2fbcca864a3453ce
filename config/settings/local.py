"""Local development and the demo: SQLite by default, fixed development keys, DEBUG on."""

from .base import *

DEBUG = env_bool("XINYONG_DEBUG", True)
SECRET_KEY = os.environ.get("XINYONG_SECRET_KEY", "dev-only-insecure-secret-key-do-not-use-in-production")
# Development keys only. Production refuses to start without its own (see production.py).
XINYONG_PII_HMAC_KEY = XINYONG_PII_HMAC_KEY or "dev-only-pii-hmac-key"
XINYONG_PII_ENCRYPTION_KEYS = XINYONG_PII_ENCRYPTION_KEYS or ["ZGV2LW9ubHktcGlpLWVuY3J5cHRpb24ta2V5LTMyYiE="]
