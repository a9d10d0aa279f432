"""Screening rounds (排查): every grid owes one report, nothing-found reports count, the sweep
marks due-soon and overdue reports, and a grid that never reports stays owing."""

from datetime import date, timedelta

import pytest

from anju.cases.choices import Channel, Status
from anju.cases.models import Case
from anju.cases.services import CaseError
from anju.conftest import at, user_with_roles
from anju.disputes import queries, services
from anju.disputes.choices import DISPUTE, ReportStatus, ReportSweep, RoundStatus
from anju.disputes.models import ScreeningReport

OPENED = at(2026, 11, 2, 9)


@pytest.fixture
def round_(people, mediation, county):
    return services.open_round(people.supervisor, title="冬季矛盾纠纷排查", region_code=county.county.code,
                               starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 13), theme="欠薪",
                               theme_category_code="dispute.wages", now=OPENED)


def report_for(round_, grid):
    return ScreeningReport.objects.get(round=round_, grid=grid)


def test_it_owes_one_report_for_every_grid_of_the_region(round_, county):
    grids = set(ScreeningReport.objects.filter(round=round_).values_list("grid__code", flat=True))
    assert grids == {county.grid1.code, county.grid2.code, county.grid3.code}
    assert set(ScreeningReport.objects.filter(round=round_).values_list("status", flat=True)) == {ReportStatus.OWED}
    assert round_.due_at == at(2026, 11, 13, 23, 59, 59)


def test_it_opens_a_round_for_a_township_with_only_its_grids(people, mediation, county):
    township = services.open_round(people.supervisor, title="复兴排查", region_code=county.fuxing.code,
                                   starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 6), now=OPENED)
    assert list(township.reports.values_list("grid__code", flat=True)) == [county.grid3.code]


def test_it_lets_only_supervisors_of_the_region_open_a_round(people, mediation, county):
    for user in (people.gridworker, people.handler, people.dispatcher, people.leader, mediation.mediator):
        with pytest.raises(CaseError) as refused:
            services.open_round(user, title="排查", region_code=county.county.code, starts_on=date(2026, 11, 2),
                                ends_on=date(2026, 11, 6), now=OPENED)
        assert refused.value.status == 403
    township_supervisor = user_with_roles("township_supervisor", None, supervisor=[(county.fuxing, None)])
    with pytest.raises(CaseError):
        services.open_round(township_supervisor, title="排查", region_code=county.gecheng.code,
                            starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 6), now=OPENED)
    assert services.open_round(township_supervisor, title="排查", region_code=county.fuxing.code,
                               starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 6), now=OPENED).pk


@pytest.mark.parametrize("changes, field", [
    ({"title": " "}, "title"),
    ({"region_code": "999"}, "region"),
    ({"ends_on": date(2026, 11, 1)}, "ends_on"),
    ({"starts_on": date(2026, 10, 1), "ends_on": date(2026, 11, 1)}, "ends_on"),
    ({"theme_category_code": "urban.road"}, "theme_category"),
    ({"region_code": "500229"}, None),
])
def test_it_refuses_a_bad_round_and_writes_nothing(people, mediation, county, changes, field):
    values = {"title": "排查", "region_code": county.gecheng.code, "starts_on": date(2026, 11, 2),
              "ends_on": date(2026, 11, 6)} | changes
    if field is None:
        # A region without grids has nothing to screen.
        county.grid3.delete()
        county.grid1.delete()
        county.grid2.delete()
        field = "region"
    with pytest.raises(CaseError) as refused:
        services.open_round(people.supervisor, now=OPENED, **values)
    assert refused.value.field == field and refused.value.status == 422
    assert not ScreeningReport.objects.exists()


def test_it_registers_each_dispute_found_as_a_dispute_case_of_the_grid(round_, people, county, mediation):
    report = report_for(round_, county.grid1)
    services.submit_report(people.gridworker, report, nothing_found=False, note="走访 36 户", found=[
        services.FoundDispute("dispute.wages", "某工地拖欠 8 名工人工资约 12 万元", scale=8, risk_level="high",
                              risk_reason="春节临近，拖欠金额大，工人与包工头已发生推搡"),
        services.FoundDispute("dispute.neighbour", "楼上漏水引发邻里争执"),
    ], now=at(2026, 11, 5, 15))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not report.nothing_found and not report.missed_deadline
    cases = Case.objects.filter(dispute__screening_report=report).order_by("id")
    assert [c.category.code for c in cases] == ["dispute.wages", "dispute.neighbour"]
    for case in cases:
        assert case.kind == DISPUTE and case.channel == Channel.GRID_WORKER
        assert case.region == county.grid1 and case.status == Status.SUBMITTED
        assert case.created_by == people.gridworker
    wages = cases[0].dispute
    assert (wages.scale, wages.risk_level) == (8, "high")


def test_it_counts_a_nothing_found_report_as_reported(round_, people, county):
    services.submit_report(people.gridworker, report_for(round_, county.grid2), nothing_found=True,
                           now=at(2026, 11, 6, 10))
    coverage = {row["code"]: row for row in queries.round_coverage(round_)}
    gecheng, fuxing = coverage[county.gecheng.code], coverage[county.fuxing.code]
    assert (gecheng["grids"], gecheng["submitted"], gecheng["owed"], gecheng["nothing_found"]) == (2, 1, 1, 1)
    assert (fuxing["grids"], fuxing["submitted"], fuxing["owed"]) == (1, 0, 1)
    assert not Case.objects.exists()


def test_it_refuses_a_report_that_says_neither_or_both(round_, people, county):
    report = report_for(round_, county.grid1)
    with pytest.raises(CaseError) as neither:
        services.submit_report(people.gridworker, report, nothing_found=False, found=[], now=OPENED)
    assert neither.value.field == "disputes"
    with pytest.raises(CaseError) as both:
        services.submit_report(people.gridworker, report, nothing_found=True,
                               found=[services.FoundDispute("dispute.land", "地界")], now=OPENED)
    assert both.value.field == "nothing_found"


def test_it_writes_nothing_when_one_dispute_of_a_report_is_bad(round_, people, county):
    report = report_for(round_, county.grid1)
    with pytest.raises(CaseError) as refused:
        services.submit_report(people.gridworker, report, nothing_found=False, found=[
            services.FoundDispute("dispute.land", "地界不清"),
            services.FoundDispute("dispute.land", "   "),
        ], now=OPENED)
    assert refused.value.field == "disputes.1.text"
    report.refresh_from_db()
    assert report.status == ReportStatus.OWED
    assert not Case.objects.exists()


def test_it_refuses_a_high_risk_without_a_reason(round_, people, county):
    with pytest.raises(CaseError) as refused:
        services.submit_report(people.gridworker, report_for(round_, county.grid1), nothing_found=False,
                               found=[services.FoundDispute("dispute.land", "地界", risk_level="high")], now=OPENED)
    assert refused.value.field == "disputes.0.risk_reason"


def test_it_takes_one_report_per_grid(round_, people, county):
    report = report_for(round_, county.grid1)
    services.submit_report(people.gridworker, report, nothing_found=True, now=OPENED)
    with pytest.raises(CaseError) as again:
        services.submit_report(people.gridworker, report, nothing_found=True, now=OPENED)
    assert again.value.status == 409


def test_it_lets_only_the_grid_workers_of_the_grid_report(round_, people, county, mediation):
    other_grid = report_for(round_, county.grid3)
    for user in (people.gridworker, people.handler, people.supervisor, mediation.mediator):
        with pytest.raises(CaseError) as refused:
            services.submit_report(user, other_grid, nothing_found=True, now=OPENED)
        assert refused.value.status == 403
    taihe_worker = user_with_roles("taihe_worker", None, grid_worker=[(county.taihe, None)])
    assert services.submit_report(taihe_worker, other_grid, nothing_found=True, now=OPENED).status == "submitted"


def test_it_warns_before_a_report_is_due_and_marks_it_overdue_after(round_, people, county, settings):
    report = report_for(round_, county.grid1)
    warn_at = round_.due_at - timedelta(hours=settings.ANJU_SCREENING_WARN_HOURS)
    assert report.sweep_at == warn_at
    assert services.sweep_screening_reports(now=at(2026, 11, 10, 9)) == 0
    assert services.sweep_screening_reports(now=at(2026, 11, 12, 9)) == 3
    report.refresh_from_db()
    assert report.sweep_stage == ReportSweep.DUE_SOON and report.sweep_at == round_.due_at
    services.submit_report(people.gridworker, report_for(round_, county.grid2), nothing_found=True,
                           now=at(2026, 11, 13, 9))
    # Only the two still owed are looked at once the round is due.
    assert services.sweep_screening_reports(now=at(2026, 11, 14, 0, 5)) == 2
    stages = dict(ScreeningReport.objects.values_list("grid__code", "sweep_stage"))
    assert stages[county.grid1.code] == ReportSweep.OVERDUE
    assert stages[county.grid3.code] == ReportSweep.OVERDUE
    assert stages[county.grid2.code] == ReportSweep.DUE_SOON
    assert services.sweep_screening_reports(now=at(2026, 11, 20)) == 0


def test_it_marks_a_late_report_as_missed_but_takes_it(round_, people, county):
    report = report_for(round_, county.grid1)
    services.sweep_screening_reports(now=at(2026, 11, 14, 1))
    services.submit_report(people.gridworker, report, nothing_found=True, now=at(2026, 11, 15, 9))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.missed_deadline


def test_it_runs_the_report_sweep_with_the_core_sweep_command(round_, county, capsys, monkeypatch):
    from django.core.management import call_command
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: at(2026, 11, 14, 1))
    call_command("sweep")
    assert "3 screening report(s)" in capsys.readouterr().out
    assert set(ScreeningReport.objects.values_list("sweep_stage", flat=True)) == {ReportSweep.OVERDUE}


def test_it_keeps_a_grid_that_never_reported_owing_after_the_round_closes(round_, people, county):
    services.submit_report(people.gridworker, report_for(round_, county.grid1), nothing_found=True, now=OPENED)
    services.submit_report(people.gridworker, report_for(round_, county.grid2), nothing_found=False,
                           found=[services.FoundDispute("dispute.land", "地界")], now=OPENED)
    services.close_round(people.supervisor, round_, now=at(2026, 11, 16, 9))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    owing = [r.grid.code for r in queries.owing_grids(round_)]
    assert owing == [county.grid3.code]
    assert ScreeningReport.objects.get(grid=county.grid3).sweep_at is None
    with pytest.raises(CaseError):
        services.submit_report(people.gridworker, report_for(round_, county.grid1), nothing_found=True, now=OPENED)
    with pytest.raises(CaseError):
        services.close_round(people.supervisor, round_, now=at(2026, 11, 16, 9))


def test_it_marks_the_grids_that_never_reported_when_a_round_closes_after_its_end(round_, people, county):
    services.submit_report(people.gridworker, report_for(round_, county.grid1), nothing_found=True, now=OPENED)
    # No sweep ran after the end of the period.
    services.close_round(people.supervisor, round_, now=at(2026, 11, 20, 9))
    missed = dict(ScreeningReport.objects.values_list("grid__code", "missed_deadline"))
    assert missed == {county.grid1.code: False, county.grid2.code: True, county.grid3.code: True}


def test_it_does_not_mark_grids_missed_when_a_round_closes_early(round_, people, county):
    services.close_round(people.supervisor, round_, now=at(2026, 11, 10, 9))
    assert not ScreeningReport.objects.filter(missed_deadline=True).exists()


def test_it_places_a_dispute_found_by_screening_in_its_grid(round_, people, county):
    services.submit_report(people.gridworker, report_for(round_, county.grid2), nothing_found=False,
                           found=[services.FoundDispute("dispute.land", "地界")], now=OPENED)
    case = Case.objects.get()
    assert case.grid == county.grid2 and case.region == county.grid2


def test_it_tells_the_grids_workers_when_a_report_is_due_soon_and_when_it_is_overdue(round_, people, county):
    from anju.notify.models import Notification

    people.gridworker.email = "gw@example.com"
    people.gridworker.save(update_fields=["email"])
    services.submit_report(people.gridworker, report_for(round_, county.grid2), nothing_found=True, now=OPENED)
    services.sweep_screening_reports(now=at(2026, 11, 12, 9))
    services.sweep_screening_reports(now=at(2026, 11, 12, 10))
    in_app = Notification.objects.filter(user=people.gridworker, channel="in_app").order_by("id")
    # One for grid 1 (owed); none for grid 2 (reported) nor for grid 3 (not this worker's).
    assert [(n.event, n.case_id) for n in in_app] == [("screening_due_soon", None)]
    report = report_for(round_, county.grid1)
    assert in_app[0].link == f"/work/screening/reports/{report.pk}/"
    assert county.grid1.name in in_app[0].body
    assert Notification.objects.filter(user=people.gridworker, channel="email").count() == 1
    services.sweep_screening_reports(now=at(2026, 11, 14, 1))
    events = list(Notification.objects.filter(user=people.gridworker, channel="in_app").values_list("event",
                                                                                                  flat=True))
    assert events == ["screening_due_soon", "screening_overdue"]
    assert not Notification.objects.filter(user=people.supervisor).exists()


def test_it_links_a_screening_notice_to_the_report_on_the_notifications_page(round_, people, county):
    from django.test import Client

    services.sweep_screening_reports(now=at(2026, 11, 12, 9))
    client = Client()
    client.force_login(people.gridworker)
    page = client.get("/work/notifications/").content.decode()
    assert f"/work/screening/reports/{report_for(round_, county.grid1).pk}/" in page
