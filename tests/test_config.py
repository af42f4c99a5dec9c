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


def _one_clear_line(proc, *fragments):
    """The process stopped with exit code 1 and a single 'Configuration error:' line naming the fragments."""
    err = proc.stderr.strip()
    assert proc.returncode == 1, (proc.returncode, err)
    assert err.splitlines() == [err], err  # one line, no traceback
    assert err.startswith("Configuration error:"), err
    for fragment in fragments:
        assert fragment in err, err


# Import wsgi as `flask --app wsgi` and gunicorn do, with the instance folder moved to a temporary one.
IMPORT_WITH_INSTANCE = ("import sys, flask; flask.Flask.auto_find_instance_path = lambda self: sys.argv[1]; "
                        "import wsgi")


@pytest.mark.parametrize("source,fragments", [
    ("PER_PAGE = 30\nTILES_URL = 'https://example.org/{z}/{x}/{y}.png'\nMAIL_FROM = 'me@\n",
     ["config.py has a syntax error on line 3"]),
    ("PER_PAGE = thirty\n", ["config.py cannot be read", "NameError", "thirty"]),
])
def test_broken_instance_config_is_one_clear_line(source, fragments, tmp_path):
    (tmp_path / "config.py").write_text(source)
    env = {**os.environ, "SECRET_KEY": "x" * 40}
    proc = subprocess.run([sys.executable, "-c", IMPORT_WITH_INSTANCE, str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    _one_clear_line(proc, str(tmp_path), *fragments)


def test_working_instance_config_is_read(tmp_path):
    (tmp_path / "config.py").write_text("PER_PAGE = 30\n")
    env = {**os.environ, "SECRET_KEY": "x" * 40}
    proc = subprocess.run([sys.executable, "-c", IMPORT_WITH_INSTANCE + "; print(wsgi.app.config['PER_PAGE'])",
                           str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "30", proc.stderr


@pytest.mark.parametrize("uri", ["bogus://", "memcached://no-port"])
def test_bad_rate_limit_storage_is_one_clear_line(uri, tmp_path):
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        create_app({"RATELIMIT_STORAGE_URI": uri, "SECRET_KEY": "x" * 40,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3"})
    env = {**os.environ, "RATELIMIT_STORAGE_URI": uri, "SECRET_KEY": "x" * 40}
    proc = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    _one_clear_line(proc, f"RATELIMIT_STORAGE_URI={uri!r} cannot be used")


def test_bad_cache_url_is_one_clear_line(tmp_path):
    env = {**os.environ, "CACHE_REDIS_URL": "memcached://somewhere", "SECRET_KEY": "x" * 40}
    proc = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    _one_clear_line(proc, "CACHE_REDIS_URL='memcached://somewhere' cannot be used")


@pytest.mark.parametrize("url,fragments", [
    ("sqlite:////nonexistent-folder/for/sure/directory.sqlite3", ["unable to open database file"]),
    ("postgresql://someone:hidden-password@127.0.0.1:1/nothing", ["127.0.0.1", "***"]),
])
def test_unreachable_database_on_db_upgrade_is_one_clear_line(url, fragments):
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "x" * 40, "FLASK_APP": "wsgi"}
    flask = Path(sys.executable).with_name("flask")
    proc = subprocess.run([str(flask), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    _one_clear_line(proc, "cannot connect to the database", *fragments)
    assert "hidden-password" not in proc.stderr
