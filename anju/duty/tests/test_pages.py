"""The duty pages: the board of who is on duty now, the month roster with its holiday marks and
gaps, planning a shift, a shift's page with its log, a swap asked for and decided, and who may
open what (a signed-in user without a role sees nothing)."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from anju.conftest import at
from anju.duty import services
from anju.duty.choices import ShiftKind, SwapStatus
from anju.duty.models import HandoverEntry, Shift, Swap

NOW = at(2026, 9, 30, 10)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def signed_in(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


@pytest.fixture
def planned(duty, people):
    d = duty
    d.today = services.plan_shift(people.supervisor, services.NewShift("gc", date(2026, 9, 30), ShiftKind.DAY,
                                                                       "gc_officer", "gc_leader"), now=at(2026, 9, 1))
    d.holiday = services.plan_shift(people.supervisor, services.NewShift("gc", date(2026, 10, 1), ShiftKind.DAY,
                                                                         "gc_officer2"), now=at(2026, 9, 1))
    return d


def test_the_board_shows_who_is_on_duty_and_whom_to_reach_otherwise(planned, people):
    page = signed_in(people.gridworker).get("/work/duty/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "陈干事" in body and "刘镇长" in body and "No shift covers now" in body
    assert signed_in(people.nobody).get("/work/duty/").status_code == 404
    assert Client().get("/work/duty/").status_code == 302


def test_the_month_roster_marks_holidays_make_up_days_and_gaps(planned, people):
    page = signed_in(people.gridworker).get("/work/duty/gc/2026/10/")
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("duty-day duty-day-holiday") == 7 and body.count("duty-day duty-day-makeup") == 1
    assert "National Day" in body and "No leader on duty" in body and "周干事" in body
    assert "Plan a shift" not in body
    assert signed_in(people.gridworker).get("/work/duty/nowhere/2026/10/").status_code == 404
    assert signed_in(people.gridworker).get("/work/duty/gc/2026/13/").status_code == 404


def test_a_keeper_plans_a_shift_from_the_roster_page(planned, people):
    c = signed_in(people.supervisor)
    assert "Plan a shift" in c.get("/work/duty/gc/2026/10/").content.decode()
    bad = c.post("/work/duty/gc/plan/", {"day": "2026-09-01", "kind": "day", "officer": "gc_officer",
                                         "leader": "gc_leader"})
    assert bad.status_code == 400 and "This shift is over" in bad.content.decode()
    done = c.post("/work/duty/gc/plan/", {"day": "2026-10-02", "kind": "night", "officer": "gc_officer",
                                          "leader": "gc_leader2"})
    assert done.status_code == 302 and done["Location"] == "/work/duty/gc/2026/10/"
    assert Shift.objects.filter(day=date(2026, 10, 2), kind="night").exists()
    assert signed_in(people.handler).post("/work/duty/gc/plan/", {}).status_code == 404


def test_the_shift_page_keeps_the_log_and_a_swap_is_asked_for_and_decided(planned, people):
    officer = signed_in(planned.gc_officer)
    url = f"/work/duty/shifts/{planned.today.pk}/"
    page = officer.get(url).content.decode()
    assert "Write in the log" in page and "Ask for a swap" in page
    assert officer.post(f"{url}log/", {"kind": "matter", "text": ""}).status_code == 400
    assert officer.post(f"{url}log/", {"kind": "matter", "text": "太和路井盖缺失，已报城管"}).status_code == 302
    entry = HandoverEntry.objects.get()
    later = signed_in(people.gridworker).get(f"/work/duty/shifts/{planned.holiday.pk}/")
    # Shown as the redactor shows every free text (its name net takes "井盖" for a name: a false positive).
    assert "缺失，已报城管" in later.content.decode()
    assert signed_in(people.gridworker).post(f"/work/duty/shifts/{planned.today.pk}/log/",
                                             {"kind": "call", "text": "x"}).status_code == 404
    assert officer.get(f"/work/duty/shifts/{planned.holiday.pk}/swap/").status_code == 404
    asked = officer.post(f"{url}swap/", {"post": "officer", "to_user": "gc_officer2", "reason": "去医院"})
    assert asked.status_code == 302
    swap = Swap.objects.get()
    decided = signed_in(people.leader).post(f"/work/duty/swaps/{swap.pk}/decide/", {"decision": "approve"})
    assert decided.status_code == 302
    assert Swap.objects.get().status == SwapStatus.APPROVED and Shift.objects.get(pk=planned.today.pk).officer == \
        planned.gc_officer2
    # The swap took 陈干事 off the shift: whoever is on duty now closes the matter.
    assert officer.post(f"/work/duty/entries/{entry.pk}/close/", {"shift": planned.today.pk}).status_code == 404
    assert signed_in(planned.gc_officer2).post(f"/work/duty/entries/{entry.pk}/close/",
                                               {"shift": planned.today.pk}).status_code == 302
    assert HandoverEntry.objects.get().closed_at is not None
