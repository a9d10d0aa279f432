"""A domain module plugs in through the registry without touching a core file: the example
module (``streetlights``, a kind, one event, one sweep, one API route) is installed through
``ANJU_MODULES`` in a pytest run of its own, and no file of the core names it."""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = "anju.cases.tests.streetlights"
CORE = ["anju/cases", "anju/web", "anju/notify", "anju/lib", "anju/people", "anju/geo", "anju/api.py",
        "anju/urls.py", "anju/settings.py"]


def test_no_core_file_names_the_example_module():
    named = []
    for entry in CORE:
        path = ROOT / entry
        for file in ([path] if path.is_file() else path.rglob("*")):
            if file.suffix in {".py", ".html", ".js"} and "tests" not in file.relative_to(ROOT).parts:
                if re.search(r"streetlight|lamp_replaced", file.read_text(encoding="utf-8"), re.IGNORECASE):
                    named.append(str(file.relative_to(ROOT)))
    assert named == []


def test_the_example_module_plugs_in_and_works():
    # The example module alone beside the core: the core needs no other module, and the run
    # migrates no other module's tables.
    env = dict(os.environ, ANJU_MODULES=EXAMPLE)
    url = urlsplit(env.get("DATABASE_URL", ""))
    if url.scheme.startswith("postgres"):
        # A test database of its own, beside the one this run is using.
        env["DATABASE_URL"] = urlunsplit(url._replace(path=url.path.rstrip("/") + "_example"))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--create-db",
         str(ROOT / "anju/cases/tests/streetlights/check_streetlights.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert re.search(r"\b4 passed\b", run.stdout), run.stdout[-2000:]
