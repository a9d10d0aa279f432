"""Strict parsers for settings read from the environment."""

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


class ConfigError(ValueError):
    """A setting in the environment has a value Anju cannot use."""


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """Django's SECURE_PROXY_SSL_HEADER for the header a proxy sets to ``https``:
    ``X-Forwarded-Proto`` → ("HTTP_X_FORWARDED_PROTO", "https"); None for no header."""
    name = name.strip()
    if not name:
        return None
    if not re.fullmatch(r"[A-Za-z0-9-]+", name):
        raise ConfigError(f"ANJU_PROXY_SSL_HEADER must be a header name such as X-Forwarded-Proto, got {name!r}")
    return "HTTP_" + name.upper().replace("-", "_"), "https"


def parse_database_url(url: str, base_dir: Path) -> dict:
    """Turn a DATABASE_URL into a Django DATABASES entry.

    Accepts ``sqlite:///relative/path``, ``sqlite:////absolute/path`` and
    ``postgres://user:password@host:port/name`` (also ``postgresql://``).
    """
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        raw_path = unquote(parsed.path)
        if raw_path.startswith("//"):
            path = Path(raw_path[1:])
        else:
            path = base_dir / raw_path.lstrip("/")
        return sqlite_database(path)
    if parsed.scheme in ("postgres", "postgresql"):
        name = unquote(parsed.path.lstrip("/"))
        if not name:
            raise ConfigError("DATABASE_URL names no database")
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
            "TEST": {"NAME": f"test_{name}"},
        }
    raise ConfigError(f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use sqlite or postgres)")


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets readers work while one writer writes; IMMEDIATE takes the write
            # lock at the start of a transaction so two writers queue instead of failing.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


# The key an earlier version used when none was set: published in its source, so never accepted.
PUBLISHED_KEYS = frozenset({"anju-insecure-development-key-change-me"})


def check_secret_key(key: str) -> None:
    """Refuse a key everybody can read, or one too short to keep rating codes unguessable."""
    if key in PUBLISHED_KEYS:
        raise ConfigError("SECRET_KEY is the published development key; set a secret one")
    if len(key) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters")


def kept_secret_key(path: Path) -> str:
    """The key kept at ``path`` (readable by its owner only), made at random on first start.
    Several processes starting at once agree on one key: the first to create the file writes it,
    the others wait until they can read it."""
    import secrets
    import time

    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _attempt in range(100):
            key = path.read_text(encoding="ascii").strip()
            if len(key) >= 50:
                return key
            time.sleep(0.05)
        raise ConfigError(f"{path} holds no usable key; delete it or set SECRET_KEY") from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key
