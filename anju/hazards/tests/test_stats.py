"""The hazards indicators for the scorecards, each computed over a small county of hazards played
through the services at fixed moments (``STORIES``); every expected figure is counted from the
same stories in plain Python, by the indicator's definition, never written down as a number."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest

from anju.cases import modules
from anju.conftest import at, build_county, build_people, data_for_the_module
from anju.hazards import services, stats
from anju.hazards.models import Hazard, Site
from anju.hazards.testing import build_hazards
from anju.lib.periods import period_bounds

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))
NOW = at(2026, 11, 20, 12)


@dataclass
class Round:
    due: date
    ordered: datetime
    rectified: datetime | None = None
    result: str = ""            # "", "passed" or "failed"
    checked: datetime | None = None


@dataclass
class Story:
    site: str                   # a site of the ``hazards`` fixture
    level: str
    found: datetime
    rounds: list[Round] = field(default_factory=list)
    stopped: date | None = None
    listed: datetime | None = None
    delisted: datetime | None = None

    @property
    def township(self) -> str:
        return "500229002" if self.site == "far_tower" else "500229001"

    @property
    def department(self) -> str:
        return "yjj" if self.site == "quarry" else "zjj"

    @property
    def kind(self) -> str:
        return "mine" if self.site == "quarry" else "building.highrise"

    @property
    def closed(self) -> datetime | None:
        return self.rounds[-1].checked if self.rounds and self.rounds[-1].result == "passed" else None

    def due_now(self) -> datetime | None:
        """The hazard's running deadline as played to the end: none once closed; the day to accept
        it (1 working day after it was found) before any order; the last round's day to rectify
        by; or its re-inspection day once rectified (5 working days after; no holiday between)."""
        if self.closed:
            return None
        if not self.rounds:
            # Long past at every moment the tests ask about: a day to accept, in working days.
            return self.found + timedelta(days=4)
        last = self.rounds[-1]
        end = datetime.combine(last.due, datetime.max.time().replace(microsecond=0), tzinfo=NOW.tzinfo)
        if last.rectified is None:
            return end
        days, moment = 0, end
        while days < 5:
            moment += timedelta(days=1)
            days += moment.weekday() < 5
        return moment


STORIES = [
    # Rectified on time, passed: closed.
    Story("tower", "general", at(2026, 11, 2, 9),
          [Round(date(2026, 11, 9), at(2026, 11, 2, 10), at(2026, 11, 6, 10), "passed", at(2026, 11, 10, 15))]),
    # Ordered, never rectified: overdue.
    Story("tower2", "general", at(2026, 11, 3, 9), [Round(date(2026, 11, 9), at(2026, 11, 3, 10))]),
    # A major hazard: stopped, listed, failed once, passed, delisted.
    Story("quarry", "major", at(2026, 11, 2, 9),
          [Round(date(2026, 12, 1), at(2026, 11, 2, 11), at(2026, 11, 27, 9), "failed", at(2026, 12, 2, 10)),
           Round(date(2026, 12, 15), at(2026, 12, 2, 10), at(2026, 12, 14, 9), "passed", at(2026, 12, 16, 9))],
          stopped=date(2026, 11, 2), listed=at(2026, 11, 2, 12), delisted=at(2026, 12, 17, 9)),
    # Rectified late, passed.
    Story("far_tower", "general", at(2026, 11, 4, 9),
          [Round(date(2026, 11, 10), at(2026, 11, 4, 10), at(2026, 11, 12, 9), "passed", at(2026, 11, 13, 9))]),
    # A major hazard just found, and one found in October still open.
    Story("far_tower", "major", at(2026, 11, 5, 9)),
    Story("tower", "major", at(2026, 10, 20, 9)),
]


def play(people, hazards, stories=STORIES) -> None:
    """Every story through the services, each at its moments."""
    handlers = {"zjj": hazards.housing_handler, "yjj": hazards.emergency_handler}
    for index, story in enumerate(stories):
        site = getattr(hazards, story.site)
        items = site.kind.path.startswith("mine") and 2 or 3
        answers = [services.Answer(1, "hazard", f"隐患{index}", level=story.level)]
        answers += [services.Answer(n, "pass") for n in range(2, items + 1)]
        services.submit_inspection(people.supervisor, services.NewInspection(site=site.pk, answers=answers,
                                                                             signed_as="检查员"),
                                   idempotency_key=f"story-{index}", now=story.found)
        case = Hazard.objects.get(inspection__idempotency_key=f"story-{index}").case
        handler = handlers[story.department]
        if story.stopped:
            services.record_work_stopped(handler, case, stopped_on=story.stopped, now=story.found)
        for number, round_ in enumerate(story.rounds):
            if number == 0:
                services.issue_order(handler, case, measures="整改", due_on=round_.due, now=round_.ordered)
                if story.listed:
                    services.list_hazard(people.supervisor, case, owner=story.department, due_on=date(2026, 12, 31),
                                         now=story.listed)
                if story.level == "major":
                    services.record_plan(handler, case, services.PlanText(*["方案"] * 6), now=round_.ordered)
            if round_.rectified:
                services.report_rectified(handler, case, now=round_.rectified)
            if round_.result:
                following = story.rounds[number + 1] if number + 1 < len(story.rounds) else None
                services.reinspect(handler, case, passed=round_.result == "passed", evidence="复查",
                                   new_due_on=following.due if following else None, measures="继续整改",
                                   now=round_.checked)
        if story.delisted:
            services.delist(people.supervisor, case, acceptance="验收合格", now=story.delisted)


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """The county, its people, the hazards fixture and the stories played, built once for the
    module: its tests only read them, or write inside their own savepoint
    (``data_for_the_module``)."""
    with data_for_the_module(django_db_blocker):
        county = build_county()
        people = build_people(county)
        hazards = build_hazards(county, people)
        play(people, hazards)
        yield SimpleNamespace(county=county, people=people, hazards=hazards)


@pytest.fixture
def county(shared, db):
    return shared.county


@pytest.fixture
def people(shared, db):
    return shared.people


@pytest.fixture
def hazards(shared, db):
    return shared.hazards


@pytest.fixture
def played(shared, db):
    return STORIES


def within(moment: datetime | None, period: tuple[date, date]) -> bool:
    start, end = period_bounds(*period)
    return moment is not None and start <= moment < end


def in_scope(story: Story, township: str | None = None, kind: str | None = None, department: str | None = None):
    return ((township is None or story.township == township) and (kind is None or story.kind.startswith(kind))
            and (department is None or story.department == department))


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def region(county, code: str | None):
    return {None: None, "500229001": county.gecheng, "500229002": county.fuxing}[code]


SCOPES = [
    {}, {"township": "500229001"}, {"township": "500229002"}, {"kind": "mine"}, {"kind": "building"},
    {"department": "zjj"}, {"department": "yjj"},
]


def call(indicator, county, period, scope, **extra):
    scope = dict(scope)
    return indicator(region(county, scope.pop("township", None)), *period, **scope, **extra)


@pytest.mark.parametrize("scope", SCOPES)
def test_hazards_found_counts_the_hazards_found_in_the_period(county, played, scope):
    for period in (NOVEMBER, DECEMBER, (date(2026, 10, 1), date(2026, 10, 31))):
        expected = sum(1 for s in played if in_scope(s, **scope) and within(s.found, period))
        assert call(stats.hazards_found, county, period, scope) == expected, period


@pytest.mark.parametrize("scope", SCOPES)
def test_rectified_on_time_is_the_share_of_rounds_due_and_met(county, played, scope):
    for period in (NOVEMBER, DECEMBER):
        start, end = period_bounds(*period)
        due = [(s, r) for s in played if in_scope(s, **scope) for r in s.rounds
               if start <= datetime.combine(r.due, datetime.max.time(), tzinfo=NOW.tzinfo) < end
               and (datetime.combine(r.due, datetime.max.time(), tzinfo=NOW.tzinfo) < NOW or r.rectified)]
        met = [r for _s, r in due if r.rectified and r.rectified.date() <= r.due and r.result != "failed"]
        assert call(stats.rectified_on_time, county, period, scope, now=NOW) == rate(len(met), len(due)), period


@pytest.mark.parametrize("scope", SCOPES)
def test_overdue_now_counts_open_hazards_past_their_running_deadline(county, played, scope):
    for now in (NOW, at(2026, 12, 3, 9), at(2027, 1, 5, 9)):
        # A snapshot of the hazards as they are now (played to the end), against the moment given.
        expected = sum(1 for s in played if in_scope(s, **scope) and s.due_now() and s.due_now() < now)
        assert call(stats.overdue_now, county, NOVEMBER, scope, now=now) == expected, now


def test_overdue_now_finds_the_hazard_nobody_rectified(county, played):
    assert stats.overdue_now(None, *NOVEMBER, now=NOW) >= 1


@pytest.mark.parametrize("scope", SCOPES)
def test_major_open_counts_major_hazards_not_closed_at_the_end_of_the_period(county, played, scope):
    for period, now in ((NOVEMBER, at(2027, 1, 5)), (DECEMBER, at(2027, 1, 5)), (DECEMBER, at(2026, 12, 10))):
        end = min(period_bounds(*period)[1], now)
        expected = sum(1 for s in played if in_scope(s, **scope) and s.level == "major" and s.found < end
                       and not (s.closed and s.closed < end))
        assert call(stats.major_open, county, period, scope, now=now) == expected, (period, now)


@pytest.mark.parametrize("scope", SCOPES)
def test_listed_and_delisted_count_the_listings_of_the_period(county, played, scope):
    for period in (NOVEMBER, DECEMBER):
        assert call(stats.listed, county, period, scope) == sum(
            1 for s in played if in_scope(s, **scope) and within(s.listed, period))
        assert call(stats.delisted, county, period, scope) == sum(
            1 for s in played if in_scope(s, **scope) and within(s.delisted, period))


@pytest.mark.parametrize("scope", SCOPES)
def test_the_reinspection_pass_rate_is_the_share_of_reinspections_passed(county, played, scope):
    for period in (NOVEMBER, DECEMBER, (date(2026, 11, 1), date(2026, 12, 31))):
        checked = [r for s in played if in_scope(s, **scope) for r in s.rounds if within(r.checked, period)]
        passed = [r for r in checked if r.result == "passed"]
        assert call(stats.reinspection_pass_rate, county, period, scope) == rate(len(passed), len(checked)), period


def test_campaign_coverage_is_the_share_of_owed_sites_inspected(people, hazards, county, played):
    # A building campaign over 葛城 in November, with a building there nobody inspected; a mine
    # campaign over the county in December that inspects nothing.
    never = Site.objects.create(kind=hazards.building, name="土城老街12号", address="葛城街道土城老街12号", lat=31.906,
                                lng=108.607, region=county.grid1, unit="自建房业主", department=hazards.housing)
    november = services.open_campaign(people.supervisor, title="冬季消防安全专项行动", kind="building",
                                      region="500229001", starts_on=NOVEMBER[0], ends_on=NOVEMBER[1],
                                      now=at(2026, 10, 30, 9))
    services.open_campaign(people.supervisor, title="非煤矿山专项整治", kind="mine", region="500229",
                           starts_on=DECEMBER[0], ends_on=DECEMBER[1], now=at(2026, 10, 30, 9))
    building_sites = [hazards.tower, hazards.tower2, never]
    inspected_in_november = {getattr(hazards, s.site).pk for s in played if within(s.found, NOVEMBER)}

    def coverage(sites, inspected):
        return rate(sum(1 for site in sites if site.pk in inspected), len(sites))

    assert stats.campaign_coverage(county.gecheng, *NOVEMBER) == coverage(building_sites, inspected_in_november)
    assert stats.campaign_coverage(None, *NOVEMBER) == coverage(building_sites, inspected_in_november)
    assert stats.campaign_coverage(county.grid2, *NOVEMBER) == coverage([hazards.tower2], inspected_in_november)
    # 复兴 is in no campaign of November.
    assert stats.campaign_coverage(county.fuxing, *NOVEMBER) is None
    assert stats.campaign_coverage(county.gecheng, *NOVEMBER, department="yjj") is None
    # December: the mine campaign owes the quarry, inspected in November only.
    assert stats.campaign_coverage(None, *DECEMBER) == coverage([hazards.quarry], set())
    assert stats.campaign_coverage(None, *DECEMBER, kind="building") is None
    # Both months: the pairs of both campaigns.
    pairs = [(site, inspected_in_november) for site in building_sites] + [(hazards.quarry, set())]
    assert stats.campaign_coverage(None, NOVEMBER[0], DECEMBER[1]) == rate(
        sum(1 for site, done in pairs if site.pk in done), len(pairs))
    assert november.pk


def test_a_period_may_be_given_as_moments(county, played):
    start, end = period_bounds(*NOVEMBER)
    assert stats.hazards_found(None, start, end) == stats.hazards_found(None, *NOVEMBER)
    first_week = sum(1 for s in played if at(2026, 11, 2) <= s.found < at(2026, 11, 4))
    assert stats.hazards_found(None, at(2026, 11, 2), at(2026, 11, 4)) == first_week


def test_rates_are_none_with_nothing_to_count(county, played):
    september = (date(2026, 9, 1), date(2026, 9, 30))
    for indicator in (stats.rectified_on_time, stats.reinspection_pass_rate, stats.campaign_coverage):
        assert indicator(county.county, *september) is None
    assert stats.hazards_found(county.county, *september) == 0


def test_the_indicators_are_registered_with_their_definitions(db):
    registered = {indicator.code: indicator for indicator in modules.indicators()}
    for indicator in stats.INDICATORS:
        assert registered[indicator.code] is indicator
        assert indicator.compute.__doc__ and str(indicator.label)
        assert str(stats.DEFINITIONS[indicator.code])
    assert set(stats.DEFINITIONS) == {indicator.code for indicator in stats.INDICATORS}
