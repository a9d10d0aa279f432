"""The screening API (/api/v1/screening-rounds): opening and closing rounds, coverage per
township and the grids still owing, a grid worker's owed reports, and submitting a report
(nothing found, or disputes found, all or nothing), with each endpoint's permission and
bad input."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from anju.cases.models import Case
from anju.conftest import openapi_schema
from anju.disputes import services
from anju.disputes.models import Dispute, ScreeningReport, ScreeningRound
from anju.disputes.tests.conftest import post
from anju.disputes.tests.flow import today
from anju.geo.models import Region

URL = "/api/v1/screening-rounds"


def screening_operations():
    for path, methods in openapi_schema()["paths"].items():
        if path.startswith(URL):
            for method in methods:
                yield method.upper(), path


def errors(response):
    return [e["field"] for e in response.json()["errors"]]


def new_round(days=7, **changes):
    return {"title": "春节前矛盾纠纷集中排查", "region": "500229", "starts_on": today().isoformat(),
            "ends_on": (today() + timedelta(days=days)).isoformat(), **changes}


@pytest.fixture
def opened(people, county):
    """opened(region) → a round opened by the supervisor today for a week, through the service."""

    def make(region=None, *, now=None, days=7):
        now = now or timezone.now()
        start = timezone.localtime(now).date()
        return services.open_round(people.supervisor, title="集中排查", region_code=(region or county.county).code,
                                   starts_on=start, ends_on=start + timedelta(days=days), now=now)

    return make


def grids_under(region):
    return list(Region.objects.filter(level="grid", path__startswith=region.path).order_by("path"))


def report_of(screening, grid):
    return ScreeningReport.objects.get(round=screening, grid=grid)


FOUND = {"category": "dispute.wages", "text": "某工地拖欠农民工工资约二十万元", "scale": 12, "risk_level": "high",
         "risk_reason": "工人扬言聚集讨薪"}


# ---------------------------------------------------------------------------- authentication


@pytest.mark.parametrize("method,path", list(screening_operations()))
def test_it_requires_a_token_on_every_screening_endpoint(method, path, opened):
    screening = opened()
    report = screening.reports.first()
    url = path.replace("{round_id}", str(screening.pk)).replace("{report_id}", str(report.pk))
    assert not re.search(r"\{", url)
    response = Client().generic(method, url, "{}", content_type="application/json")
    assert response.status_code == 401 and response.json()["detail"]


# ---------------------------------------------------------------------------- opening and reading rounds


def test_a_supervisor_opens_a_round_and_every_grid_owes_a_report(api, county):
    response = post(api("supervisor"), URL, new_round(theme="欠薪", theme_category="dispute"))
    # The theme category must be a dispute type: without the mediation fixture there is none.
    assert response.status_code == 422 and errors(response) == ["theme_category"]
    response = post(api("supervisor"), URL, new_round())
    assert response.status_code == 201, response.content
    body = response.json()
    grids = grids_under(county.county)
    assert (body["grids"], body["submitted"], body["owed"]) == (len(grids), 0, len(grids))
    assert [(t["code"], t["grids"], t["owed"]) for t in body["coverage"]] == [
        (t.code, len(grids_under(t)), len(grids_under(t))) for t in (county.gecheng, county.fuxing)]
    assert [g["grid_code"] for g in body["owing"]] == [g.code for g in grids]
    assert body["due_at"].startswith((today() + timedelta(days=7)).isoformat() + "T23:59:59")
    assert body["can_close"] is True and ScreeningReport.objects.count() == len(grids)


def test_a_round_can_focus_on_a_dispute_type(api, mediation):
    response = post(api("supervisor"), URL, new_round(theme="欠薪", theme_category="dispute.wages"))
    assert response.status_code == 201 and response.json()["theme_category"] == "dispute.wages"


@pytest.mark.parametrize("persona", ["handler", "gridworker", "dispatcher", "leader", "nobody"])
def test_only_supervisors_open_rounds(api, county, persona):
    response = post(api(persona), URL, new_round())
    assert response.status_code == 403 and response.json()["detail"]
    assert not ScreeningRound.objects.exists() and not ScreeningReport.objects.exists()


@pytest.mark.parametrize("change,field", [
    ({"title": ""}, "title"),
    ({"title": "x" * 101}, "title"),
    ({"region": "999"}, "region"),
    ({"region": ""}, "region"),
    ({"starts_on": "tomorrow"}, "starts_on"),
    ({"ends_on": "1999-12-31"}, "ends_on"),
    ({"starts_on": "2001-01-01", "ends_on": "2001-01-02"}, "ends_on"),
    ({"ends_on": "STARTS_BEFORE"}, "ends_on"),
    ({"ends_on": "IN_TWO_YEARS"}, "ends_on"),
    ({"theme": "x" * 201}, "theme"),
    ({"theme_category": "nope"}, "theme_category"),
    ({"region": "500229001001001", "title": "bad\x00byte"}, "title"),
])
def test_bad_input_on_open_names_the_field_and_writes_nothing(api, county, change, field):
    values = {"STARTS_BEFORE": (today() - timedelta(days=1)).isoformat(),
              "IN_TWO_YEARS": (today() + timedelta(days=800)).isoformat()}
    body = {k: values.get(v, v) for k, v in new_round(**change).items()}
    response = post(api("supervisor"), URL, body)
    assert response.status_code == 422, response.content
    assert field in errors(response)
    assert not ScreeningRound.objects.exists() and not ScreeningReport.objects.exists()


def test_it_answers_in_chinese_by_default_and_in_english_on_request(api, county, people):
    assert post(api("supervisor"), URL, new_round(region="999")).json()["errors"] == [
        {"field": "region", "message": "区域编码不存在。"}]
    english = Client(HTTP_AUTHORIZATION=api("supervisor").defaults["HTTP_AUTHORIZATION"], HTTP_ACCEPT_LANGUAGE="en")
    assert post(english, URL, new_round(region="999")).json()["errors"] == [
        {"field": "region", "message": "Unknown region code."}]


def test_the_list_shows_rounds_reaching_into_the_users_regions_with_coverage(api, county, opened, people):
    whole = opened()
    fuxing = opened(county.fuxing)
    tucheng = opened(county.tucheng)
    services.submit_report(people.gridworker, report_of(whole, county.grid1), nothing_found=True)

    def listed(persona, query=""):
        response = api(persona).get(f"{URL}{query}")
        assert response.status_code == 200, response.content
        return {r["id"]: (r["grids"], r["submitted"], r["owed"]) for r in response.json()}

    everything = listed("supervisor")
    assert everything == {whole.pk: (len(grids_under(county.county)), 1, len(grids_under(county.county)) - 1),
                          fuxing.pk: (len(grids_under(county.fuxing)), 0, len(grids_under(county.fuxing))),
                          tucheng.pk: (len(grids_under(county.tucheng)), 0, len(grids_under(county.tucheng)))}
    # The 土城 grid worker sees the county's round (it covers 土城) and 土城's, not 复兴's.
    assert set(listed("gridworker")) == {whole.pk, tucheng.pk}
    assert listed("other_handler") == {} and listed("nobody") == {}
    services.close_round(people.supervisor, fuxing)
    assert set(listed("supervisor", "?status=closed")) == {fuxing.pk}
    assert set(listed("supervisor", "?status=open")) == {whole.pk, tucheng.pk}
    assert len(listed("supervisor", "?limit=1")) == 1
    assert len(listed("supervisor", "?limit=2&offset=2")) == 1


@pytest.mark.parametrize("query,field", [("limit=0", "limit"), ("limit=201", "limit"), ("offset=-1", "offset"),
                                         ("status=lost", "status")])
def test_bad_list_parameters_name_the_field(api, county, query, field):
    response = api("supervisor").get(f"{URL}?{query}")
    assert response.status_code == 422 and field in errors(response)


def test_the_round_shows_coverage_per_township_and_the_grids_owing(api, county, opened, people):
    screening = opened()
    services.submit_report(people.gridworker, report_of(screening, county.grid1), nothing_found=True)
    response = api("gridworker").get(f"{URL}/{screening.pk}")
    assert response.status_code == 200
    body = response.json()
    coverage = {t["code"]: t for t in body["coverage"]}
    gecheng = len(grids_under(county.gecheng))
    assert (coverage["500229001"]["submitted"], coverage["500229001"]["owed"]) == (1, gecheng - 1)
    assert coverage["500229001"]["nothing_found"] == 1 and coverage["500229001"]["late"] == 0
    assert coverage["500229002"]["submitted"] == 0
    assert [g["grid_code"] for g in body["owing"]] == [g.code for g in grids_under(county.county)
                                                       if g != county.grid1]
    assert body["can_close"] is False  # a grid worker does not close rounds


def test_late_reports_are_counted_late(api, county, opened, people):
    # A round whose period ended yesterday, still open: every grid is late.
    screening = opened(now=timezone.now() - timedelta(days=3), days=2)
    response = post(api("gridworker"), f"{URL}/reports/{report_of(screening, county.grid1).pk}",
                    {"nothing_found": True})
    assert response.status_code == 200 and response.json()["missed_deadline"] is True
    body = api("supervisor").get(f"{URL}/{screening.pk}").json()
    assert {t["code"]: t["late"] for t in body["coverage"]} == {
        t.code: len(grids_under(t)) for t in (county.gecheng, county.fuxing)}
    assert all(g["overdue"] for g in body["owing"])


def test_a_round_out_of_reach_is_404_and_so_is_a_missing_one(api, county, opened):
    fuxing = opened(county.fuxing)
    assert api("gridworker").get(f"{URL}/{fuxing.pk}").status_code == 404
    assert api("other_handler").get(f"{URL}/{fuxing.pk}").status_code == 404
    assert api("supervisor").get(f"{URL}/999999").status_code == 404
    assert api("supervisor").get(f"{URL}/99999999999999999999").status_code == 404
    assert api("supervisor").get(f"{URL}/{fuxing.pk}").status_code == 200


# ---------------------------------------------------------------------------- closing


def test_closing_a_round_keeps_the_grids_that_never_reported(api, county, opened, people):
    screening = opened()
    services.submit_report(people.gridworker, report_of(screening, county.grid1), nothing_found=True)
    assert post(api("gridworker"), f"{URL}/{screening.pk}/close").status_code == 403
    assert post(api("other_handler"), f"{URL}/{screening.pk}/close").status_code == 404
    assert ScreeningRound.objects.get().status == "open"
    response = post(api("supervisor"), f"{URL}/{screening.pk}/close")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "closed" and body["closed_at"] and body["can_close"] is False
    assert body["owed"] == len(grids_under(county.county)) - 1 and len(body["owing"]) == body["owed"]
    assert not ScreeningReport.objects.filter(sweep_at__isnull=False).exists()
    again = post(api("supervisor"), f"{URL}/{screening.pk}/close")
    assert again.status_code == 409 and again.json()["detail"]
    assert post(api("supervisor"), f"{URL}/999999/close").status_code == 404


# ---------------------------------------------------------------------------- reports


def test_a_grid_worker_lists_the_reports_they_owe(api, county, opened, people):
    first = opened()
    second = opened(county.tucheng)
    opened(county.fuxing)
    mine = api("gridworker").get(f"{URL}/reports/mine").json()
    assert sorted((r["round"], r["grid_code"]) for r in mine) == sorted(
        (s.pk, g.code) for s in (first, second) for g in grids_under(county.tucheng))
    assert all(r["can_submit"] and r["status"] == "owed" for r in mine)
    services.submit_report(people.gridworker, report_of(first, county.grid1), nothing_found=True)
    services.close_round(people.supervisor, second)
    assert [(r["round"], r["grid_code"]) for r in api("gridworker").get(f"{URL}/reports/mine").json()] == [
        (first.pk, county.grid2.code)]
    # Only grid workers (and administrators) report.
    assert api("supervisor").get(f"{URL}/reports/mine").json() == []
    assert api("nobody").get(f"{URL}/reports/mine").json() == []
    owed_in_open_rounds = ScreeningReport.objects.filter(status="owed", round__status="open")
    assert {r["id"] for r in api("admin").get(f"{URL}/reports/mine").json()} == {r.pk for r in owed_in_open_rounds}
    assert api("gridworker").get(f"{URL}/reports/mine?limit=0").status_code == 422
    assert len(api("admin").get(f"{URL}/reports/mine?limit=1").json()) == 1


def test_a_report_is_seen_within_its_grids_regions_only(api, county, opened):
    screening = opened()
    grid1, grid3 = report_of(screening, county.grid1), report_of(screening, county.grid3)
    response = api("gridworker").get(f"{URL}/reports/{grid1.pk}")
    assert response.status_code == 200
    assert (response.json()["grid_code"], response.json()["status"], response.json()["can_submit"]) == (
        county.grid1.code, "owed", True)
    assert api("gridworker").get(f"{URL}/reports/{grid3.pk}").status_code == 404
    assert api("other_handler").get(f"{URL}/reports/{grid1.pk}").status_code == 404
    assert api("gridworker").get(f"{URL}/reports/999999").status_code == 404
    assert api("supervisor").get(f"{URL}/reports/{grid3.pk}").json()["can_submit"] is False


def test_a_grid_worker_reports_that_nothing_was_found(api, county, opened):
    report = report_of(opened(), county.grid1)
    response = post(api("gridworker"), f"{URL}/reports/{report.pk}", {"nothing_found": True, "note": "走访12户"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["nothing_found"], body["note"], body["submitted_by"]) == (
        "submitted", True, "走访12户", "gridworker")
    assert body["disputes"] == [] and body["can_submit"] is False and body["missed_deadline"] is False
    again = post(api("gridworker"), f"{URL}/reports/{report.pk}", {"nothing_found": True})
    assert again.status_code == 409


def test_a_grid_worker_reports_disputes_found_and_each_becomes_a_dispute_case(api, county, opened, mediation):
    report = report_of(opened(), county.grid1)
    found = [FOUND, {"category": "dispute.neighbour", "text": "邻居装修噪声纠纷"}]
    response = post(api("gridworker"), f"{URL}/reports/{report.pk}", {"disputes": found})
    assert response.status_code == 200, response.content
    cases = list(Case.objects.order_by("id"))
    assert [(c.kind, c.category.code, c.channel, c.region.code) for c in cases] == [
        ("dispute", d["category"], "grid_worker", county.grid1.code) for d in found]
    assert [d["id"] for d in response.json()["disputes"]] == [c.pk for c in cases]
    assert [(d.scale, d.risk_level, d.screening_report_id) for d in Dispute.objects.order_by("case_id")] == [
        (12, "high", report.pk), (2, "low", report.pk)]
    # The disputes are on the dispute list like any other.
    listed = api("dispatcher").get("/api/v1/disputes").json()["items"]
    assert sorted(c["id"] for c in listed) == [c.pk for c in cases]
    assert {c["dispute"]["screening_report"] for c in listed} == {report.pk}


@pytest.mark.parametrize("body,field", [
    ({}, "disputes"),
    ({"nothing_found": True, "disputes": [FOUND]}, "nothing_found"),
    ({"disputes": [FOUND, {**FOUND, "category": "urban.light"}]}, "disputes.1.category"),
    ({"disputes": [FOUND, {**FOUND, "risk_reason": ""}]}, "disputes.1.risk_reason"),
    ({"disputes": [{**FOUND, "lat": 31.955, "lng": 108.705}]}, "disputes.0.region_code"),
    ({"disputes": [{**FOUND, "text": ""}]}, "disputes.text"),
    ({"disputes": [{**FOUND, "scale": 0}]}, "disputes.scale"),
    ({"disputes": [{**FOUND, "risk_level": "extreme"}]}, "disputes.risk_level"),
    ({"disputes": [FOUND] * 51}, "disputes"),
    ({"nothing_found": "perhaps"}, "nothing_found"),
    ({"nothing_found": True, "note": "x" * 2001}, "note"),
])
def test_bad_input_on_submit_names_the_field_and_writes_nothing(api, county, opened, mediation, body, field):
    report = report_of(opened(), county.grid1)
    response = post(api("gridworker"), f"{URL}/reports/{report.pk}", body)
    assert response.status_code == 422, response.content
    assert field in errors(response)
    assert not Case.objects.exists() and not Dispute.objects.exists()
    assert ScreeningReport.objects.get(pk=report.pk).status == "owed"


def test_only_the_grids_grid_worker_submits(api, county, opened, people):
    screening = opened()
    report = report_of(screening, county.grid1)
    for persona in ("supervisor", "dispatcher", "leader"):
        response = post(api(persona), f"{URL}/reports/{report.pk}", {"nothing_found": True})
        assert response.status_code == 403 and response.json()["detail"]
    assert post(api("other_handler"), f"{URL}/reports/{report.pk}", {"nothing_found": True}).status_code == 404
    assert post(api("gridworker"), f"{URL}/reports/{report_of(screening, county.grid3).pk}",
                {"nothing_found": True}).status_code == 404
    assert ScreeningReport.objects.filter(status="submitted").count() == 0


def test_a_closed_round_takes_no_more_reports(api, county, opened, people):
    screening = opened()
    services.close_round(people.supervisor, screening)
    response = post(api("gridworker"), f"{URL}/reports/{report_of(screening, county.grid1).pk}",
                    {"nothing_found": True})
    assert response.status_code == 409
    assert ScreeningReport.objects.get(round=screening, grid=county.grid1).status == "owed"
