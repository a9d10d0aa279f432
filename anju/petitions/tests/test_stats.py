"""Petition statistics: a dozen petitions are played through the services at fixed moments, the
test keeps its own record of what it played, and the figures expected from that record are
compared with ``petition_stats`` (the page and its Excel export are in test_pages_stats.py)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pytest

from anju.cases import services as case_services
from anju.cases.models import Case
from anju.cases.services import NewCase
from anju.conftest import at, build_county, build_people, data_for_the_module, square
from anju.geo.models import Region
from anju.lib.workdays import LOCAL
from anju.people.models import Office
from anju.petitions import services
from anju.petitions.choices import Decision
from anju.petitions.stats import FIGURE_KEYS, period_bounds, petition_stats
from anju.petitions.testing import build_petitions
from anju.petitions.tests import flow

START, END = date(2026, 1, 1), date(2026, 6, 30)
GECHENG, FUXING, OTHER_TOWNSHIP = "500229001", "500229002", "500230001"
GRID1, GRID3 = (31.905, 108.605), (31.955, 108.705)
COUNTS = ["received", "accepted", "not_accepted", "answered", "answered_on_time", "extended", "reviewed",
          "reexamined", "first_time", "ratings", "leader_in_charge"]


@dataclass
class Played:
    """What the test did with one petition, written down as it did it."""

    name: str
    township: str
    body: str  # the body that accepted it first, else the one it was routed to
    registered: datetime
    in_scope: bool = True
    about_gecheng: bool = False  # a report of wrongdoing by 葛城街道办事处: hidden from its staff
    merged: bool = False
    accepted: datetime | None = None
    not_accepted: datetime | None = None
    answers: list = field(default_factory=list)
    late: bool = False
    extensions: list = field(default_factory=list)  # (moment, days)
    reviewed: bool = False
    reexamined: bool = False
    reopened: bool = False
    rating: int | None = None
    leaders: list = field(default_factory=list)


class Player:
    """Plays petitions through the services and keeps the record."""

    def __init__(self, people, petitions):
        self.people, self.t = people, petitions
        self.record: list[Played] = []
        self.cases: dict[str, Case] = {}

    def register(self, name, township, body, now, *, point=GRID1, actor=None, region_code="", in_scope=True,
                 wrongdoing=False):
        lat, lng = point if point else (None, None)
        case, _created = services.register_petition(
            actor or self.people.dispatcher,
            NewCase(kind="petition", category_code="petition.land", text="征地补偿款至今未足额发放", lat=lat, lng=lng,
                    region_code=region_code, about_office_code="gc" if wrongdoing else "",
                    reports_wrongdoing=wrongdoing),
            services.PetitionFacts(form="visit", request="请求足额发放征地补偿款", group_size=2,
                                   petitioners=[services.NewPetitioner(**vars(p)) for p in flow.PETITIONERS]),
            now=now)
        played = Played(name, township, body, now, in_scope=in_scope, about_gecheng=wrongdoing)
        self.record.append(played)
        self.cases[name] = case
        return case, played

    def route(self, case, now, actor=None, office=None, played=None):
        office = office or (played.body if played else "gc")
        services.route_petition(actor or self.people.dispatcher, case, office_code=office, now=now)

    def accept(self, case, played, now, handler, route_at=None, route_by=None):
        self.route(case, route_at or now, actor=route_by, office=played.body)
        services.accept_petition(handler, case, now=now)
        played.accepted = now

    def answer(self, case, played, now, handler, decision=Decision.NOT_SUPPORT):
        services.answer_petition(handler, case, flow.answer_text(decision), now=now)
        # Sixty days from acceptance (第三十四条), plus the extensions approved, to the end of the last day.
        days = 60 + sum(d for _m, d in played.extensions)
        due = datetime.combine(played.accepted.astimezone(LOCAL).date() + timedelta(days=days), time(23, 59, 59),
                               tzinfo=LOCAL)
        played.late = played.late or now > due
        played.answers.append(now)

    def rate(self, case, played, now, satisfaction):
        case_services.follow_up_case(self.people.dispatcher, case, satisfaction=satisfaction, now=now)
        played.rating = satisfaction


def make_other_county() -> Office:
    """A neighbouring county with its own petition bureau, outside every persona's region scope."""
    county = Region.objects.create(code="500230", name="邻县", level="county")
    township = Region.objects.create(code=OTHER_TOWNSHIP, name="邻县街道", level="township", parent=county)
    village = Region.objects.create(code="500230001001", name="邻县社区", level="village", parent=township)
    Region.objects.create(code="500230001001001", name="邻县第1网格", level="grid", parent=village,
                          boundary=square(109.50, 32.50), lat=32.505, lng=109.505)
    return Office.objects.create(code="lx", name="邻县信访局", kind="department", jurisdiction=county)


def play(people, petitions) -> Player:
    """The petitions of the test, played (the neighbouring county made first); returns the player
    with its record."""
    make_other_county()
    p, t = Player(people, petitions), petitions
    handler, fx = people.handler, people.other_handler

    # P1: answered on time, rated 5, resolved first time.
    case, rec = p.register("P1", GECHENG, "gc", at(2026, 1, 5, 9))
    p.accept(case, rec, at(2026, 1, 6, 9), handler)
    p.answer(case, rec, at(2026, 2, 10, 10), handler, Decision.SUPPORT)
    p.rate(case, rec, at(2026, 2, 11, 9), 5)

    # P2: extended 20 days, answered in time, rated 2, reviewed and re-examined a level up.
    case, rec = p.register("P2", GECHENG, "gc", at(2026, 1, 12, 9))
    p.accept(case, rec, at(2026, 1, 13, 9), handler)
    request = services.request_petition_extension(handler, case, days=20, reason="需要会同国土部门重新测量",
                                                  now=at(2026, 3, 1, 9))
    services.approve_petition_extension(people.supervisor, case, request_id=request.pk, now=at(2026, 3, 2, 9))
    rec.extensions.append((at(2026, 3, 2, 9), 20))
    p.answer(case, rec, at(2026, 4, 1, 10), handler)
    p.rate(case, rec, at(2026, 4, 2, 9), 2)
    case.refresh_from_db()
    review = services.request_review(None, case, reason="补偿标准计算有误，请求复查", by_petitioner=True,
                                     now=at(2026, 4, 10, 9))
    rec.reviewed = True
    services.route_petition(people.dispatcher, review, office_code="xzf", now=at(2026, 4, 10, 10))
    services.accept_petition(t.county_handler, review, now=at(2026, 4, 13, 9))
    services.answer_petition(t.county_handler, review, flow.answer_text(Decision.UPHELD), now=at(2026, 4, 30, 9))
    review.refresh_from_db()
    reexamination = services.request_review(None, review, reason="请求复核", by_petitioner=True,
                                            now=at(2026, 5, 10, 9))
    rec.reexamined = True
    services.route_petition(people.dispatcher, reexamination, office_code="szf", now=at(2026, 5, 11, 9))
    services.accept_petition(t.city_handler, reexamination, now=at(2026, 5, 11, 10))
    services.answer_petition(t.city_handler, reexamination, flow.answer_text(Decision.UPHELD),
                             now=at(2026, 5, 20, 9))

    # P3: answered three days after its sixty days, rated 3.
    case, rec = p.register("P3", GECHENG, "gc", at(2026, 1, 20, 9))
    p.accept(case, rec, at(2026, 1, 21, 9), handler)
    p3 = case


    case, rec = p3, p.record[2]
    p.answer(case, rec, at(2026, 3, 25, 10), handler)
    assert rec.late
    p.rate(case, rec, at(2026, 3, 26, 9), 3)

    # P4 in 复兴: answered with an explanation (a petition is not reopened: a petitioner who
    # disagrees asks for a review).
    case, rec = p.register("P4", FUXING, "fx", at(2026, 2, 2, 9), point=GRID3)
    p.accept(case, rec, at(2026, 2, 3, 9), fx)
    p.answer(case, rec, at(2026, 3, 2, 10), fx, Decision.EXPLAIN)

    # P5 in 复兴: routed there, and the body declines it (不予受理).
    case, rec = p.register("P5", FUXING, "fx", at(2026, 2, 10, 9), point=GRID3)
    p.route(case, at(2026, 2, 10, 10), played=rec)
    services.decline_petition(fx, case, reason="属于民事纠纷，应通过诉讼解决", where_to_go="向人民法院提起诉讼。",
                              now=at(2026, 2, 12, 9))
    rec.not_accepted = at(2026, 2, 12, 9)

    # P6: routed to 葛城, waiting to be accepted.
    case, rec = p.register("P6", GECHENG, "gc", at(2026, 3, 2, 9))
    p.route(case, at(2026, 3, 2, 10), played=rec)

    # P8: a leader takes charge in April; a supervisor names the township's leader in May.
    case, rec = p.register("P8", GECHENG, "gc", at(2026, 4, 6, 9))
    p.accept(case, rec, at(2026, 4, 7, 9), handler)
    services.assign_leader(people.leader, case, leader_id=people.leader.pk, now=at(2026, 4, 8, 9))
    services.assign_leader(people.supervisor, case, leader_id=t.township_leader.pk, now=at(2026, 5, 6, 9))
    rec.leaders += [at(2026, 4, 8, 9), at(2026, 5, 6, 9)]

    # P9: registered and accepted in December 2025, answered in the period, rated 4.
    case, rec = p.register("P9", GECHENG, "gc", at(2025, 12, 15, 9))
    p.accept(case, rec, at(2025, 12, 16, 9), handler)
    p.answer(case, rec, at(2026, 1, 20, 10), handler)
    p.rate(case, rec, at(2026, 1, 21, 9), 4)

    # P10 in 复兴: received and accepted in June, answered after the period.
    case, rec = p.register("P10", FUXING, "fx", at(2026, 6, 20, 9), point=GRID3)
    p.accept(case, rec, at(2026, 6, 22, 9), fx)
    p.answer(case, rec, at(2026, 7, 10, 10), fx)

    # P11 in the neighbouring county, outside every scope but the administrator's.
    case, rec = p.register("P11", OTHER_TOWNSHIP, "lx", at(2026, 3, 5, 9), point=None, actor=people.admin,
                           region_code="500230001001001", in_scope=False)
    p.accept(case, rec, at(2026, 3, 6, 9), people.admin, route_by=people.admin)
    p.answer(case, rec, at(2026, 3, 30, 10), people.admin)

    # P12: a report of wrongdoing by 葛城街道办事处, handled by the county government, rated 4.
    case, rec = p.register("P12", GECHENG, "xzf", at(2026, 3, 16, 9), wrongdoing=True)
    p.accept(case, rec, at(2026, 3, 17, 9), t.county_handler)
    p.answer(case, rec, at(2026, 4, 15, 10), t.county_handler)
    p.rate(case, rec, at(2026, 4, 16, 9), 4)

    # P7: the same request as P2, whose matter the re-examination concluded: not accepted again.
    case, rec = p.register("P7", GECHENG, "gc", at(2026, 6, 1, 9))
    p.route(case, at(2026, 6, 1, 10), played=rec)
    services.answer_as_concluded(people.dispatcher, case, earlier_code=p.cases["P2"].tracking_code,
                                 now=at(2026, 6, 2, 9))
    rec.not_accepted = at(2026, 6, 2, 9)
    return p


# ---------------------------------------------------------------------------- shared, read-only


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """The county, its people and the petitions played, built once for the module: its tests
    only read them (``data_for_the_module``)."""
    with data_for_the_module(django_db_blocker):
        county = build_county()
        people = build_people(county)
        petitions = build_petitions(county, people)
        yield SimpleNamespace(county=county, people=people, petitions=petitions, played=play(people, petitions))


@pytest.fixture
def county(shared, db):
    return shared.county


@pytest.fixture
def people(shared, db):
    return shared.people


@pytest.fixture
def petitions(shared, db):
    return shared.petitions


@pytest.fixture
def played(shared, db):
    return shared.played


# ---------------------------------------------------------------------------- expected, from the record


def _one_decimal(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def expected_row(record: list[Played], start: date, end: date) -> dict:
    since, until = period_bounds(start, end)

    def inside(moment):
        return moment is not None and since <= moment < until

    row = dict.fromkeys(COUNTS, 0)
    rating_sum = 0
    for p in record:
        if p.merged:
            continue
        row["received"] += inside(p.registered)
        row["accepted"] += inside(p.accepted)
        row["not_accepted"] += inside(p.not_accepted)
        if p.answers and inside(p.answers[0]):
            row["answered"] += 1
            row["answered_on_time"] += not p.late
            row["reviewed"] += p.reviewed
            row["reexamined"] += p.reexamined
            row["first_time"] += not (p.reviewed or p.reexamined or p.reopened)
            if p.rating is not None:
                row["ratings"] += 1
                rating_sum += p.rating
        row["extended"] += any(inside(moment) for moment, _days in p.extensions)
        row["leader_in_charge"] += any(inside(moment) for moment in p.leaders)
    answered = row["answered"]
    row["on_time_rate"] = _one_decimal(Decimal(100 * row["answered_on_time"]) / answered) if answered else None
    row["first_time_rate"] = _one_decimal(Decimal(100 * row["first_time"]) / answered) if answered else None
    row["satisfaction"] = _one_decimal(Decimal(rating_sum) / row["ratings"]) if row["ratings"] else None
    return {key: row[key] for key in FIGURE_KEYS}


def figures_of(row: dict) -> dict:
    return {key: row[key] for key in FIGURE_KEYS}


def expected_by(record, attribute, start=START, end=END) -> dict:
    """Expected rows per township or body, those with nothing to count left out."""
    groups: dict[str, list] = {}
    for p in record:
        if not p.merged:
            groups.setdefault(getattr(p, attribute), []).append(p)
    rows = {key: expected_row(items, start, end) for key, items in groups.items()}
    return {key: row for key, row in rows.items()
            if any(row[k] for k in COUNTS)}


def month_range(start: date, end: date) -> list[tuple[str, date, date]]:
    """(YYYY-MM, first day, last day) of each month of the period, clipped to it."""
    months, day = [], start.replace(day=1)
    while day <= end:
        following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        months.append((f"{day:%Y-%m}", max(day, start), min(following - timedelta(days=1), end)))
        day = following
    return months


def expected_months(record, start=START, end=END) -> dict:
    return {code: expected_row(record, first, last) for code, first, last in month_range(start, end)}


def in_scope(record, *, township_staff=False):
    return [p for p in record if p.in_scope and not (township_staff and (p.township != GECHENG or p.about_gecheng))]


# ---------------------------------------------------------------------------- the function


def test_it_counts_what_was_played_in_the_period(played, people):
    result = petition_stats(people.supervisor, start=START, end=END)
    assert figures_of(result["totals"]) == expected_row(in_scope(played.record), START, END)


def test_it_has_figures_worth_checking(played, people):
    # The set is not trivial: every figure the definitions name has something to count, and
    # every rate lies strictly between 0 and 100.
    totals = petition_stats(people.supervisor, start=START, end=END)["totals"]
    assert all(totals[key] for key in FIGURE_KEYS), totals
    assert 0 < totals["on_time_rate"] < 100 and 0 < totals["first_time_rate"] < 100
    assert 1 < totals["satisfaction"] < 5


def test_reviews_and_reexaminations_are_not_counted_as_new_petitions(played, people):
    since, until = period_bounds(START, END)
    registered = Case.objects.filter(kind="petition", submitted_at__gte=since, submitted_at__lt=until,
                                     area_path__startswith="500229/").exclude(status="merged").count()
    totals = petition_stats(people.supervisor, start=START, end=END)["totals"]
    # The review and the re-examination of P2 are cases of their own in the period.
    assert registered == totals["received"] + 2
    assert totals["reviewed"] == totals["reexamined"] == 1


def test_it_breaks_the_figures_down_by_township(played, people):
    result = petition_stats(people.supervisor, start=START, end=END)
    by_township = {row["code"]: figures_of(row) for row in result["by_township"]}
    assert by_township == expected_by(in_scope(played.record), "township")
    assert [row["name"] for row in result["by_township"]] == ["葛城街道", "复兴街道"]


def test_it_breaks_the_figures_down_by_the_first_body_that_accepted(played, people):
    result = petition_stats(people.supervisor, start=START, end=END)
    by_office = {row["code"]: figures_of(row) for row in result["by_office"]}
    expected = expected_by(in_scope(played.record), "body")
    assert by_office == expected
    # P5 and P6 were never accepted: they count with the body they were sent to.
    assert by_office["fx"]["not_accepted"] == 1 and by_office["gc"]["received"] >= 1
    assert {row["code"]: row["name"] for row in result["by_office"]}["xzf"] == "县人民政府"


def test_the_first_body_keeps_a_petition_transferred_to_another(played, people):
    case = played.cases["P8"]
    services.transfer_petition(people.supervisor, case, office_code="fx", reason="涉及复兴街道辖区",
                               now=at(2026, 5, 7, 9))
    case.refresh_from_db()
    assert case.office.code == "fx"
    result = petition_stats(people.supervisor, start=START, end=END)
    assert {row["code"]: figures_of(row) for row in result["by_office"]} == expected_by(
        in_scope(played.record), "body")


def test_it_gives_every_month_of_the_period(played, people):
    result = petition_stats(people.supervisor, start=START, end=END)
    by_month = {row["code"]: figures_of(row) for row in result["by_month"]}
    expected = expected_months(in_scope(played.record))
    assert list(by_month) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert by_month == expected
    # P8's leaders took charge in April and in May: once in each month, once in the totals.
    assert by_month["2026-04"]["leader_in_charge"] == by_month["2026-05"]["leader_in_charge"] == 1
    assert result["totals"]["leader_in_charge"] == 1


def test_a_period_of_part_months_counts_only_its_days(played, people):
    start, end = date(2026, 1, 10), date(2026, 3, 16)
    result = petition_stats(people.supervisor, start=start, end=end)
    record = in_scope(played.record)
    assert figures_of(result["totals"]) == expected_row(record, start, end)
    assert {row["code"]: figures_of(row) for row in result["by_month"]} == expected_months(record, start, end)


def test_it_counts_only_the_petitions_the_user_may_see(played, people, petitions):
    assert figures_of(petition_stats(people.leader, start=START, end=END)["totals"]) == expected_row(
        in_scope(played.record), START, END)
    # The administrator sees the neighbouring county's petition too.
    everything = petition_stats(people.admin, start=START, end=END)
    assert figures_of(everything["totals"]) == expected_row(played.record, START, END)
    assert OTHER_TOWNSHIP in {row["code"] for row in everything["by_township"]}
    # 葛城's own supervisor: the petitions located in 葛城, except the report of wrongdoing by 葛城's office.
    township = petition_stats(petitions.township_supervisor, start=START, end=END)
    assert figures_of(township["totals"]) == expected_row(in_scope(played.record, township_staff=True), START, END)
    assert "xzf" not in {row["code"] for row in township["by_office"]}
    assert petition_stats(people.nobody, start=START, end=END)["totals"]["received"] == 0


def test_it_keeps_to_a_region_and_to_a_body_when_given_them(played, people):
    result = petition_stats(people.supervisor, start=START, end=END, region_code=FUXING)
    assert figures_of(result["totals"]) == expected_row(
        [p for p in in_scope(played.record) if p.township == FUXING], START, END)
    assert [row["code"] for row in result["by_township"]] == [FUXING]
    assert result["region"] == {"code": FUXING, "name": "复兴街道"}
    result = petition_stats(people.supervisor, start=START, end=END, office_code="gc")
    assert figures_of(result["totals"]) == expected_row(
        [p for p in in_scope(played.record) if p.body == "gc"], START, END)
    assert [row["code"] for row in result["by_office"]] == ["gc"]


def test_it_counts_by_the_day_things_happened(played, people):
    # December 2025 alone: only P9's registration and acceptance.
    result = petition_stats(people.supervisor, start=date(2025, 12, 1), end=date(2025, 12, 31))
    assert figures_of(result["totals"]) == expected_row(in_scope(played.record), date(2025, 12, 1),
                                                        date(2025, 12, 31))
    assert result["totals"]["received"] == result["totals"]["accepted"] == 1
    assert result["totals"]["answered"] == 0
    # A single day: 2 March 2026 (P2 extended, P4 answered, P6 received).
    day = date(2026, 3, 2)
    result = petition_stats(people.supervisor, start=day, end=day)
    assert figures_of(result["totals"]) == expected_row(in_scope(played.record), day, day)
    assert (result["totals"]["extended"], result["totals"]["answered"], result["totals"]["received"]) == (1, 1, 1)


def test_it_counts_matters_and_names_no_person(played, people, petitions):
    result = petition_stats(people.admin, start=START, end=END)
    text = repr(result)
    for person in [*(p.name for p in flow.PETITIONERS), *(p.phone for p in flow.PETITIONERS)]:
        assert person not in text, person
    # Every row is a township, a body or a month; none is a person (no leader, handler or petitioner).
    names = {row["name"] for key in ("by_township", "by_office", "by_month") for row in result[key]}
    places = set(Region.objects.values_list("name", flat=True)) | set(Office.objects.values_list("name", flat=True))
    assert names <= places | {code for code, _first, _last in month_range(START, END)}
    assert set(result) == {"period", "region", "office", "totals", "by_township", "by_office", "by_month",
                           "definitions", "notes"}


def test_it_gives_none_for_a_figure_with_nothing_to_compute_it_from(petitions, people):
    # A period before anything was played.
    totals = petition_stats(people.supervisor, start=date(2024, 1, 1), end=date(2024, 6, 30))["totals"]
    assert all(totals[key] == 0 for key in COUNTS)
    assert totals["on_time_rate"] is None and totals["first_time_rate"] is None and totals["satisfaction"] is None


def test_it_defines_every_figure(petitions, people):
    result = petition_stats(people.supervisor, start=START, end=END)
    assert [d["key"] for d in result["definitions"]] == FIGURE_KEYS
    assert all(d["label"] and d["definition"].endswith((".", "。")) for d in result["definitions"])
    assert {n["key"] for n in result["notes"]} >= {"period", "scope", "by_township", "by_office", "by_month"}
    assert set(result["totals"]) == {"code", "name", *FIGURE_KEYS}


@pytest.mark.parametrize("kwargs", [
    {"start": END, "end": START},
    {"start": START, "end": END, "region_code": "999999"},
    {"start": START, "end": END, "office_code": "nope"},
])
def test_it_refuses_bad_input(petitions, people, kwargs):
    with pytest.raises(ValueError):
        petition_stats(people.supervisor, **kwargs)
