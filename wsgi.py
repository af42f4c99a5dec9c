"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi run`."""
import sys

from directory import create_app
from directory.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:  # one clear line, not a traceback
    sys.exit(f"Configuration error: {exc}")
