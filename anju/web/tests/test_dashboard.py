"""The dashboard: who may see it, each number against cases made here with explicit times, scoping,
and the tables behind the charts."""

import json
import re
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from anju.cases import services as s
from anju.cases.choices import OPEN_STATUSES, Status
from anju.cases.models import Case
from anju.conftest import SHANGHAI, at
from anju.people.models import RoleAssignment, User
from anju.web import stats

URL = reverse("web:dashboard")
NOW = at(2026, 9, 30, 10)  # a Wednesday; its week starts on Monday 28 September
FUXING_POINT = {"lat": 31.955, "lng": 108.705}


# ---------------------------------------------------------------------------- a county's history


class History:
    """Cases with known times, and who handles what."""


@pytest.fixture
def history(people, new_case, county):
    d, sup = people.dispatcher, people.supervisor
    handler_of = {"gc": people.handler, "fx": people.other_handler, "jtj": people.transport_handler}

    def make(when, *, fuxing=False, category="urban.light"):
        place = FUXING_POINT if fuxing else {}
        return new_case(now=when, category_code=category, **place)

    def take(case, when):
        case = s.accept_case(d, case, now=when)
        case = s.dispatch_case(d, case, now=when)
        if case.office.code in handler_of:
            case = s.start_case(handler_of[case.office.code], case, now=when)
        return case

    def resolve(case, when):
        return s.resolve_case(handler_of[case.office.code], case, reply="已处理", now=when)

    h = History()
    # Week boundaries in Shanghai time: Monday 00:30 is that Monday's week (Sunday in UTC).
    h.monday_early = make(at(2026, 9, 28, 0, 30))  # never accepted: overdue at the centre
    h.sunday_late = s.reject_case(d, make(at(2026, 9, 27, 23, 30)), reply="不属于受理范围", now=at(2026, 9, 28, 9))
    h.first_week = s.reject_case(d, make(at(2026, 7, 13, 0, 10), category="urban.road"), reply="重复",
                                 now=at(2026, 7, 13, 9))
    h.before_window = make(at(2026, 7, 12, 23, 50), category="env.noise")
    # Month boundary: 1 September 00:30 Shanghai is still 31 August in UTC.
    h.september_first = take(make(at(2026, 9, 1, 0, 30), fuxing=True, category="env.noise"), at(2026, 9, 1, 9))
    h.september_first = resolve(h.september_first, at(2026, 9, 3, 9))
    h.september_first = s.follow_up_case(d, h.september_first, satisfaction=5, now=at(2026, 9, 4, 9))
    h.august_last = make(at(2026, 8, 31, 23, 30), fuxing=True)
    # Resolved on time; the follow-up is now overdue.
    h.on_time = resolve(take(make(at(2026, 9, 10, 9)), at(2026, 9, 10, 10)), at(2026, 9, 12, 9))
    # Resolved long after the 15 working days to handle.
    h.late = resolve(take(make(at(2026, 8, 1, 9)), at(2026, 8, 3, 9)), at(2026, 9, 25, 9))
    # Resolved 41 days ago: outside the last 30 days, inside the last 90.
    h.earlier = resolve(take(make(at(2026, 8, 10, 9)), at(2026, 8, 10, 10)), at(2026, 8, 20, 9))
    h.earlier = s.follow_up_case(d, h.earlier, satisfaction=4, now=at(2026, 8, 21, 9))
    # Resolved, then reopened: back in hand, not counted as resolved.
    h.reopened = resolve(take(make(at(2026, 9, 14, 9), fuxing=True), at(2026, 9, 14, 10)), at(2026, 9, 20, 9))
    h.reopened = s.reopen_case(sup, h.reopened, reason="问题仍未解决", now=at(2026, 9, 21, 9))
    # A road case with the transport bureau since July: overdue there.
    h.road = take(make(at(2026, 7, 1, 9), category="urban.road"), at(2026, 7, 1, 10))
    h.cases = [Case.objects.select_related("category", "office").get(pk=c.pk) for c in vars(h).values()
               if isinstance(c, Case)]
    return h


def township_of(case):
    return case.area_path.split("/")[1]


def monday_of(moment):
    local = moment.astimezone(SHANGHAI).date()
    return local - timedelta(days=local.weekday())


def expected_weekly(cases):
    mondays = [monday_of(NOW) - timedelta(weeks=11 - i) for i in range(12)]
    received = Counter(monday_of(c.submitted_at) for c in cases)
    closed = Counter(monday_of(c.closed_at) for c in cases if c.status == Status.CLOSED)
    return [(m, received[m], closed[m]) for m in mondays]


def expected_on_time(cases, days=30):
    counted = [c for c in cases if c.status in (Status.RESOLVED, Status.CLOSED)
               and c.resolved_at and NOW - timedelta(days=days) <= c.resolved_at < NOW]
    resolved = Counter(township_of(c) for c in counted)
    on_time = Counter(township_of(c) for c in counted if not c.missed_deadline)
    return {code: (resolved[code], on_time[code]) for code in resolved}


def expected_categories(cases):
    month = [c for c in cases if c.submitted_at.astimezone(SHANGHAI).strftime("%Y-%m") == "2026-09"]
    return Counter(c.category.name for c in month)


def expected_overdue(cases):
    return Counter(c.office.name for c in cases if c.status in OPEN_STATUSES and c.due_at and c.due_at < NOW)


@pytest.fixture
def fuxing_supervisor(county):
    user = User.objects.create_user("fx_supervisor", password="pw", office=county.fuxing_office)
    RoleAssignment.objects.create(user=user, role="supervisor", region=county.fuxing)
    return user


# ---------------------------------------------------------------------------- who may see it


def test_it_sends_anonymous_visitors_to_sign_in(client, county):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["nobody", "handler", "dispatcher", "gridworker", "township_dispatcher"])
def test_it_hides_the_dashboard_from_everyone_but_supervisors_and_leaders(client, people, persona):
    client.force_login(getattr(people, persona))
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("persona", ["supervisor", "leader", "admin"])
def test_it_shows_the_dashboard_to_supervisors_leaders_and_administrators(client, people, persona):
    client.force_login(getattr(people, persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["section"] == "dashboard"


@pytest.mark.parametrize("params, field", [({"period": "7"}, "period"), ({"period": "x"}, "period"),
                                           ({"township": "999"}, "township")])
def test_it_gives_the_filters_back_with_an_error_for_a_bad_value(client, people, params, field):
    client.force_login(people.supervisor)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {field}
    assert 'class="field-error"' in response.content.decode()
    assert "chart-data" not in response.content.decode()


# ---------------------------------------------------------------------------- the numbers


def test_it_counts_cases_received_and_closed_per_shanghai_week(people, history):
    rows = stats.weekly_flow(people.supervisor, NOW)
    assert [(r.week, r.received, r.closed) for r in rows] == expected_weekly(history.cases)
    weeks = {r.week: r for r in rows}
    assert len(rows) == 12 and rows[0].week.isoformat() == "2026-07-13" and rows[-1].week.isoformat() == "2026-09-28"
    # Monday 00:30 is in the Monday's week, Sunday 23:30 in the week before; 12 July is outside.
    assert weeks[at(2026, 9, 28).date()].received == 1 and weeks[at(2026, 9, 28).date()].closed == 1
    assert weeks[at(2026, 9, 21).date()].received == 1
    assert weeks[at(2026, 7, 13).date()].received == 1 and weeks[at(2026, 7, 13).date()].closed == 1
    # Everything but the cases of 12 July and 1 July.
    assert sum(r.received for r in rows) == len(history.cases) - 2


def test_it_rates_townships_on_time_over_the_period(people, history, county):
    rows = stats.on_time_by_township(people.supervisor, NOW)
    assert {r.code: (r.resolved, r.on_time) for r in rows} == expected_on_time(history.cases)
    by_code = {r.code: r for r in rows}
    # 葛城: one on time, one late (the reopened case in 复兴 does not count, the earlier one is too old).
    assert (by_code[county.gecheng.code].resolved, by_code[county.gecheng.code].on_time) == (2, 1)
    assert by_code[county.gecheng.code].rate == 50.0
    assert by_code[county.fuxing.code].rate == 100.0
    assert [r.code for r in rows] == [county.fuxing.code, county.gecheng.code]  # best first


def test_it_widens_the_on_time_period_on_request(people, history, county):
    rows = stats.on_time_by_township(people.supervisor, NOW, days=90)
    assert {r.code: (r.resolved, r.on_time) for r in rows} == expected_on_time(history.cases, days=90)
    assert {r.code: r.resolved for r in rows}[county.gecheng.code] == 3


def test_it_ranks_this_months_categories_in_shanghai_time(people, history):
    rows = stats.top_categories(people.supervisor, NOW)
    assert {r.name: r.count for r in rows} == expected_categories(history.cases)
    assert [r.count for r in rows] == sorted((r.count for r in rows), reverse=True)
    # 1 September 00:30 counts; 31 August 23:30 does not.
    assert {r.name: r.count for r in rows}["噪声扰民"] == 1


def test_it_keeps_the_ten_biggest_categories(people, history):
    assert len(stats.top_categories(people.supervisor, NOW, limit=1)) == 1


def test_it_counts_overdue_open_cases_per_office(people, history, county):
    rows = stats.overdue_by_office(people.supervisor, NOW)
    assert {r.name: r.count for r in rows} == expected_overdue(history.cases)
    assert {r.code for r in rows} == {county.centre.code, county.gecheng_office.code, county.transport.code}


def test_it_lists_reopened_cases_latest_first(people, history, new_case):
    later = s.resolve_case(people.handler, s.start_case(people.handler, s.dispatch_case(
        people.dispatcher, s.accept_case(people.dispatcher, new_case(now=at(2026, 9, 22, 9)), now=at(2026, 9, 22, 9)),
        now=at(2026, 9, 22, 9)), now=at(2026, 9, 22, 9)), reply="已处理", now=at(2026, 9, 23, 9))
    later = s.reopen_case(people.supervisor, later, reason="没有修好", now=at(2026, 9, 24, 9))
    rows = list(stats.recently_reopened(people.supervisor, NOW))
    assert [c.pk for c in rows] == [later.pk, history.reopened.pk]
    assert rows[1].reopened_at == at(2026, 9, 21, 9)


def test_it_counts_only_the_users_township_for_a_township_supervisor(fuxing_supervisor, history, county):
    fuxing = [c for c in history.cases if township_of(c) == county.fuxing.code]
    user = fuxing_supervisor
    assert [(r.week, r.received, r.closed) for r in stats.weekly_flow(user, NOW)] == expected_weekly(fuxing)
    assert {r.code: (r.resolved, r.on_time) for r in stats.on_time_by_township(user, NOW)} == expected_on_time(fuxing)
    assert {r.code for r in stats.on_time_by_township(user, NOW)} == {county.fuxing.code}
    assert {r.name: r.count for r in stats.top_categories(user, NOW)} == expected_categories(fuxing)
    assert {r.name: r.count for r in stats.overdue_by_office(user, NOW)} == expected_overdue(fuxing)
    assert [c.pk for c in stats.recently_reopened(user, NOW)] == [history.reopened.pk]


def test_it_narrows_every_number_to_the_chosen_township(people, history, county):
    gecheng = [c for c in history.cases if township_of(c) == county.gecheng.code]
    user, place = people.supervisor, county.gecheng
    assert [(r.week, r.received, r.closed) for r in stats.weekly_flow(user, NOW, township=place)] == \
        expected_weekly(gecheng)
    assert {r.code: (r.resolved, r.on_time) for r in stats.on_time_by_township(user, NOW, township=place)} == \
        expected_on_time(gecheng)
    assert {r.name: r.count for r in stats.top_categories(user, NOW, township=place)} == expected_categories(gecheng)
    assert {r.name: r.count for r in stats.overdue_by_office(user, NOW, township=place)} == expected_overdue(gecheng)
    assert list(stats.recently_reopened(user, NOW, township=place)) == []


# ---------------------------------------------------------------------------- the page


class Tables(HTMLParser):
    """The body rows of each chart's table (``data-table-for``) and the reopened list, as cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell, self.in_body = {}, None, None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details" and "data-table-for" in attrs:
            self.current = attrs["data-table-for"]
            self.tables[self.current] = []
        elif tag == "section" and attrs.get("id") == "reopened":
            self.current = "reopened"
            self.tables[self.current] = []
        elif tag == "tbody" and self.current:
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.current].append(self.row)
            self.row = None
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("details", "section"):
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def page_of(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    data = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)[1])
    parser = Tables()
    parser.feed(html)
    return html, data, parser.tables


@pytest.fixture
def recent(people, new_case, county):
    """Cases at today's real times (the page counts up to now): received, resolved, overdue, reopened."""
    d, h = people.dispatcher, people.handler
    new_case(category_code="env.noise")
    new_case(**FUXING_POINT)
    new_case(now=timezone.now() - timedelta(days=60))  # overdue at the centre
    case = s.start_case(h, s.dispatch_case(d, s.accept_case(d, new_case())))
    case = s.resolve_case(h, case, reply="已修复")
    case = s.follow_up_case(d, case, satisfaction=2)
    return s.reopen_case(people.supervisor, case, reason="又坏了")


def test_it_shows_each_charts_numbers_as_a_table(client, people, recent):
    html, data, tables = page_of(client, people.supervisor)
    assert [[w, str(r), str(c)] for w, r, c in zip(*data["weekly"].values(), strict=True)] == tables["weekly"]
    assert sum(data["weekly"]["received"]) == 4
    assert [[t, str(r), str(o), f"{rate:.1f}"] for t, rate, r, o in zip(*data["onTime"].values(), strict=True)] == \
        tables.get("onTime", [])
    assert [[n, str(c)] for n, c in zip(*data["categories"].values(), strict=True)] == tables["categories"]
    assert [[n, str(c)] for n, c in zip(*data["offices"].values(), strict=True)] == tables["offices"]
    assert data["offices"]["names"] == ["县综治中心"]
    # The tables are open until the script has drawn the charts; the charts wait hidden.
    assert html.count("<details open") == 3
    assert html.count('data-chart="') == html.count("data-table-for=") == 3
    assert "vendor/echarts/echarts.min.js" in html and "web/dashboard.js" in html


def test_it_lists_recently_reopened_cases_with_a_link(client, people, recent):
    html, _data, tables = page_of(client, people.supervisor)
    code = f"{recent.tracking_code[:4]}-{recent.tracking_code[4:]}"
    assert f'<a href="{reverse("web:case_detail", args=[recent.pk])}">{code}</a>' in html
    assert tables["reopened"][0][:5] == [code, "路灯故障", "In progress (办理中)", "葛城街道办事处", "1"]


def test_it_leaves_other_townships_out_of_a_township_supervisors_page(client, fuxing_supervisor, recent):
    _html, data, tables = page_of(client, fuxing_supervisor)
    assert sum(data["weekly"]["received"]) == 1
    assert data["offices"]["names"] == []
    assert tables["reopened"] == []


def test_it_filters_the_page_by_township(client, people, recent, county):
    html, data, _tables = page_of(client, people.supervisor, township=county.fuxing.code, period="90")
    assert sum(data["weekly"]["received"]) == 1
    assert "复兴街道" in html


def test_it_draws_charts_in_the_same_chinese_fonts_as_the_stylesheet():
    static = Path(__file__).resolve().parent.parent / "static" / "web"
    css_stack = re.search(r"--font:\s*(.*?);", (static / "anju.css").read_text(), re.S)[1]
    script = (static / "dashboard.js").read_text()
    js_stack = "".join(re.findall(r"'(.*?)'", re.search(r"var FONT = (.*?);\n", script, re.S)[1]))
    assert " ".join(js_stack.split()) == " ".join(css_stack.split())
    assert "textStyle: { fontFamily: font" in script
