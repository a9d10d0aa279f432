"""SECRET_KEY: never the published development key, set wherever more than one host needs it,
and otherwise a random key kept in the data directory, so that nobody who installed without a
key can work out a case's rating code."""

import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from anju.lib.env import PUBLISHED_KEYS, ConfigError, check_secret_key, kept_secret_key

ROOT = Path(__file__).resolve().parents[3]


def test_it_makes_a_random_key_on_first_start_readable_by_its_owner_only_and_keeps_it(tmp_path):
    key = kept_secret_key(tmp_path / "secret_key")
    assert len(key) >= 50 and key not in PUBLISHED_KEYS
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    assert kept_secret_key(tmp_path / "secret_key") == key
    assert kept_secret_key(tmp_path / "other") != key


def test_processes_starting_at_once_agree_on_one_key(tmp_path):
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _i: kept_secret_key(tmp_path / "secret_key"), range(16)))
    assert len(keys) == 1


@pytest.mark.parametrize("key", [*PUBLISHED_KEYS, "short"])
def test_it_refuses_a_published_or_short_key(key):
    with pytest.raises(ConfigError):
        check_secret_key(key)


def start(tmp_path, **env) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process with ``env`` instead of the suite's key."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ANJU_REQUIRE_SECRET_KEY"}}
    environment.update(ANJU_DATA_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-c", "import anju.settings as s; print(s.SECRET_KEY)"], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=60)


def test_without_a_key_a_single_host_keeps_its_own(tmp_path):
    first, again = start(tmp_path), start(tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout == (tmp_path / "secret_key").read_text()


@pytest.mark.parametrize("env", [{"ANJU_REQUIRE_SECRET_KEY": "true"}, {"HUEY_REDIS_URL": "redis://127.0.0.1:6379/0"},
                                 {"SECRET_KEY": "anju-insecure-development-key-change-me"}])
def test_production_and_several_hosts_refuse_to_start_without_a_secret_key(tmp_path, env):
    run = start(tmp_path, **env)
    assert run.returncode != 0 and "SECRET_KEY" in run.stderr
    assert not (tmp_path / "secret_key").exists()
