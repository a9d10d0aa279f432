"""Shared fixtures: a small county with two townships, grids, offices, categories, rules,
and one persona per role and scope. Each app's ``testing.py``, where it has one, adds the
fixtures of its module (loaded as a pytest plugin, found through ``INSTALLED_APPS``).

    county 500229 ─┬─ township 500229001 (葛城) ── village 500229001001 ── grids …001, …002
                   └─ township 500229002 (复兴) ── village 500229002001 ── grid  …001
"""

import functools
import importlib.util
import threading
from contextlib import contextmanager
from datetime import datetime
from http.server import ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation
from huey.contrib.djhuey import HUEY

from anju import settings as django_settings
from anju.cases.models import Category, DeadlinePolicy, RoutingRule
from anju.cases.services import NewCase, create_case
from anju.geo.models import Region
from anju.people.models import Office, RoleAssignment, User
from anju.people.services import issue_token

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytest_plugins = [f"{app}.testing" for app in django_settings.INSTALLED_APPS
                  if app.startswith("anju.") and importlib.util.find_spec(f"{app}.testing") is not None]
# Tasks run at once, in memory, instead of queueing for a worker that tests do not start.
HUEY.immediate = True


def at(*args) -> datetime:
    """A moment in Asia/Shanghai: at(2026, 9, 30, 10) → 2026-09-30 10:00 +08:00."""
    return datetime(*args, tzinfo=SHANGHAI)


def square(lng: float, lat: float, size: float = 0.01) -> dict:
    return {"type": "Polygon", "coordinates": [[[lng, lat], [lng + size, lat], [lng + size, lat + size],
                                                [lng, lat + size], [lng, lat]]]}


@pytest.fixture(autouse=True)
def fresh_cache(settings, tmp_path):
    # Rate limits live in the cache; each test starts with its own.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": str(tmp_path)}}


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the county's language (Chinese), whatever the test before it left
    active, so that no test passes or fails by the order it runs in (the suite runs in several
    processes)."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests make hundreds of users.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@contextmanager
def data_for_the_module(django_db_blocker):
    """Read-only data built once for a whole test module instead of once per test: built inside a
    transaction that stays open while the module's tests run (each test in a savepoint of its
    own, rolled back after it) and is rolled back after the last. For modules whose tests only
    read what was played (statistics); the module overrides ``county``, ``people`` ... with the
    shared objects so that no test builds them twice. Each override asks for ``db``: the test
    databases are set up only for tests that do."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@functools.cache
def openapi_schema() -> dict:
    """The API's OpenAPI document, built once per test process (building it takes about a second,
    and a dozen test modules parametrize over its paths when they are collected). Read only."""
    from anju.api import api

    return api.get_openapi_schema()


class County:
    """Handles to the fixture county's regions, offices and categories."""


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))) or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


def _handles(holder) -> dict:
    return {name: (type(row), row.pk) for name, row in vars(holder).items()}


def _fresh(holder_class, handles: dict):
    """A new holder of the rows ``handles`` names, read again (one query per model): a test may
    change its rows in memory as it likes, the next one reads them as they are in the database."""
    pks: dict[type, list] = {}
    for model, pk in handles.values():
        pks.setdefault(model, []).append(pk)
    rows = {model: model.objects.in_bulk(ids) for model, ids in pks.items()}
    holder = holder_class()
    for name, (model, pk) in handles.items():
        setattr(holder, name, rows[model][pk])
    return holder


@pytest.fixture(scope="module")
def county_of_the_module(request, django_db_setup, django_db_blocker):
    """The county and its people, built once for a test module (inside the module's transaction,
    each test in a savepoint of its own), where every test of the module that uses the database
    asks for the county and none needs a transactional database (a live server,
    ``transaction=True``); elsewhere each test builds its own."""
    module_items = [item for item in request.session.items if getattr(item, "module", None) is request.module]
    # Shared only where every test of the module that uses the database has the county: one
    # without it expects no county there.
    if any(_transactional(item) or ({"db", "county"} & set(getattr(item, "fixturenames", ()))) == {"db"}
           for item in module_items):
        yield None
        return
    with data_for_the_module(django_db_blocker):
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            county = build_county()
            people = build_people(county)
        yield _handles(county), _handles(people)


@pytest.fixture
def county(county_of_the_module, db):
    if county_of_the_module is None:
        return build_county()
    return _fresh(County, county_of_the_module[0])


def build_county() -> County:
    """The fixture county (see the module's docstring), for ``county`` and for data shared by a
    test module (``data_for_the_module``)."""
    c = County()
    c.county = Region.objects.create(code="500229", name="城口县", level="county")
    c.gecheng = Region.objects.create(code="500229001", name="葛城街道", level="township", parent=c.county)
    c.fuxing = Region.objects.create(code="500229002", name="复兴街道", level="township", parent=c.county)
    c.tucheng = Region.objects.create(code="500229001001", name="土城社区", level="village", parent=c.gecheng)
    c.taihe = Region.objects.create(code="500229002001", name="太和社区", level="village", parent=c.fuxing)
    c.grid1 = Region.objects.create(code="500229001001001", name="土城第1网格", level="grid", parent=c.tucheng,
                                    boundary=square(108.60, 31.90), lat=31.905, lng=108.605)
    c.grid2 = Region.objects.create(code="500229001001002", name="土城第2网格", level="grid", parent=c.tucheng,
                                    boundary=square(108.61, 31.90), lat=31.905, lng=108.615)
    c.grid3 = Region.objects.create(code="500229002001001", name="太和第1网格", level="grid", parent=c.taihe,
                                    boundary=square(108.70, 31.95), lat=31.955, lng=108.705)
    c.centre = Office.objects.create(code="centre", name="县综治中心", kind="centre", jurisdiction=c.county)
    c.gecheng_office = Office.objects.create(code="gc", name="葛城街道办事处", kind="township", jurisdiction=c.gecheng)
    c.fuxing_office = Office.objects.create(code="fx", name="复兴街道办事处", kind="township", jurisdiction=c.fuxing)
    c.transport = Office.objects.create(code="jtj", name="县交通局", kind="department", jurisdiction=c.county)
    c.urban = Category.objects.create(code="urban", name="城乡建设")
    c.road = Category.objects.create(code="urban.road", name="道路破损", parent=c.urban)
    c.light = Category.objects.create(code="urban.light", name="路灯故障", parent=c.urban)
    c.noise = Category.objects.create(code="env.noise", name="噪声扰民")
    RoutingRule.objects.create(region=c.gecheng, office=c.gecheng_office, basis="territorial")
    RoutingRule.objects.create(region=c.fuxing, office=c.fuxing_office, basis="territorial")
    RoutingRule.objects.create(category=c.road, region=c.county, office=c.transport, basis="sector")
    DeadlinePolicy.objects.create(name="默认", accept_amount=1, accept_unit="working_days", handle_amount=15,
                                  handle_unit="working_days", reply_amount=5, reply_unit="working_days")
    return c


def user_with_roles(username, office=None, **roles):
    """A user working at ``office`` with roles given as ``role=[(region, office), ...]``."""
    user = User.objects.create_user(username, password="pw", office=office, display_name=username)
    for role, scopes in roles.items():
        for region, role_office in scopes:
            RoleAssignment.objects.create(user=user, role=role, region=region, office=role_office)
    return user


class Personas:
    """One user per role and scope."""


@pytest.fixture
def people(county, county_of_the_module):
    if county_of_the_module is None:
        return build_people(county)
    return _fresh(Personas, county_of_the_module[1])


def build_people(county: County) -> Personas:
    p = Personas()
    c = county
    p.dispatcher = user_with_roles("dispatcher", c.centre, dispatcher=[(c.county, None)])
    p.handler = user_with_roles("handler", c.gecheng_office, handler=[(None, c.gecheng_office)])
    p.other_handler = user_with_roles("other_handler", c.fuxing_office, handler=[(None, c.fuxing_office)])
    p.transport_handler = user_with_roles("transport_handler", c.transport, handler=[(None, c.transport)])
    p.supervisor = user_with_roles("supervisor", c.centre, supervisor=[(c.county, None)])
    p.leader = user_with_roles("leader", None, leader=[(c.county, None)])
    p.gridworker = user_with_roles("gridworker", None, grid_worker=[(c.tucheng, None)])
    p.township_dispatcher = user_with_roles("township_dispatcher", c.fuxing_office, dispatcher=[(c.fuxing, None)])
    p.nobody = user_with_roles("nobody")
    p.admin = user_with_roles("admin", None, admin=[(None, None)])
    return p


@pytest.fixture
def http_server():
    """http_server(handler_class) → the base URL of a real HTTP server on 127.0.0.1 answering with
    ``handler_class`` in a thread (SMS gateways, webhook receivers); all are stopped after the test."""
    servers = []

    def start(handler_class) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture
def superuser(people):
    """The administrator persona as a Django superuser."""
    user = people.admin
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def staff(superuser):
    """A client signed in to the Django admin as the superuser, in English so that messages can be
    checked by their words."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(superuser)
    return client


@pytest.fixture
def new_case(county, people):
    """Make a case in 葛城 (grid 1) as the dispatcher; keyword arguments override NewCase."""

    def make(actor=None, now=None, **overrides):
        fields = {"kind": "complaint", "category_code": "urban.light", "text": "滨河路路灯不亮已经一周",
                  "lat": 31.905, "lng": 108.605, "reporter_name": "张三", "reporter_phone": "13800001234"}
        fields.update(overrides)
        if fields["kind"] == "petition":
            # A petition is registered by its module, the reporter as its petitioner.
            from anju.petitions import services as petitions

            person = petitions.NewPetitioner(fields.pop("reporter_name"), fields.pop("reporter_phone"))
            case, _created = petitions.register_petition(actor or people.dispatcher, NewCase(**fields),
                                                         petitions.PetitionFacts(petitioners=[person]), now=now)
            return case
        case, _created = create_case(actor or people.dispatcher, NewCase(**fields), now=now)
        return case

    return make


@pytest.fixture
def api(people):
    """An API client per persona: api("handler").get(...)."""

    def client_for(name):
        user = getattr(people, name)
        _record, raw = issue_token(user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return client_for
