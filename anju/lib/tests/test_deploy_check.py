"""HTTPS settings: the production environment the README gives (section 5) passes Django's
deployment checklist (`anju check --deploy`) without a warning, while the demo's defaults keep
plain HTTP on 127.0.0.1 working, and so are warned about."""

import ast
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from anju.lib.env import ConfigError, proxy_ssl_header

ROOT = Path(__file__).resolve().parents[3]
WARNINGS = ("security.W004", "security.W008", "security.W012", "security.W016")


def production_environment() -> dict[str, str]:
    """The NAME=value lines of the first sh block of the README's "Production" section, with a real
    key for the placeholder."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 5. Production", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    env = {}
    for line in block.splitlines():
        name, _equals, value = line.split("#", 1)[0].strip().partition("=")
        env[name] = value
    assert env["SECRET_KEY"] == "…"
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def check_deploy(tmp_path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``anju check --deploy --fail-level WARNING`` in a fresh process with only ``env`` set."""
    environment = {name: value for name, value in os.environ.items()
                   if name in ("PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV")}
    environment.update(ANJU_DATA_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-m", "anju.cli", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_the_production_environment_of_the_readme_passes_the_deployment_checklist(tmp_path):
    env = production_environment()
    assert env["ANJU_HTTPS"] == "true"
    run = check_deploy(tmp_path, env)
    assert run.returncode == 0, run.stderr
    assert "no issues" in run.stdout


def test_without_https_the_checklist_warns(tmp_path):
    env = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "anju.example.gov.cn"}
    run = check_deploy(tmp_path, env)
    assert run.returncode != 0
    for warning in WARNINGS:
        assert warning in run.stderr


def settings_in(tmp_path, **env) -> dict:
    """The HTTPS settings as a fresh process loads them with ``env``."""
    environment = {name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "PYTHONPATH")}
    environment.update(ANJU_DATA_DIR=str(tmp_path), **env)
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
             "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER"]
    code = f"import anju.settings as s; print({{n: getattr(s, n) for n in {names}}})"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    return ast.literal_eval(run.stdout)


def test_the_demo_runs_on_plain_http(tmp_path):
    assert settings_in(tmp_path) == {
        "SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False, "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0, "SECURE_HSTS_INCLUDE_SUBDOMAINS": False, "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None}


def test_https_turns_everything_on_and_each_setting_can_be_set_on_its_own(tmp_path):
    assert settings_in(tmp_path, ANJU_HTTPS="true", ANJU_PROXY_SSL_HEADER="X-Forwarded-Proto") == {
        "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}
    trial = settings_in(tmp_path, ANJU_HTTPS="true", SECURE_HSTS_SECONDS="3600", SECURE_HSTS_PRELOAD="false")
    assert (trial["SECURE_HSTS_SECONDS"], trial["SECURE_HSTS_PRELOAD"], trial["SECURE_SSL_REDIRECT"]) == \
        (3600, False, True)


def test_a_malformed_proxy_header_is_refused():
    with pytest.raises(ConfigError):
        proxy_ssl_header("X-Forwarded-Proto: https")
    assert proxy_ssl_header("x-forwarded-proto") == ("HTTP_X_FORWARDED_PROTO", "https")


def test_plain_http_is_redirected_but_for_the_health_check_and_what_the_proxy_says_came_over_https(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = proxy_ssl_header("X-Forwarded-Proto")
    client = Client()
    response = client.get("/report")
    assert response.status_code == 301 and response["Location"] == "https://testserver/report"
    assert client.get("/health").status_code == 200
    assert client.get("/health", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get("/public/map/", HTTP_X_FORWARDED_PROTO="https").status_code != 301
