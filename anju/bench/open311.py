"""``anju bench open311``: Open311 GeoReport v2 throughput through the production server.

Phases:

1. The same fresh database as ``anju bench`` (``runner.prepare_database``), the demo
   county's registers, N bulk cases so the tables are not empty, and the demo county's
   Open311 application (key ``demo-open311-key``).
2. ``anju serve`` (gunicorn) with **one worker** in a child process, on a free port, with
   its own data directory (task queue, cache) and ``DATABASE_URL`` pointing at the bench
   database.
3. ``--requests`` POSTs to ``/open311/v2/requests.json``, one after the other, each on a
   **new connection** (``Connection: close``), form-encoded like the specification's example
   (a point at the centre of a random grid, a description, an e-mail address, a name), after
   ``--warmup`` untimed ones. Every answer must be a 2xx carrying a ``service_request_id``.
4. The same number of GETs of ``/open311/v2/requests/{id}.json``, each for one of the
   requests just created, the same way.

Throughput is requests divided by the wall-clock time of the sequence; the latency figures
are per request as the client saw them (connect, send, read the whole answer, close).
"""

import http.client
import json
import os
import random
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from django.db import connection, connections
from django.utils import timezone

from anju.bench import runner
from anju.cases.models import Case
from anju.geo.choices import Level
from anju.geo.models import Region

SERVICE_CODE = "urban.road"
API_KEY = "demo-open311-key"


@dataclass
class Open311BenchConfig:
    cases: int = runner.DEFAULT_CASES
    requests: int = 500
    warmup: int = runner.DEFAULT_WARMUP
    seed: int = runner.build.DEFAULT_SEED
    directory: str = ""
    db_name: str = runner.DEFAULT_PG_NAME
    command: list[str] = field(default_factory=lambda: list(sys.argv))

    def validate(self) -> None:
        if self.cases < 0 or self.requests < 1 or self.warmup < 0:
            raise runner.BenchError("--cases and --warmup must be at least 0, --requests at least 1")
        if "bench" not in self.db_name:
            raise runner.BenchError("--db-name must contain 'bench' (the database is dropped and created again)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """The bench database as a DATABASE_URL for the server process."""
    db = connections["default"].settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + str(Path(db["NAME"]).resolve())
    user = quote(db.get("USER") or "")
    password = (":" + quote(db["PASSWORD"])) if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "localhost", db.get("PORT") or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _start_server(port: int, data_dir: str, log) -> subprocess.Popen:
    env = {
        **os.environ, "DATABASE_URL": _database_url(), "WEB_CONCURRENCY": "1", "PORT": str(port),
        "HOST": "127.0.0.1", "ANJU_DATA_DIR": data_dir, "ANJU_LOG_LEVEL": "WARNING", "DEBUG": "false",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "anju.cli", "serve", "--access-logfile", "/dev/null", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise runner.BenchError("anju serve stopped: " + server.stderr.read().decode(errors="replace")[-2000:])
        try:
            status, _body = _request(port, "GET", "/health")
            if status == 200:
                log(f"anju serve is up on port {port} (1 worker, pid {server.pid})")
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise runner.BenchError("anju serve did not answer /health within 60 s")


def _request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    """One request on a new connection, closed afterwards."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Connection": "close"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _post_body(rng: random.Random, grids: list[Region], number: int) -> bytes:
    grid = rng.choice(grids)
    return urlencode({
        "api_key": API_KEY, "service_code": SERVICE_CODE, "lat": f"{grid.lat:.6f}", "long": f"{grid.lng:.6f}",
        "description": f"路面出现大坑，影响通行（压测 {number}）", "email": f"bench{number}@example.invalid",
        "first_name": "测", "last_name": "试", "device_id": "bench",
    }).encode()


def _timed(calls, progress: runner.Progress) -> tuple[dict, list]:
    seconds, answers = [], []
    started = time.perf_counter()
    for done, call in enumerate(calls, 1):
        t0 = time.perf_counter()
        answers.append(call())
        seconds.append(time.perf_counter() - t0)
        progress.update(done)
    wall = time.perf_counter() - started
    progress.finish(len(seconds))
    return {"requests": len(seconds), "seconds": round(wall, 2), "per_second": round(len(seconds) / wall, 1),
            **runner.latency_summary(seconds)}, answers


def _created_code(status: int, body: bytes) -> str:
    if not 200 <= status < 300:
        raise runner.BenchError(f"POST answered {status}: {body[:300]!r}")
    return json.loads(body)[0]["service_request_id"]


def run(config: Open311BenchConfig, stream=None) -> dict:
    config.validate()
    stream = stream if stream is not None else sys.stderr

    def log(message: str) -> None:
        stream.write(f"bench open311: {message}\n")
        stream.flush()

    from anju.open311.demo import seed_demo

    where = runner.prepare_database(
        runner.BenchConfig(directory=config.directory, db_name=config.db_name), log)
    info = runner.database_info()
    county = runner.build_county(config.seed)
    rng = random.Random(config.seed)
    if config.cases:
        log(f"bulk loading {config.cases:,} cases")
        runner.bulk_load(runner.CaseFactory(rng, timezone.now()), config.cases, runner.DEFAULT_BATCH,
                         runner.Progress(stream, "bulk load", config.cases))
    seed_demo()
    grids = list(Region.objects.filter(level=Level.GRID, lat__isnull=False).order_by("code"))
    connections.close_all()

    data_dir = tempfile.mkdtemp(prefix="anju-bench-serve-")
    port = _free_port()
    server = _start_server(port, data_dir, log)
    try:
        total = config.warmup + config.requests
        bodies = [_post_body(rng, grids, n) for n in range(total)]
        for body in bodies[: config.warmup]:
            _created_code(*_request(port, "POST", "/open311/v2/requests.json", body))
        log(f"{config.requests:,} POSTs, sequential, a new connection each")
        post, answers = _timed([
            (lambda body=body: _request(port, "POST", "/open311/v2/requests.json", body))
            for body in bodies[config.warmup:]
        ], runner.Progress(stream, "POST", config.requests))
        codes = [_created_code(*answer) for answer in answers]
        for code in codes[: config.warmup]:
            _request(port, "GET", f"/open311/v2/requests/{code}.json")
        log(f"{len(codes):,} single-request GETs, sequential, a new connection each")
        get, answers = _timed([
            (lambda code=code: _request(port, "GET", f"/open311/v2/requests/{code}.json")) for code in codes
        ], runner.Progress(stream, "GET", len(codes)))
        bad = [status for status, _body in answers if status != 200]
        if bad:
            raise runner.BenchError(f"{len(bad)} GETs did not answer 200 (first: {bad[0]})")
    finally:
        server.terminate()
        server.wait(timeout=30)

    database_url = os.environ.get("DATABASE_URL", "")
    return {
        "command": ("DATABASE_URL=" + shlex.quote(runner.masked_url(database_url)) + " " if database_url else "")
        + shlex.join(["anju", *config.command[1:]]),
        "database": {**info, "location": where["location"], "left_in_place": True},
        "code": runner.code_version(),
        "machine": {"cpus": os.cpu_count(), "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "county": county,
        "bulk_cases": config.cases,
        "cases_in_database": Case.objects.count(),
        "server": "anju serve (gunicorn), 1 worker, DEBUG off",
        "warmup": config.warmup,
        "post": post,
        "get": get,
    }


def format_table(result: dict) -> str:
    db = result["database"]
    vendor = "PostgreSQL" if db["vendor"] == "postgresql" else "SQLite"
    lines = [
        f"Anju Open311 benchmark: {vendor} {db['version']}, {result['server']}, "
        f"{result['bulk_cases']:,} bulk cases ({result['cases_in_database']:,} after the run)",
        f"  command:  {result['command']}" + (f"  (code {result['code']})" if result.get("code") else ""),
        f"  database: {db['location']} (left in place)",
        "  sequential requests, a new connection each, after "
        f"{result['warmup']} untimed ones",
        "",
        f"  {'request':<40}{'count':>8}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}",
    ]
    for key, label in (("post", "POST requests.json"), ("get", "GET requests/{id}.json")):
        f = result[key]
        lines.append(f"  {label:<40}{f['requests']:>8,}{f['per_second']:>10,.1f}{f['p50_ms']:>10.2f}"
                     f"{f['p95_ms']:>10.2f}{f['max_ms']:>10.2f}")
    return "\n".join(lines)
