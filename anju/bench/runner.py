"""The benchmark behind ``anju bench``: a fresh database with N synthetic cases, then the
figures that matter for a county's daily work.

Phases, in order (each timed):

1. **Fresh database.** SQLite: a new file in a temporary directory (or ``--dir``).
   PostgreSQL (when ``DATABASE_URL`` points to one): a database named ``anju_bench`` (or
   ``--db-name``), dropped and created again. The default connection is switched to it
   before anything is read or written, so the configured database is never touched.
   Then ``migrate`` and the demo county's registers (``anju.demo.build``).
2. **Bulk load** of N cases with ``bulk_create`` in batches, with every index of the case
   table in place: ~90 % closed over twelve months, the rest open and spread over the
   offices the routing rules give, with the deadlines and sweep times the services set.
   No timeline events are written for bulk rows (they would double the load time and none
   of the measured queries reads them).
3. **Intake** of a sample through ``services.create_case``, one transaction per case, and
   the **raw insert** rate of the same rows into a scratch table with the same columns
   and no constraints or indexes, one ``INSERT`` per transaction: the ceiling that the
   intake rate is compared with.
4. **Queries**: a busy township handler's inbox, a county supervisor's overdue list and a
   filtered case list, each evaluated to a list ``repeat`` times after a warm-up;
   p50/p95 in milliseconds and the plan the database chose.
5. **Sweep**: ``case_sweep.run_sweep`` over every case whose sweep time has come.

Everything returned is plain data (``run`` returns a dict) so that the command can print
it as a table or as JSON.
"""

import math
import os
import platform
import random
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.models import Count
from django.utils import timezone
from shapely.geometry import shape

from anju.cases import deadlines, queries, services
from anju.cases import sweep as case_sweep
from anju.cases.choices import IN_OFFICE_STATUSES, Channel, ClockUnit, Kind, Priority, RoutingBasis, Status
from anju.cases.models import Case, Category, Reporter, SupervisionNotice
from anju.demo import build
from anju.demo import catalogue as cat
from anju.geo import gridindex
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib import tracking
from anju.lib.workdays import LOCAL, Calendar
from anju.people.choices import OfficeKind, Role
from anju.people.models import Office, RoleAssignment, User
from anju.petitions.choices import PETITION

DEFAULT_CASES = 100_000
DEFAULT_SAMPLE = 3_000
DEFAULT_REPEAT = 200
DEFAULT_WARMUP = 20
DEFAULT_BATCH = 5_000
DEFAULT_PG_NAME = "anju_bench"
SQLITE_FILE = "anju-bench.sqlite3"
SCRATCH_TABLE = "bench_raw_insert"

# The filtered list measured: what a county supervisor looks at for one township.
LIST_STATUSES = [Status.DISPATCHED, Status.IN_PROGRESS]
LIST_CATEGORY = "urban"

# SQLite settings used only while bulk loading (reset to the configured ones afterwards):
# no fsync per batch, and a 512 MB page cache so that the ten indexes stay in memory.
SQLITE_LOAD_PRAGMAS = ["PRAGMA synchronous=OFF", "PRAGMA cache_size=-524288"]
SQLITE_RUN_PRAGMAS = ["PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-2000"]


class BenchError(Exception):
    """The benchmark cannot run as asked (bad option, unsupported database)."""


@dataclass
class BenchConfig:
    """What ``anju bench`` was asked to do."""

    cases: int = DEFAULT_CASES
    sample: int = DEFAULT_SAMPLE
    repeat: int = DEFAULT_REPEAT
    warmup: int = DEFAULT_WARMUP
    batch: int = DEFAULT_BATCH
    seed: int = build.DEFAULT_SEED
    directory: str = ""
    db_name: str = DEFAULT_PG_NAME
    command: list[str] = field(default_factory=lambda: list(sys.argv))

    def validate(self) -> None:
        if self.cases < 1:
            raise BenchError("--cases must be at least 1")
        if self.sample < 1 or self.repeat < 1 or self.warmup < 0 or self.batch < 1:
            raise BenchError("--sample, --repeat and --batch must be at least 1, --warmup at least 0")
        if "bench" not in self.db_name:
            # The database is dropped first: refuse any name that could be a real one.
            raise BenchError("--db-name must contain 'bench' (the database is dropped and created again)")


# ---------------------------------------------------------------------------- reporting helpers


class Progress:
    """A carriage-return progress line on a stream: count, percentage and rate."""

    def __init__(self, stream, label: str, total: int):
        self.stream, self.label, self.total = stream, label, total
        self.started = time.perf_counter()
        self.shown = 0.0

    def update(self, done: int, force: bool = False) -> None:
        now = time.perf_counter()
        if self.stream is None or (not force and now - self.shown < 0.25):
            return
        self.shown = now
        elapsed = max(now - self.started, 1e-9)
        percent = 100.0 * done / self.total if self.total else 100.0
        self.stream.write(
            f"\r  {self.label}: {done:>10,} / {self.total:,}  {percent:5.1f} %  {done / elapsed:>8,.0f} /s"
            f"  {elapsed:6.0f} s"
        )
        self.stream.flush()

    def finish(self, done: int) -> None:
        self.update(done, force=True)
        if self.stream is not None:
            self.stream.write("\n")
            self.stream.flush()


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` percentile of ``values`` by linear interpolation (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(seconds: list[float]) -> dict:
    """p50, p95, mean and max of durations, in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(percentile(ms, 0.50), 3),
        "p95_ms": round(percentile(ms, 0.95), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "max_ms": round(max(ms), 3),
        "runs": len(ms),
    }


def masked_url(url: str) -> str:
    """``url`` with its password replaced by ``***``."""
    if not url:
        return ""
    parsed = urlparse(url)
    if parsed.password:
        netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@")
        parsed = parsed._replace(netloc=netloc)
    return urlunparse(parsed)


# ---------------------------------------------------------------------------- fresh database


def _switch_default(name: str) -> None:
    """Point the default connection at database ``name`` (closing what is open first)."""
    connections.close_all()
    connections.databases["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


def prepare_database(config: BenchConfig, log) -> dict:
    """Create the fresh database, switch the default connection to it and migrate.
    Returns where it is."""
    engine = connections.databases["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        directory = Path(config.directory) if config.directory else Path(tempfile.mkdtemp(prefix="anju-bench-"))
        directory.mkdir(parents=True, exist_ok=True)
        path = directory.resolve() / SQLITE_FILE
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        _switch_default(str(path))
        location = str(path)
    elif engine.endswith("postgresql"):
        name = config.db_name
        with connection._nodb_cursor() as cursor:
            quoted = connection.ops.quote_name(name)
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quoted}")
        _switch_default(name)
        db = connections.databases["default"]
        host, port = db.get("HOST") or "localhost", db.get("PORT") or 5432
        location = f"postgresql://{db.get('USER') or ''}@{host}:{port}/{name}"
    else:
        raise BenchError(f"unsupported database engine {engine}")
    log(f"fresh database: {location}")
    call_command("migrate", verbosity=0, interactive=False)
    return {"location": location}


def code_version() -> str:
    """The git commit of the code that ran (with ``+dirty`` for local changes), or "" outside git."""
    try:
        def git(*args):
            return subprocess.run(["git", "-C", str(settings.BASE_DIR), *args], capture_output=True, text=True,
                                  timeout=10, check=True).stdout.strip()

        return git("rev-parse", "--short", "HEAD") + ("+dirty" if git("status", "--porcelain", "--", "anju") else "")
    except (OSError, subprocess.SubprocessError):
        return ""


def database_info() -> dict:
    """Vendor and server version of the default connection."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute(
                "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
                "('shared_buffers', 'work_mem', 'effective_cache_size', 'synchronous_commit', 'random_page_cost')"
            )
            tuning = dict(cursor.fetchall())
            return {"vendor": "postgresql", "version": version, "settings": tuning}
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
        return {
            "vendor": "sqlite",
            "version": sqlite3.sqlite_version,
            "settings": {"journal_mode": journal, "synchronous": synchronous},
        }


# ---------------------------------------------------------------------------- the county


def build_county(seed: int) -> dict:
    """The demo county's registers, built by the demo builders. Returns counts."""
    build.build_registers(seed)
    return {
        "regions": Region.objects.count(),
        "grids": Region.objects.filter(level=Level.GRID).count(),
        "offices": Office.objects.count(),
        "categories": Category.objects.count(),
        "users": User.objects.count(),
    }


# ---------------------------------------------------------------------------- synthetic cases


def tracking_code(number: int) -> str:
    """A unique, valid tracking code for bulk case ``number`` (0 ≤ number < 32**8).

    Multiplying by an odd constant modulo 2**40 is a bijection, so distinct numbers give
    distinct bodies; the codes look random rather than counting up, like the service's."""
    value = (number * 0x9E3779B97 + 0x2545F4914F) % (1 << 40)
    body = "".join(tracking.ALPHABET[(value >> (5 * k)) & 31] for k in range(7, -1, -1))
    return body + tracking.check_character(body)


@dataclass
class _Grid:
    region: Region
    bounds: tuple[float, float, float, float]  # min lng, min lat, max lng, max lat, inside a 4 % margin


class CaseFactory:
    """Everything needed to make synthetic cases of the demo county quickly: places with
    their weights, categories, the routing of every (category, township), the deadline rule
    of every (kind, category, priority), a calendar, and the staff who register cases."""

    def __init__(self, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now
        county = Region.objects.get(code=cat.COUNTY_CODE)
        self.townships = list(Region.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code"))
        villages = list(Region.objects.filter(level=Level.VILLAGE).order_by("code"))
        self.villages_of: dict[int, list[Region]] = {}
        for village in villages:
            self.villages_of.setdefault(village.parent_id, []).append(village)
        self.grids_of: dict[int, list[_Grid]] = {}
        for grid in Region.objects.filter(level=Level.GRID).order_by("code"):
            minx, miny, maxx, maxy = shape(grid.boundary).bounds
            mx, my = (maxx - minx) * 0.04, (maxy - miny) * 0.04
            self.grids_of.setdefault(grid.parent_id, []).append(_Grid(grid, (minx + mx, miny + my, maxx - mx,
                                                                              maxy - my)))
        self.township_cum = _cumulative(
            build.township_weight(t, len(self.villages_of.get(t.pk, []))) for t in self.townships
        )
        self.village_cum = {
            t.pk: _cumulative(1.5 if v.name.endswith("社区") else 1.0 for v in self.villages_of[t.pk])
            for t in self.townships
        }
        self.categories = {c.code: c for c in Category.objects.all()}
        leaves = [child for _code, _name, _kind, children in cat.CATEGORIES for child in children
                  if child[0] in self.categories]
        self.leaf_codes = [child[0] for child in leaves]
        self.category_cum = {
            True: _cumulative(child[3] for child in leaves),
            False: _cumulative(child[4] for child in leaves),
        }
        self.channels = list(build.CHANNEL_WEIGHTS)
        self.channel_cum = _cumulative(build.CHANNEL_WEIGHTS.values())
        offices = {o.code: o for o in Office.objects.all()}
        self.centre = offices[cat.CENTRE[0]]
        self.township_office = {t.pk: offices[build.township_office_code(t.code)] for t in self.townships}
        self.routes = {}
        for category_code in self.leaf_codes:
            category = self.categories[category_code]
            for township in self.townships:
                routed = services.route(Case(category=category, area_path=township.path))
                self.routes[category_code, township.pk] = (
                    (routed[0].pk, routed[1]) if routed else (self.township_office[township.pk].pk,
                                                              RoutingBasis.TERRITORIAL)
                )
        self._rules: dict[tuple[str, str, str], dict] = {}
        self.calendar = Calendar(deadlines.calendar_for(now).overrides)
        self._deadlines: dict = {}
        self.dispatcher = User.objects.get(username=cat.DEMO_ACCOUNTS[1][0])
        self.grid_workers = {
            a.region.code: a.user
            for a in RoleAssignment.objects.filter(role=Role.GRID_WORKER, region__level=Level.TOWNSHIP)
            .select_related("user", "region")
        }

    # ------------------------------------------------------------------ helpers

    def rule(self, kind: str, category_code: str, priority: str) -> dict:
        """The deadline rule snapshot create_case would store (cached per combination)."""
        key = (kind, category_code, priority)
        if key not in self._rules:
            policy = deadlines.policy_for(kind, self.categories[category_code], priority)
            self._rules[key] = deadlines.rule_from_policy(policy)
        return self._rules[key]

    def deadline(self, rule: dict, stage: str, start: datetime) -> datetime:
        """The deadline of ``stage`` counted from ``start``, as deadlines.compute gives it
        (without a database query per call: day-based results are cached per date)."""
        amount, unit = rule.get(stage) or deadlines.FALLBACK_RULE[stage]
        if unit == ClockUnit.HOURS:
            return start + timedelta(hours=amount)
        key = (start.astimezone(LOCAL).date(), amount, unit)
        if key not in self._deadlines:
            self._deadlines[key] = self.calendar.add(start, amount, unit).at
        return self._deadlines[key]

    def place(self) -> tuple[Region, Region, _Grid]:
        rng = self.rng
        township = rng.choices(self.townships, cum_weights=self.township_cum)[0]
        village = rng.choices(self.villages_of[township.pk], cum_weights=self.village_cum[township.pk])[0]
        grid = rng.choice(self.grids_of[village.pk])
        return township, village, grid

    def what(self, urban: bool) -> tuple[str, str, str, str]:
        """(category code, kind, channel, priority) for a concern."""
        rng = self.rng
        code = rng.choices(self.leaf_codes, cum_weights=self.category_cum[urban])[0]
        kind = build.CATEGORY_KINDS[code]
        channel = rng.choices(self.channels, cum_weights=self.channel_cum)[0]
        if kind == PETITION and channel not in (Channel.LETTER, Channel.WALK_IN, Channel.HOTLINE):
            channel = rng.choice([Channel.LETTER, Channel.WALK_IN])
        roll = rng.random()
        if code == "safety.geohazard":
            priority = Priority.EMERGENCY if roll < 0.08 else Priority.URGENT if roll < 0.35 else Priority.NORMAL
        elif code.startswith("safety."):
            priority = Priority.EMERGENCY if roll < 0.04 else Priority.URGENT if roll < 0.22 else Priority.NORMAL
        elif kind in (PETITION, Kind.CONSULTATION, Kind.SUGGESTION):
            priority = Priority.NORMAL
        else:
            priority = Priority.EMERGENCY if roll < 0.004 else Priority.URGENT if roll < 0.04 else Priority.NORMAL
        return code, kind, channel, priority

    def creator(self, channel: str, township: Region) -> User:
        if channel == Channel.GRID_WORKER and township.code in self.grid_workers:
            return self.grid_workers[township.code]
        return self.dispatcher

    # ------------------------------------------------------------------ intake sample

    def new_case(self) -> tuple[User, services.NewCase]:
        """A concern to register through the services, with a point inside a grid."""
        rng = self.rng
        township, village, grid = self.place()
        code, kind, channel, priority = self.what(village.name.endswith("社区"))
        lat, lng = build.random_point_in_grid(rng, grid.region)
        anonymous = channel == Channel.GRID_WORKER or (kind != PETITION and rng.random() < 0.15)
        spots = cat.URBAN_SPOTS if village.name.endswith("社区") else cat.RURAL_SPOTS
        data = services.NewCase(
            kind=kind, category_code=code, text=build.synthetic_text(rng, code, village.name, township.name),
            channel=channel, priority=priority, lat=lat, lng=lng,
            address=f"{township.name}{village.name}{rng.choice(spots)}",
            reporter_name="" if anonymous else build.random_person_name(rng),
            reporter_phone="" if anonymous else build.fake_phone(rng),
            confidential=not anonymous and code in cat.ABOUT_TOWNSHIP_OFFICE,
            about_office_code=(build.township_office_code(township.code)
                               if not anonymous and code in cat.ABOUT_TOWNSHIP_OFFICE else ""),
        )
        return self.creator(channel, township), data

    # ------------------------------------------------------------------ bulk rows

    def bulk_case(self, number: int, total: int) -> tuple[Case, Reporter | None]:
        """Bulk case ``number`` of ``total``: submitted in time order over the last twelve
        months (more recently more), open or closed by its age, with the fields the
        services would have left on it. Returns the unsaved case and its unsaved reporter."""
        rng = self.rng
        now = self.now
        # Quantile of the demo's "365 * random() ** 1.15 days ago", in time order.
        q = 1 - (number + rng.random()) / total
        age_days = max(365 * q ** 1.15, 0.01)
        submitted_at = now - timedelta(days=age_days)
        township, village, grid = self.place()
        urban = village.name.endswith("社区")
        code, kind, channel, priority = self.what(urban)
        minx, miny, maxx, maxy = grid.bounds
        anonymous = channel == Channel.GRID_WORKER or (kind != PETITION and rng.random() < 0.15)
        reporter = None
        if not anonymous:
            reporter = Reporter(name=build.random_person_name(rng),
                                phone=build.fake_phone(rng) if rng.random() < 0.95 else "")
        about = code in cat.ABOUT_TOWNSHIP_OFFICE and not anonymous
        rule = self.rule(kind, code, priority)
        office_id, basis = self.routes[code, township.pk]
        case = Case(
            tracking_code=tracking_code(number), kind=kind, category_id=self.categories[code].pk,
            text=build.synthetic_text(rng, code, village.name, township.name), channel=channel, priority=priority,
            lat=round(rng.uniform(miny, maxy), 6), lng=round(rng.uniform(minx, maxx), 6),
            address=f"{township.name}{village.name}{rng.choice(cat.URBAN_SPOTS if urban else cat.RURAL_SPOTS)}",
            region_id=grid.region.pk, grid_id=grid.region.pk, area_path=grid.region.path,
            reporter=reporter, confidential=about, about_office_id=self.township_office[township.pk].pk if about
            else None, submitted_at=submitted_at, deadline_rule=rule,
            created_by_id=self.creator(channel, township).pk, is_synthetic=True,
        )
        case.accept_due_at = self.deadline(rule, "accept", submitted_at)
        status = self._status(age_days)
        if status is None:
            self._closed(case, code, anonymous, channel, office_id, basis)
        else:
            self._open(case, code, status, office_id, basis)
        return case, reporter

    def _status(self, age_days: float) -> str | None:
        """The status of an open case of this age, or None for a closed one. Open cases are
        mostly recent; a few old ones are stuck."""
        rng = self.rng
        roll = rng.random()
        if age_days < 0.5:
            weights = {Status.SUBMITTED: 5, Status.ACCEPTED: 2, Status.DISPATCHED: 2, Status.IN_PROGRESS: 1}
        elif age_days < 3:
            if roll > 0.95:
                return None
            weights = {Status.ACCEPTED: 5, Status.DISPATCHED: 35, Status.IN_PROGRESS: 55, Status.WAITING: 5}
        elif age_days < 40:
            if roll > 0.95 - 0.85 * (age_days - 3) / 37:
                return None
            weights = {Status.DISPATCHED: 5, Status.IN_PROGRESS: 55, Status.WAITING: 10, Status.RESOLVED: 30}
        else:
            if roll > 0.015:
                return None
            weights = {Status.DISPATCHED: 10, Status.IN_PROGRESS: 65, Status.WAITING: 15, Status.RESOLVED: 10}
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    def _open(self, case: Case, code: str, status: str, office_id: int, basis: str) -> None:
        """Fill an open case as the transition into ``status`` would have left it."""
        rng = self.rng
        rule = case.deadline_rule
        case.status = status
        if status == Status.SUBMITTED:
            case.office_id = self.centre.pk
            due = case.accept_due_at
        else:
            case.accepted_at = min(case.submitted_at + timedelta(hours=rng.uniform(0.1, 6)),
                                   self.now - timedelta(minutes=1))
            case.handle_due_at = self.deadline(rule, "handle", case.accepted_at)
            due = case.handle_due_at
            if status == Status.ACCEPTED:
                case.office_id = self.centre.pk
            else:
                case.office_id, case.routing_basis = office_id, basis
            if status == Status.WAITING:
                case.paused_at = case.accepted_at + (self.now - case.accepted_at) * rng.uniform(0.3, 0.95)
                due = None
            elif status == Status.RESOLVED:
                case.resolved_at = case.accepted_at + (self.now - case.accepted_at) * rng.uniform(0.5, 0.98)
                case.reply = build.synthetic_reply(rng, code)
                case.reply_due_at = self.deadline(rule, "reply", case.resolved_at)
                due = case.reply_due_at
        case.due_at = due
        case.sweep_at = due - timedelta(hours=rule.get("warn_before_hours", 24)) if due else None
        if case.handle_due_at and case.resolved_at and case.resolved_at > case.handle_due_at:
            case.missed_deadline = True

    def _closed(self, case: Case, code: str, anonymous: bool, channel: str, office_id: int, basis: str) -> None:
        """Fill a closed case: rejected, merged, or handled, followed up and archived."""
        rng = self.rng
        rule = case.deadline_rule
        latest = self.now - timedelta(minutes=2)
        roll = rng.random()
        if roll < 0.045:
            case.status = Status.CLOSED
            case.office_id = self.centre.pk
            case.closed_at = min(case.submitted_at + timedelta(hours=rng.uniform(0.5, 20)), latest)
            case.reply = rng.choice(cat.REJECT_REASONS)
            return
        case.accepted_at = min(case.submitted_at + timedelta(hours=rng.uniform(0.1, 8)), latest)
        case.handle_due_at = self.deadline(rule, "handle", case.accepted_at)
        case.office_id, case.routing_basis = office_id, basis
        if roll < 0.06:
            case.status = Status.MERGED
            case.closed_at = min(case.accepted_at + timedelta(hours=rng.uniform(1, 48)), latest)
            case.merged_into_id = -1  # filled in by the loader with an earlier case
            return
        case.status = Status.CLOSED
        days = rng.expovariate(1 / 5) + (rng.uniform(10, 40) if rng.random() < 0.07 else 0)
        case.resolved_at = min(case.accepted_at + timedelta(days=days), latest - timedelta(minutes=1))
        case.closed_at = min(case.resolved_at + timedelta(days=rng.uniform(0.2, 3)), latest)
        case.reply_due_at = self.deadline(rule, "reply", case.resolved_at)
        case.missed_deadline = case.resolved_at > case.handle_due_at
        case.reply = build.synthetic_reply(rng, code, anonymous, grid_worker=channel == Channel.GRID_WORKER)
        case.satisfaction = rng.choices([1, 2, 3, 4, 5], weights=[3, 4, 10, 30, 53])[0]


def _cumulative(weights) -> list[float]:
    total, result = 0.0, []
    for weight in weights:
        total += weight
        result.append(total)
    return result


def bulk_load(factory: CaseFactory, total: int, batch: int, progress: Progress) -> dict:
    """Insert ``total`` bulk cases (and their reporters) with bulk_create, ``batch`` per
    transaction, never holding more than one batch in memory."""
    merge_targets: list[int] = []
    counts: dict[str, int] = {}
    done = 0
    for first in range(0, total, batch):
        rows, reporters = [], []
        for number in range(first, min(first + batch, total)):
            case, reporter = factory.bulk_case(number, total)
            if reporter is not None:
                reporters.append(reporter)
            if case.merged_into_id == -1:
                if merge_targets:
                    case.merged_into_id = factory.rng.choice(merge_targets)
                else:
                    case.merged_into_id = None
                    case.status = Status.CLOSED
            rows.append(case)
        with transaction.atomic():
            Reporter.objects.bulk_create(reporters)
            for case in rows:
                if case.reporter is not None:
                    case.reporter_id = case.reporter.pk
            Case.objects.bulk_create(rows)
        merge_targets = [case.pk for case in rows[-1000:] if case.status == Status.CLOSED]
        for case in rows:
            counts[case.status] = counts.get(case.status, 0) + 1
        done += len(rows)
        progress.update(done)
    progress.finish(done)
    return counts


# ---------------------------------------------------------------------------- measurements


def measure_intake(factory: CaseFactory, sample: int, progress: Progress) -> tuple[dict, list[int]]:
    """Register ``sample`` cases through services.create_case, one transaction each (petitions
    through their module's own intake, ``petitions.services.register_petition``, which adds
    their record and petitioners). The concerns are generated before the clock starts. Returns
    the figures and the ids."""
    from anju.petitions import services as petitions

    planned = [factory.new_case() for _ in range(sample)]
    gridindex.find_grid_id(planned[0][1].lat, planned[0][1].lng)  # build the grid index outside the clock
    durations, ids = [], []
    started = time.perf_counter()
    for index, (actor, data) in enumerate(planned, start=1):
        t0 = time.perf_counter()
        if data.kind == PETITION:
            people = [petitions.NewPetitioner(data.reporter_name, data.reporter_phone)] if data.reporter_name else []
            case, _created = petitions.register_petition(actor, data, petitions.PetitionFacts(
                form=petitions.CHANNEL_FORM.get(data.channel, petitions.PetitionForm.LETTER), petitioners=people),
                synthetic=True)
        else:
            case, _created = services.create_case(actor, data, synthetic=True)
        durations.append(time.perf_counter() - t0)
        ids.append(case.pk)
        progress.update(index)
    elapsed = time.perf_counter() - started
    progress.finish(sample)
    return {"cases": sample, "seconds": round(elapsed, 3), "per_second": round(sample / elapsed, 1),
            **latency_summary(durations)}, ids


def measure_raw_insert(ids: list[int], progress: Progress) -> dict:
    """The same rows as the intake sample inserted again, one INSERT per transaction, into
    a scratch table with the same columns as the case table and no constraints or indexes.

    Raw SQL on purpose: no ORM, no service logic, no index to maintain, so this is the
    highest rate at which this database commits single rows of this width on this machine."""
    table = connection.ops.quote_name(Case._meta.db_table)
    scratch = connection.ops.quote_name(SCRATCH_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
        # Same columns and types, no constraints, no indexes.
        cursor.execute(f"CREATE TABLE {scratch} AS SELECT * FROM {table} WHERE 1 = 0")
        columns = [connection.ops.quote_name(f.column) for f in Case._meta.concrete_fields]
        select_columns = [
            f"{c}::text" if f.get_internal_type() == "JSONField" and connection.vendor == "postgresql" else c
            for c, f in zip(columns, Case._meta.concrete_fields, strict=True)
        ]
        rows = []
        for first in range(0, len(ids), 500):
            chunk = ids[first:first + 500]
            cursor.execute(
                f"SELECT {', '.join(select_columns)} FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            rows.extend(cursor.fetchall())
    placeholders = ", ".join(
        "%s::jsonb" if f.get_internal_type() == "JSONField" and connection.vendor == "postgresql" else "%s"
        for f in Case._meta.concrete_fields
    )
    insert = f"INSERT INTO {scratch} ({', '.join(columns)}) VALUES ({placeholders})"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for index, row in enumerate(rows, start=1):
            with transaction.atomic():
                cursor.execute(insert, row)
            progress.update(index)
    elapsed = time.perf_counter() - started
    progress.finish(len(rows))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {scratch}")
        inserted = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {scratch}")
    return {"rows": inserted, "seconds": round(elapsed, 3), "per_second": round(len(rows) / elapsed, 1)}


def _explain(sql: str, params) -> str:
    """The plan of ``sql`` with the very parameters it ran with (on SQLite a bound parameter
    can change the plan: a partial index is not used for ``status IN (?, ?)``).
    EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(f"{row[0]:>3} {row[1]:>3} {row[3]}" for row in cursor.fetchall())


def time_query(call: Callable[[], list], user: User, repeat: int, warmup: int) -> dict:
    """Run ``call`` (a list query for ``user``) ``warmup`` times, then ``repeat`` times on the
    clock. Each run forgets the user's cached role assignments, as a new request would, so
    their lookup is part of the figure. Also returns the main SQL and its plan."""
    for _ in range(warmup):
        user.__dict__.pop("_anju_roles", None)
        call()
    durations = []
    rows = 0
    for _ in range(repeat):
        user.__dict__.pop("_anju_roles", None)
        t0 = time.perf_counter()
        rows = len(call())
        durations.append(time.perf_counter() - t0)
    user.__dict__.pop("_anju_roles", None)
    executed: list[tuple[str, tuple, str]] = []

    def capture(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        shown = connection.ops.last_executed_query(context["cursor"], sql, params) or sql
        executed.append((sql, tuple(params or ()), shown))
        return result

    with connection.execute_wrapper(capture):
        call()
    case_table = f'FROM "{Case._meta.db_table}"'
    main = [query for query in executed if case_table in query[0]]
    sql, params, shown = main[-1] if main else ("", (), "")
    return {"rows": rows, "queries_per_run": len(executed), **latency_summary(durations),
            "sql": shown, "plan": _explain(sql, params) if sql else ""}


def _busiest_township_office() -> Office:
    counts = (
        Case.objects.filter(office__kind=OfficeKind.TOWNSHIP, status__in=IN_OFFICE_STATUSES)
        .values("office").annotate(n=Count("id")).order_by("-n")
    )
    top = counts.first()
    if top is None:
        return Office.objects.filter(kind=OfficeKind.TOWNSHIP).order_by("code").first()
    return Office.objects.get(pk=top["office"])


def measure_queries(repeat: int, warmup: int, log) -> dict:
    """The three list queries of the daily work, timed."""
    office = _busiest_township_office()
    handler = User.objects.get(
        pk=RoleAssignment.objects.filter(role=Role.HANDLER, office=office).values_list("user", flat=True).first()
    )
    county = Region.objects.get(code=cat.COUNTY_CODE)
    supervisor = User.objects.get(
        pk=RoleAssignment.objects.filter(role=Role.SUPERVISOR, region=county).values_list("user", flat=True).first()
    )
    township = office.jurisdiction
    in_office = Case.objects.filter(office=office, status__in=IN_OFFICE_STATUSES).count()
    filters = queries.CaseFilters(status=[str(s) for s in LIST_STATUSES], region=township.code,
                                  category=LIST_CATEGORY)
    result = {}
    log(f"inbox of {handler.username} ({office.code}, {in_office:,} cases in hand)")
    result["inbox"] = {
        "user": handler.username, "office": office.code, "office_cases_in_hand": in_office,
        **time_query(lambda: list(queries.inbox(handler)), handler, repeat, warmup),
    }
    log(f"overdue list of {supervisor.username} (county)")
    result["overdue"] = {
        "user": supervisor.username, "scope": county.code,
        "open_overdue": Case.objects.open().filter(due_at__lt=timezone.now()).count(),
        **time_query(lambda: list(queries.overdue(supervisor)), supervisor, repeat, warmup),
    }
    log(f"case list of {supervisor.username}: status {','.join(filters.status)}, region {township.code}, "
        f"category {LIST_CATEGORY}, first page of 50")
    result["case_list"] = {
        "user": supervisor.username,
        "filters": {"status": filters.status, "region": filters.region, "category": filters.category},
        **time_query(lambda: queries.case_list(supervisor, filters, limit=50)[0], supervisor, repeat, warmup),
    }
    return result


def measure_sweep() -> dict:
    """One run_sweep over every case whose sweep time has come."""
    now = timezone.now()
    due = Case.objects.filter(sweep_at__lte=now).count()
    notices_before = SupervisionNotice.objects.count()
    started = time.perf_counter()
    looked = case_sweep.run_sweep(now)
    elapsed = time.perf_counter() - started
    return {
        "due_before": due, "looked_at": looked, "seconds": round(elapsed, 3),
        "per_second": round(looked / elapsed, 1) if elapsed else None,
        "notices_issued": SupervisionNotice.objects.count() - notices_before,
    }


# ---------------------------------------------------------------------------- the run


def _settle() -> str:
    """After the bulk load: what an operating database would have done by the time anyone
    queries it. PostgreSQL: VACUUM ANALYZE (autovacuum does this after a bulk insert).
    SQLite: a WAL checkpoint and the configured pragmas back; no ANALYZE, because nothing
    in Anju runs it in production."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            return "VACUUM ANALYZE"
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for pragma in SQLITE_RUN_PRAGMAS:
            cursor.execute(pragma)
        return "wal_checkpoint(TRUNCATE); " + "; ".join(SQLITE_RUN_PRAGMAS)


def run(config: BenchConfig, stream=None) -> dict:
    """Run the whole benchmark; ``stream`` (stderr) gets progress lines. Returns all figures."""
    config.validate()
    stream = stream if stream is not None else sys.stderr

    def log(message: str) -> None:
        stream.write(f"bench: {message}\n")
        stream.flush()

    started = time.perf_counter()
    load_before = os.getloadavg()
    timings: dict[str, float] = {}

    def phase(name: str, t0: float) -> None:
        timings[name] = round(time.perf_counter() - t0, 2)

    t0 = time.perf_counter()
    where = prepare_database(config, log)
    phase("create_and_migrate", t0)
    info = database_info()

    t0 = time.perf_counter()
    county = build_county(config.seed)
    phase("build_county", t0)
    log(f"county built: {county}")

    rng = random.Random(config.seed)
    now = timezone.now()
    factory = CaseFactory(rng, now)
    load_pragmas = []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for pragma in SQLITE_LOAD_PRAGMAS:
                cursor.execute(pragma)
        load_pragmas = list(SQLITE_LOAD_PRAGMAS)
    log(f"bulk loading {config.cases:,} cases in batches of {config.batch:,}")
    t0 = time.perf_counter()
    statuses = bulk_load(factory, config.cases, config.batch, Progress(stream, "bulk load", config.cases))
    phase("bulk_load", t0)
    t0 = time.perf_counter()
    settled = _settle()
    phase("settle", t0)
    log(f"after loading: {settled}")

    # Synthetic cases never notify (anju.notify.services), so nothing here reaches a queue.
    log(f"intake of {config.sample:,} cases through services.create_case")
    intake, ids = measure_intake(factory, config.sample, Progress(stream, "intake", config.sample))
    timings["intake"] = intake["seconds"]
    log(f"raw single-row INSERT of the same {len(ids):,} rows into a scratch table")
    raw = measure_raw_insert(ids, Progress(stream, "raw insert", len(ids)))
    timings["raw_insert"] = raw["seconds"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    t0 = time.perf_counter()
    query_figures = measure_queries(config.repeat, config.warmup, log)
    phase("queries", t0)
    log("sweep")
    sweep = measure_sweep()
    timings["sweep"] = sweep["seconds"]
    after_analyze = None
    if connection.vendor == "sqlite":
        # Nothing in Anju runs ANALYZE on SQLite, so the figures above are what a deployment
        # sees; these show what the query planner does once it has statistics.
        log("SQLite: ANALYZE, then the same queries again")
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        phase("sqlite_analyze", t0)
        t0 = time.perf_counter()
        after_analyze = measure_queries(config.repeat, config.warmup, log)
        phase("queries_after_analyze", t0)

    total_cases = Case.objects.count()
    timings["total"] = round(time.perf_counter() - started, 2)
    database_url = os.environ.get("DATABASE_URL", "")
    return {
        "command": ("DATABASE_URL=" + shlex.quote(masked_url(database_url)) + " " if database_url else "")
        + shlex.join(["anju", *config.command[1:]]),
        "database": {**info, "location": where["location"], "left_in_place": True},
        "code": code_version(),
        "machine": {
            "cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "debug": settings.DEBUG, "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "cases": config.cases,
        "cases_in_database": total_cases,
        "bulk_statuses": dict(sorted(statuses.items())),
        "bulk_events": "none (bulk rows have no timeline events)",
        "bulk_load": {
            "seconds": timings["bulk_load"], "per_second": round(config.cases / timings["bulk_load"], 1),
            "batch": config.batch, "load_pragmas": load_pragmas, "after_load": settled,
        },
        "county": county,
        "sample": config.sample,
        "repeat": config.repeat,
        "warmup": config.warmup,
        "seed": config.seed,
        "intake": intake,
        "raw_insert": raw,
        "intake_to_raw_ratio": round(intake["per_second"] / raw["per_second"], 4),
        "queries": query_figures,
        "queries_after_analyze": after_analyze,
        "sweep": sweep,
        "timings_s": timings,
    }


# ---------------------------------------------------------------------------- table


def format_table(result: dict, explain: bool = False) -> str:
    """The figures as a readable plain-text report."""
    db = result["database"]
    vendor = "PostgreSQL" if db["vendor"] == "postgresql" else "SQLite"
    intake, raw, sweep = result["intake"], result["raw_insert"], result["sweep"]
    lines = [
        f"Anju benchmark: {vendor} {db['version']}, {result['cases']:,} bulk cases "
        f"(+{intake['cases']:,} through intake = {result['cases_in_database']:,})",
        f"  command:  {result['command']}" + (f"  (code {result['code']})" if result.get("code") else ""),
        f"  database: {db['location']} (left in place)",
        f"  bulk load: {result['bulk_load']['seconds']:,.1f} s ({result['bulk_load']['per_second']:,.0f} cases/s; "
        f"no timeline events for bulk rows); statuses: "
        + ", ".join(f"{k} {v:,}" for k, v in result["bulk_statuses"].items()),
        "",
        f"  {'write':<46}{'count':>8}{'rate':>14}{'p50 ms':>10}{'p95 ms':>10}",
        f"  {'intake via services.create_case':<46}{intake['cases']:>8,}{intake['per_second']:>10,.0f} /s "
        f"{intake['p50_ms']:>9.2f}{intake['p95_ms']:>10.2f}",
        f"  {'raw INSERT, 1 row per transaction':<46}{raw['rows']:>8,}{raw['per_second']:>10,.0f} /s",
        f"  {'ratio intake / raw':<46}{'':>8}{result['intake_to_raw_ratio']:>12.3f}",
        "",
        f"  {'query (' + str(result['repeat']) + ' runs after ' + str(result['warmup']) + ' warm-up)':<46}"
        f"{'rows':>8}{'p50 ms':>14}{'p95 ms':>10}{'max ms':>10}",
    ]
    q = result["queries"]
    labels = {
        "inbox": f"handler inbox ({q['inbox']['office']}, {q['inbox']['office_cases_in_hand']:,} in hand)",
        "overdue": f"overdue list, county supervisor ({q['overdue']['open_overdue']:,} overdue)",
        "case_list": "case list: status+region+category, page 1",
    }
    sets = [("", q)]
    if result.get("queries_after_analyze"):
        sets.append(("after ANALYZE: ", result["queries_after_analyze"]))
    for prefix, figures_set in sets:
        for key, label in labels.items():
            figures = figures_set[key]
            name = (prefix + key.replace("_", " ")) if prefix else label
            lines.append(f"  {name:<46}{figures['rows']:>8,}{figures['p50_ms']:>14.2f}{figures['p95_ms']:>10.2f}"
                         f"{figures['max_ms']:>10.2f}")
    lines += [
        "",
        f"  sweep: {sweep['due_before']:,} cases due, looked at {sweep['looked_at']:,} in {sweep['seconds']:,.2f} s "
        f"({sweep['per_second'] or 0:,.0f} cases/s), {sweep['notices_issued']:,} notices issued",
        "  phases (s): " + ", ".join(f"{k} {v:,.1f}" for k, v in result["timings_s"].items()),
    ]
    if explain:
        for prefix, figures_set in sets:
            for key in labels:
                lines += ["", f"  {prefix}plan of {key}:",
                          *("    " + line for line in figures_set[key]["plan"].splitlines())]
    return "\n".join(lines)
