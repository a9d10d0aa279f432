"""The ``anju`` command: Django's management commands plus ``serve`` and ``worker``.

    anju serve      production web server (gunicorn + WhiteNoise), PORT or 8000
    anju worker     background worker (Huey consumer: sweeps, notifications)
    anju sweep      one deadline sweep now
    anju demo       load the demo county
    anju bench      benchmark
    anju <other>    any Django management command (migrate, createsuperuser, ...)
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    command = argv[1] if len(argv) > 1 else "help"
    if command == "serve":
        _serve(argv[2:])
        return
    if command == "worker":
        argv = [argv[0], "run_huey", *argv[2:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def _serve(extra: list[str]) -> None:
    from gunicorn.app.wsgiapp import run

    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    sys.argv = [
        "gunicorn", "anju.wsgi:application", "--bind", f"{host}:{port}", "--workers", workers,
        "--access-logfile", "-", "--timeout", "60", *extra,
    ]
    run()


if __name__ == "__main__":
    main()
