"""Settings: environment, instance secret, and one clear line when config is broken."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from directory import create_app
from directory.config import ConfigError, from_environment, instance_secret, normalise_database_url

ROOT = Path(__file__).resolve().parents[1]


def test_secret_key_is_generated_into_the_instance_folder_once(tmp_path):
    first = instance_secret(str(tmp_path))
    assert len(first) >= 32 and (tmp_path / "secret_key").read_text() == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert instance_secret(str(tmp_path)) == first


def test_short_secret_in_instance_is_refused(tmp_path):
    (tmp_path / "secret_key").write_text("short")
    with pytest.raises(ConfigError, match="shorter than 32"):
        instance_secret(str(tmp_path))


def test_environment_settings():
    found = from_environment({"DATABASE_URL": "postgresql://u@h/d", "TILES_URL": "none", "MAIL_PORT": "25"})
    assert found["SQLALCHEMY_DATABASE_URI"] == "postgresql://u@h/d"
    assert found["TILES_URL"] is None and found["MAIL_PORT"] == 25
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    with pytest.raises(ConfigError, match="MAIL_PORT"):
        from_environment({"MAIL_PORT": "twenty-five"})


@pytest.mark.parametrize("url,message", [
    ("mysql://root@localhost/x", "must be SQLite or PostgreSQL"),
    ("not a url", "is not a database URL"),
])
def test_bad_database_url_is_one_clear_line(url, message, tmp_path):
    with pytest.raises(ConfigError, match=message):
        create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x" * 40})
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "x" * 40}
    proc = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]  # one line, no traceback
    assert proc.stderr.startswith("Configuration error:") and message in proc.stderr
