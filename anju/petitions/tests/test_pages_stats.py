"""The petition statistics page and its Excel export: who may open it, the figures it shows for
the petitions played in test_stats.py (compared with the figures expected from the test's own
record), the default period, the filters and bad input."""

import re
from datetime import date
from io import BytesIO

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook

from anju.cases.models import PersonalDataAccess
from anju.conftest import at
from anju.petitions import stats
from anju.petitions.stats import FIGURE_KEYS
from anju.petitions.tests import test_stats
from anju.petitions.tests.test_stats import (
    END,
    FUXING,
    START,
    expected_by,
    expected_months,
    expected_row,
    in_scope,
)
from anju.petitions.views import stats as stats_view

URL = "/work/petitions/stats/"
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}
# The page is read at this moment: the last 12 months are then 1 July 2025 to 30 June 2026.
PAGE_NOW = at(2026, 6, 30, 18)


# The county and the petitions of test_stats.py, played once for this module too (its fixtures).
shared, county, people, petitions, played = (test_stats.shared, test_stats.county, test_stats.people,
                                             test_stats.petitions, test_stats.played)


@pytest.fixture
def frozen_page(monkeypatch):
    monkeypatch.setattr(stats_view, "current_time", lambda: PAGE_NOW)


def _cells(html: str, row: str) -> dict:
    """The figures of one table row (``data-row``) as shown: key → text."""
    found = re.search(rf'<tr data-row="{re.escape(row)}">(.*?)</tr>', html, re.S)
    assert found, row
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', found.group(1)))


def _headline(html: str) -> dict:
    return dict(re.findall(r'<dd class="figure" data-figure="(\w+)">([^<]*)<', html))


def _shown(value) -> str:
    return "—" if value is None else str(value)


def _as_shown(row: dict) -> dict:
    return {key: _shown(row[key]) for key in FIGURE_KEYS}


# ---------------------------------------------------------------------------- who may open it


def test_it_sends_anonymous_visitors_to_sign_in(client, petitions):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["handler", "dispatcher", "gridworker", "nobody", "clerk"])
def test_it_is_not_found_for_those_without_a_supervisor_or_leader_role(signed_in, who):
    assert signed_in(who).get(URL).status_code == 404
    assert signed_in(who).get(URL, {"export": "xlsx"}).status_code == 404


@pytest.mark.parametrize("who", ["supervisor", "leader", "admin", "township_supervisor", "township_leader"])
def test_it_opens_for_supervisors_leaders_and_administrators(signed_in, who, frozen_page):
    response = signed_in(who).get(URL)
    assert response.status_code == 200
    assert "Petition statistics" in response.content.decode()


# ---------------------------------------------------------------------------- the figures


def test_it_shows_the_figures_of_the_period_asked_for(played, signed_in):
    response = signed_in("supervisor").get(URL, PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    record = in_scope(played.record)
    expected = expected_row(record, START, END)
    assert _headline(html) == _as_shown(expected)
    assert _cells(html, "total") == _as_shown(expected)
    for code, row in expected_months(record).items():
        assert _cells(html, code) == _as_shown(row), code
    for code, row in expected_by(record, "township").items():
        assert _cells(html, code) == _as_shown(row), code
    for code, row in expected_by(record, "body").items():
        assert _cells(html, code) == _as_shown(row), code
    assert "From 2026-01-01 to 2026-06-30" in html


def test_it_shows_each_definition_beside_its_figure(played, signed_in):
    html = signed_in("supervisor").get(URL, PERIOD).content.decode()
    for key, label, definition in stats.FIGURES:
        found = re.search(rf'<dt>([^<]*)</dt><dd class="figure" data-figure="{key}">[^<]*</dd><dd class="help">'
                          rf'([^<]*)</dd>', html)
        assert found, key
        assert (found.group(1), found.group(2)) == (str(label), str(definition))
    assert 'id="definitions"' in html and "Matters, not persons" in html


def test_it_names_no_petitioner(played, signed_in):
    html = signed_in("admin").get(URL, PERIOD).content.decode()
    assert "王秀英" not in html and "赵德明" not in html and "13800005678" not in html
    assert not PersonalDataAccess.objects.exists()


def test_by_default_it_shows_the_last_twelve_months(played, signed_in, frozen_page):
    html = signed_in("supervisor").get(URL).content.decode()
    start = date(2025, 7, 1)
    record = in_scope(played.record)
    assert _headline(html) == _as_shown(expected_row(record, start, END))
    assert "From 2025-07-01 to 2026-06-30" in html
    assert [code for code in re.findall(r'<tr data-row="(\d{4}-\d\d)">', html)] == list(
        expected_months(record, start, END))


def test_it_keeps_to_a_township_and_a_body(played, signed_in):
    client = signed_in("supervisor")
    html = client.get(URL, {**PERIOD, "township": FUXING}).content.decode()
    record = [p for p in in_scope(played.record) if p.township == FUXING]
    assert _headline(html) == _as_shown(expected_row(record, START, END))
    assert "复兴街道" in html.split("</h1>")[0]
    html = client.get(URL, {**PERIOD, "office": "gc"}).content.decode()
    record = [p for p in in_scope(played.record) if p.body == "gc"]
    assert _headline(html) == _as_shown(expected_row(record, START, END))


def test_it_counts_only_what_the_user_may_see(played, signed_in):
    html = signed_in("township_supervisor").get(URL, PERIOD).content.decode()
    assert _headline(html) == _as_shown(expected_row(in_scope(played.record, township_staff=True), START, END))


@pytest.mark.parametrize("query, field", [
    ({"start": "2026-06-30", "end": "2026-01-01"}, "end"),
    ({"start": "2026-13-01", "end": "2026-06-30"}, "start"),
    ({"start": "2020-01-01", "end": "2026-06-30"}, "end"),
    ({"township": "999999999"}, "township"),
    ({"office": "nope"}, "office"),
])
def test_it_refuses_bad_input_naming_the_field(petitions, signed_in, frozen_page, query, field):
    response = signed_in("supervisor").get(URL, query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert 'data-figure="received"' not in html
    assert signed_in("supervisor").get(URL, {**query, "export": "xlsx"}).status_code == 400


def test_without_javascript_the_tables_are_open(played, signed_in):
    html = signed_in("supervisor").get(URL, PERIOD).content.decode()
    assert html.count("<details open data-table-for=") == 3
    assert 'data-chart="months" hidden' in html and "petitions/stats.js" in html


# ---------------------------------------------------------------------------- Excel


def _sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_holds_the_same_figures_with_chinese_headers(played, signed_in):
    response = signed_in("supervisor").get(URL, {**PERIOD, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == stats_view.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="anju-petitions-20260101-20260630.xlsx"'
    book = load_workbook(BytesIO(response.content))
    with translation.override(settings.LANGUAGE_CODE):
        titles = [str(translation.gettext(t)) for t in ("Per month", "Per township / street", "Per body",
                                                         "Definitions")]
        labels = [str(label) for _key, label, _definition in stats.FIGURES]
        total = translation.gettext("Total")
    assert book.sheetnames == titles
    record = in_scope(played.record)

    def values(row: dict) -> list:
        return [row[key] for key in FIGURE_KEYS]

    months = _sheet_rows(book[titles[0]])
    assert months[0][1:] == labels
    assert {r[0]: r[1:] for r in months[1:]} == {
        **{code: values(row) for code, row in expected_months(record).items()},
        total: values(expected_row(record, START, END))}
    townships = _sheet_rows(book[titles[1]])
    assert {r[0]: r[1:] for r in townships[1:]} == {
        {"500229001": "葛城街道", "500229002": "复兴街道"}[code]: values(row)
        for code, row in expected_by(record, "township").items()}
    bodies = _sheet_rows(book[titles[2]])
    names = {"gc": "葛城街道办事处", "fx": "复兴街道办事处", "xzf": "县人民政府"}
    assert {r[0]: r[1:] for r in bodies[1:]} == {names[code]: values(row)
                                                 for code, row in expected_by(record, "body").items()}
    about = _sheet_rows(book[titles[3]])[1:]
    assert about[0][1] == "2026-01-01 – 2026-06-30 (Asia/Shanghai)"
    with translation.override(settings.LANGUAGE_CODE):
        definitions = [[str(label), str(definition)] for _key, label, definition in stats.FIGURES]
    assert all(definition in about for definition in definitions)
