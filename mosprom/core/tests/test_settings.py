"""The deployment checks: production settings pass `check --deploy`; missing secrets fail loudly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    prefixes = ("MOSPROM_", "DATABASE_", "DJANGO_ALLOW_ASYNC")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path) -> dict[str, str]:
    return {
        "MOSPROM_MODE": "production",
        "MOSPROM_VAR_DIR": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "mosprom.example.org",
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "587",
        "EMAIL_USE_TLS": "1",
    }


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_mail_server_is_refused_by_check_deploy(tmp_path):
    env = production_env(tmp_path)
    del env["EMAIL_HOST"]
    result = run_manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_production_without_secret_key_fails_to_start(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_embedded_mode_keeps_generated_secrets_under_var(tmp_path):
    env = {"MOSPROM_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    first = run_manage("check", env=env)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert run_manage("check", env=env).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
