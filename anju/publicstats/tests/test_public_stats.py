"""The public statistics, per township and per office, checked against figures the test computes
itself from the list of what it did to each case (not by asking the database the same questions),
in the JSON and on the page, for every period."""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from anju.cases import services as s
from anju.cases.models import Case, RoutingRule
from anju.conftest import at
from anju.geo.models import Region
from anju.people.models import Office
from anju.publicstats import stats, views

NOW = at(2026, 6, 15, 12)
STARTS = {"30d": at(2026, 5, 16, 12), "12m": at(2025, 6, 15, 12), "ytd": at(2026, 1, 1)}
PLACES = {"gecheng": (31.905, 108.605), "fuxing": (31.955, 108.705)}
TOWNSHIP_CODES = {"gecheng": "500229001", "fuxing": "500229002"}
STATS = reverse("publicstats:stats")
STATS_JSON = reverse("publicstats:stats_json")


@dataclass
class Story:
    """What the test did to one case, in its own terms."""

    township: str
    office: str
    submitted: datetime
    closed: datetime | None = None
    late: bool = False
    rating: int | None = None
    reopened: bool = False
    merged: bool = False


class Playbook:
    """Takes cases through the services at chosen moments and remembers each story."""

    def __init__(self, people, new_case):
        self.people, self.new_case, self.stories, self.cases = people, new_case, [], []
        self.handlers = {"gc": people.handler, "fx": people.other_handler, "jtj": people.transport_handler}

    def _submit(self, township, submitted, **overrides):
        lat, lng = PLACES[township]
        return self.new_case(now=submitted, lat=lat, lng=lng, **overrides)

    def _to_office(self, case, at_time):
        d = self.people.dispatcher
        case = s.accept_case(d, case, now=at_time)
        return s.dispatch_case(d, case, now=at_time)

    def handled(self, township, office, submitted, took, *, rating, late=False, category="urban.light",
                reopened_on_the_way=False, **overrides):
        """Submitted, sent to ``office``, handled and closed with ``rating`` after ``took``. ``late``:
        ``took`` is well past the 15 working days to handle, so the deadline was missed."""
        d, handler = self.people.dispatcher, self.handlers[office]
        case = self._submit(township, submitted, category_code=category, **overrides)
        case = self._to_office(case, submitted + timedelta(hours=1))
        case = s.start_case(handler, case, now=submitted + timedelta(hours=2))
        if reopened_on_the_way:
            case = s.resolve_case(handler, case, reply="已处理", now=submitted + timedelta(days=1))
            case = s.follow_up_case(d, case, satisfaction=1, now=submitted + timedelta(days=1, hours=1))
            case = s.reopen_case(d, case, reason="群众反映未解决", now=submitted + timedelta(days=2))
        closed = submitted + took
        case = s.resolve_case(handler, case, reply="已处理完毕", now=closed - timedelta(hours=1))
        case = s.follow_up_case(d, case, satisfaction=rating, now=closed)
        self._remember(case, Story(township, office, submitted, closed, late, rating, reopened_on_the_way))

    def rejected(self, township, submitted, took):
        case = self._submit(township, submitted)
        case = s.reject_case(self.people.dispatcher, case, reply="不属于受理范围", now=submitted + took)
        self._remember(case, Story(township, "centre", submitted, submitted + took))

    def reopened_and_open(self, township, office, submitted):
        d, handler = self.people.dispatcher, self.handlers[office]
        case = self._to_office(self._submit(township, submitted), submitted + timedelta(hours=1))
        case = s.start_case(handler, case, now=submitted + timedelta(hours=2))
        case = s.resolve_case(handler, case, reply="已处理", now=submitted + timedelta(days=1))
        case = s.follow_up_case(d, case, satisfaction=2, now=submitted + timedelta(days=2))
        case = s.reopen_case(d, case, reason="未解决", now=submitted + timedelta(days=3))
        self._remember(case, Story(township, office, submitted, reopened=True))

    def dispatched(self, township, office, submitted):
        case = self._to_office(self._submit(township, submitted), submitted + timedelta(hours=1))
        self._remember(case, Story(township, office, submitted))
        return case

    def submitted(self, township, submitted):
        self._remember(self._submit(township, submitted), Story(township, "centre", submitted))

    def merged(self, township, submitted, into):
        case = self._submit(township, submitted, text="滨河路路灯又不亮了")
        case = s.merge_case(self.people.dispatcher, case, into=into, now=submitted + timedelta(hours=1))
        self._remember(case, Story(township, "centre", submitted, merged=True))

    def _remember(self, case, story):
        self.cases.append(case)
        self.stories.append(story)


@pytest.fixture
def history(county, people, new_case):
    """Cases in both townships and four offices, inside and outside each period. Also a third township
    and an office with a routing rule, both without cases, and two offices that must not be listed."""
    county.gaoguan = Region.objects.create(code="500229003", name="高观镇", level="township", parent=county.county)
    county.gaoguan_office = Office.objects.create(code="gg", name="高观镇人民政府", kind="township",
                                                  jurisdiction=county.gaoguan)
    RoutingRule.objects.create(region=county.gaoguan, office=county.gaoguan_office, basis="territorial")
    retired = Office.objects.create(code="old", name="已撤销的办公室", kind="department", jurisdiction=county.county,
                                    is_active=False)
    RoutingRule.objects.create(region=county.tucheng, category=county.noise, office=retired, basis="sector")
    Office.objects.create(code="idle", name="没有规则的办公室", kind="department", jurisdiction=county.county)

    play = Playbook(people, new_case)
    day = timedelta(days=1)
    # 葛城, owned by the 葛城 office
    play.handled("gecheng", "gc", at(2026, 6, 1, 9), 2 * day, rating=5)
    play.handled("gecheng", "gc", at(2026, 4, 20, 10), 40 * day, rating=2, late=True)
    play.handled("gecheng", "gc", at(2026, 6, 2, 8), 5 * day, rating=4, reopened_on_the_way=True)
    play.handled("gecheng", "gc", at(2026, 6, 3, 9), 3 * day, rating=3, confidential=True)
    play.handled("gecheng", "gc", at(2026, 6, 4, 9), day + timedelta(hours=7), rating=5, category="urban")  # hidden
    play.handled("gecheng", "gc", at(2025, 12, 10, 9), 10 * day, rating=4)
    play.handled("gecheng", "gc", at(2025, 3, 1, 9), 3 * day, rating=5)  # before every period
    play.reopened_and_open("gecheng", "gc", at(2026, 5, 25, 9))
    target = play.dispatched("gecheng", "gc", at(2026, 6, 10, 9))
    play.merged("gecheng", at(2026, 6, 11, 9), into=target)
    play.rejected("gecheng", at(2026, 6, 5, 9), timedelta(hours=6))
    play.submitted("gecheng", STARTS["30d"])  # the first moment of the last 30 days
    play.submitted("gecheng", STARTS["30d"] - timedelta(seconds=1))
    # 复兴, owned by the 复兴 office
    play.handled("fuxing", "fx", at(2026, 6, 8, 9), 3 * day + timedelta(hours=4), rating=4)
    play.handled("fuxing", "fx", at(2026, 2, 2, 9), 45 * day, rating=3, late=True)
    play.handled("fuxing", "fx", at(2026, 5, 17, 9), day, rating=5)
    play.rejected("fuxing", at(2026, 1, 5, 9), timedelta(hours=20))
    # Roads in both townships go to the transport bureau.
    play.handled("gecheng", "jtj", at(2026, 6, 9, 9), 2 * day + timedelta(hours=12), rating=4, category="urban.road")
    play.handled("fuxing", "jtj", at(2026, 4, 1, 9), 50 * day, rating=1, late=True, category="urban.road")
    return play


def half_up(value) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def expected_figures(stories: list[Story], start: datetime, end: datetime) -> dict:
    received = [x for x in stories if not x.merged and start <= x.submitted <= end]
    closed = [x for x in stories if x.closed is not None and start <= x.closed <= end]
    rated = [x.rating for x in closed if x.rating is not None]
    days = [(x.closed - x.submitted).total_seconds() / 86400 for x in closed]
    return {
        "received": len(received),
        "closed": len(closed),
        "on_time_rate": half_up(100 * sum(not x.late for x in closed) / len(closed)) if closed else None,
        "median_days_to_close": half_up(statistics.median(days)) if days else None,
        "satisfaction": half_up(sum(rated) / len(rated)) if rated else None,
        "ratings": len(rated),
        "reopen_rate": half_up(100 * sum(x.reopened for x in closed) / len(closed)) if closed else None,
    }


def expected_rows(history, key: str) -> tuple[dict, dict]:
    start = STARTS[key]
    townships = {code: expected_figures([x for x in history.stories if TOWNSHIP_CODES[x.township] == code], start, NOW)
                 for code in ("500229001", "500229002", "500229003")}
    offices = {code: expected_figures([x for x in history.stories if x.office == code], start, NOW)
               for code in ("centre", "gc", "fx", "jtj", "gg")}
    return townships, offices


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(views, "current_time", lambda: NOW)


def test_the_story_played_out_as_the_test_meant(history):
    """The setup's own premises: late cases missed a deadline, on-time ones did not, reopenings counted."""
    for case, story in zip(history.cases, history.stories, strict=True):
        case = Case.objects.get(pk=case.pk)
        assert case.office.code == story.office
        if story.closed is not None:
            assert (case.closed_at, case.missed_deadline, case.satisfaction) == (story.closed, story.late, story.rating)
        assert (case.reopen_count > 0) == story.reopened
        assert (case.status == "merged") == story.merged


@pytest.mark.parametrize("key", ["30d", "12m", "ytd"])
def test_the_json_matches_the_figures_counted_from_what_happened(client, frozen, history, key):
    response = client.get(STATS_JSON, {"period": key})
    assert response.status_code == 200
    body = response.json()
    townships, offices = expected_rows(history, key)
    assert {row["code"]: {k: v for k, v in row.items() if k not in ("code", "name")}
            for row in body["townships"]} == townships
    assert {row["code"]: {k: v for k, v in row.items() if k not in ("code", "name")}
            for row in body["offices"]} == offices
    assert body["period"] == {"key": key, "label": str(stats.PERIODS[key]), "start": STARTS[key].isoformat(),
                              "end": NOW.isoformat(), "time_zone": "Asia/Shanghai"}


def test_the_last_30_days_say_what_a_person_would_count(client, frozen, history):
    """The same, spelled out once by hand for 复兴 over the last 30 days: two cases received (6-8 and
    5-17) and three closed: those two, on time after 3 days 4 hours and after 1 day, and a road case
    received on 4-1 and closed late after 50 days. Median 3.2 days; ratings 4, 5 and 1."""
    body = client.get(STATS_JSON).json()
    fuxing = next(row for row in body["townships"] if row["code"] == "500229002")
    assert fuxing == {"code": "500229002", "name": "复兴街道", "received": 2, "closed": 3, "on_time_rate": 66.7,
                      "median_days_to_close": 3.2, "satisfaction": 3.3, "ratings": 3, "reopen_rate": 0.0}


def test_it_defaults_to_the_last_30_days(client, frozen, history):
    assert client.get(STATS_JSON).json() == client.get(STATS_JSON, {"period": "30d"}).json()


def test_rows_without_cases_show_zero_and_no_rates(client, frozen, history):
    body = client.get(STATS_JSON, {"period": "30d"}).json()
    gaoguan = next(row for row in body["townships"] if row["code"] == "500229003")
    assert gaoguan == {"code": "500229003", "name": "高观镇", "received": 0, "closed": 0, "on_time_rate": None,
                       "median_days_to_close": None, "satisfaction": None, "ratings": 0, "reopen_rate": None}
    assert [row["code"] for row in body["offices"]] == ["centre", "fx", "gc", "gg", "jtj"]


def test_it_lists_an_office_that_owns_cases_only_from_before_the_period(client, monkeypatch, history):
    monkeypatch.setattr(views, "current_time", lambda: at(2031, 1, 1))
    body = client.get(STATS_JSON, {"period": "30d"}).json()
    assert [row["code"] for row in body["offices"]] == ["centre", "fx", "gc", "gg", "jtj"]
    assert all(row["received"] == row["closed"] == 0 for row in body["offices"] + body["townships"])


def test_it_counts_with_a_few_queries_whatever_the_number_of_cases(client, frozen, history,
                                                                   django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(STATS_JSON, {"period": "12m"}).status_code == 200


def test_it_lets_browsers_and_proxies_keep_the_json_for_five_minutes(client, frozen, history):
    response = client.get(STATS_JSON)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("language, detail, reason", [
    ("en", "Invalid input: period: must be one of: 30d, 12m, ytd", "must be one of: 30d, 12m, ytd"),
    ("zh-hans", "输入无效：period: 须为以下之一：30d, 12m, ytd", "须为以下之一：30d, 12m, ytd"),
])
def test_a_bad_period_is_400_in_the_api_error_shape(db, language, detail, reason):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(STATS_JSON, {"period": "7d"})
    assert response.status_code == 400
    assert response.json() == {"detail": detail, "errors": [{"field": "period", "message": reason}]}
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("language, detail", [
    ("en", "Invalid input: period: must be one of: 30d, 12m, ytd"),
    ("zh-hans", "输入无效：period: 须为以下之一：30d, 12m, ytd"),
])
def test_a_bad_period_on_the_page_is_400_with_the_reason(db, language, detail):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(STATS, {"period": "forever"})
    assert response.status_code == 400
    assert detail in response.content.decode()
    assert 'id="townships"' not in response.content.decode()


class FigureCells(HTMLParser):
    """Reads the tables: {table id: {row code: {figure: text}}}."""

    def __init__(self):
        super().__init__()
        self.tables, self.table, self.row, self.open_figures = {}, None, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "public-stats" in (attrs.get("class") or ""):
            self.table = self.tables.setdefault(attrs["id"], {})
        elif tag == "tr" and "data-code" in attrs and self.table is not None:
            self.row = self.table.setdefault(attrs["data-code"], {})
        if "data-figure" in attrs and self.row is not None:
            self.open_figures.append((tag, attrs["data-figure"]))
            self.row[attrs["data-figure"]] = ""

    def handle_endtag(self, tag):
        if self.open_figures and self.open_figures[-1][0] == tag:
            self.open_figures.pop()
        if tag == "table":
            self.table, self.row = None, None

    def handle_data(self, data):
        for _tag, name in self.open_figures:
            self.row[name] += data


def shown(figures: dict) -> dict:
    """How the page writes the expected figures."""
    def rate(value):
        return "—" if value is None else f"{value:.1f}%"

    return {
        "received": str(figures["received"]),
        "closed": str(figures["closed"]),
        "on_time_rate": rate(figures["on_time_rate"]),
        "median_days_to_close": "—" if figures["median_days_to_close"] is None
        else f"{figures['median_days_to_close']:.1f}",
        "satisfaction": "—" if figures["satisfaction"] is None
        else f"{figures['satisfaction']:.1f} ({figures['ratings']} rated)",
        "reopen_rate": rate(figures["reopen_rate"]),
    }


@pytest.mark.parametrize("key", ["30d", "12m", "ytd"])
def test_the_page_shows_the_same_figures(frozen, history, key):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(STATS, {"period": key})
    assert response.status_code == 200
    parser = FigureCells()
    parser.feed(response.content.decode())
    townships, offices = expected_rows(history, key)
    for table, expected in (("townships", townships), ("offices", offices)):
        cells = {code: {name: " ".join(text.split()) for name, text in row.items() if name != "ratings"}
                 for code, row in parser.tables[table].items()}
        assert cells == {code: shown(figures) for code, figures in expected.items()}


def test_the_page_defines_every_figure_and_names_its_period(frozen, history):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(STATS).content.decode()
    assert "How the figures are counted" in page
    assert "From 2026-05-16 12:00 to 2026-06-15 12:00, Beijing time." in page
    assert 'aria-current="page">Last 30 days<' in page
    # A phone shows some seventy cards: the top of the page links to each part.
    for target in ("townships-heading", "offices-heading", "definitions"):
        assert f'href="#{target}"' in page and f'id="{target}"' in page


def test_the_page_and_json_say_nothing_about_any_single_case(client, frozen, history):
    body = "".join(client.get(url, {"period": "12m"}).content.decode() for url in (STATS_JSON, STATS))
    for case in Case.objects.select_related("reporter"):
        assert case.tracking_code not in body
        assert case.text not in body
    assert "张三" not in body and "13800001234" not in body


@pytest.mark.parametrize("now, key, start", [
    (at(2026, 3, 10, 8, 30), "30d", at(2026, 2, 8, 8, 30)),
    (at(2026, 3, 10, 8, 30), "12m", at(2025, 3, 10, 8, 30)),
    (at(2028, 2, 29, 9), "12m", at(2027, 2, 28, 9)),
    (at(2026, 3, 10, 8, 30), "ytd", at(2026, 1, 1)),
    # 1 January 00:30 in Shanghai is still 31 December in UTC: the year is Shanghai's.
    (at(2027, 1, 1, 0, 30), "ytd", at(2027, 1, 1)),
])
def test_periods_end_now_and_start_where_the_definition_says(now, key, start):
    period = stats.period_bounds(key, now)
    assert (period.start, period.end) == (start, now)
    assert period.start.utcoffset() == timedelta(hours=8)


def test_one_decimal_rounds_half_up_exactly():
    from fractions import Fraction

    assert stats.one_decimal(Fraction(2, 3) * 100) == 66.7
    assert stats.one_decimal(Fraction(9, 4)) == 2.3  # 2.25
    assert stats.one_decimal(Fraction(49, 20)) == 2.5  # 2.45, which a binary float would round down
