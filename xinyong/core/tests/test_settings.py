"""Production refuses to start without its secrets; DATABASE_URL selects the database."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
)
SECRETS = {
    "XINYONG_SECRET_KEY": "x" * 60,
    "XINYONG_PII_HMAC_KEY": "hmac-key",
    "XINYONG_PII_ENCRYPTION_KEYS": "dGVzdC1vbmx5LXBpaS1lbmNyeXB0aW9uLWtleS0zMmI=",
    "DATABASE_URL": "postgres://xinyong@127.0.0.1:5432/xinyong",
    "XINYONG_ALLOWED_HOSTS": "credit.example.gov.cn",
}


def run(settings: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("XINYONG_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=clean | {"DJANGO_SETTINGS_MODULE": settings} | env,
    )


def test_production_starts_with_all_secrets():
    result = run("config.settings.production", SECRETS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "xinyong.core.postgresql"  # Django's backend, health check by socket poll


def test_production_refuses_each_missing_secret():
    for name in SECRETS:
        result = run("config.settings.production", {k: v for k, v in SECRETS.items() if k != name})
        assert result.returncode != 0
        assert f"缺少必需的环境变量 {name}" in result.stderr


def test_local_defaults_to_sqlite():
    result = run("config.settings.local", {})
    assert result.returncode == 0 and result.stdout.strip() == "django.db.backends.sqlite3"
