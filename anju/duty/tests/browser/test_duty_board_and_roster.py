"""The duty board and the roster of October 2026 (the National Day holiday) in Chromium, with
screenshots for a person to look at: test-artifacts/screenshots/duty-board.png,
duty-roster-2026-10.png (24-hour shifts), duty-roster-2026-10-day-night.png and duty-shift.png."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from anju.conftest import at
from anju.duty import services
from anju.duty.choices import ShiftKind
from anju.web.tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def october(duty, people, monkeypatch):
    """October 2026 planned on 15 September: the county emergency office every day but the 20th
    (a gap) with the leaders taking turns, no leader on the 25th; 葛城's day and night shifts for
    the holiday week. The clock stands at 3 October, 10:00."""
    d = duty
    planned_at = at(2026, 9, 15, 10)
    day = date(2026, 10, 1)
    while day <= date(2026, 10, 31):
        if day.day != 20:
            odd = day.day % 2
            services.plan_shift(people.supervisor, services.NewShift(
                "yjb", day, ShiftKind.FULL_DAY, "yj_officer" if odd else "yj_officer2",
                "" if day.day == 25 else ("leader" if odd else "yj_leader2")), now=planned_at)
        if day.day <= 8:
            services.plan_shift(people.supervisor, services.NewShift("gc", day, ShiftKind.DAY, "gc_officer",
                                                                     "gc_leader"), now=planned_at)
            services.plan_shift(people.supervisor, services.NewShift("gc", day, ShiftKind.NIGHT, "gc_officer2",
                                                                     "gc_leader2"), now=planned_at)
        day += timedelta(days=1)
    now = at(2026, 10, 3, 10)
    monkeypatch.setattr(timezone, "now", lambda: now)
    shift = services.on_duty(d.emergency.jurisdiction, now).shift
    services.write_entry(shift.officer, shift, kind="matter", now=at(2026, 10, 3, 9),
                         text="复兴街道太和社区山体滑坡隐患点，每两小时巡查一次并报告")
    services.write_entry(shift.officer, shift, kind="call", now=at(2026, 10, 3, 9, 30),
                         text="县气象局来电：今夜有中到大雨")
    d.shift = shift
    return d


def test_the_board_and_the_holiday_roster_in_a_browser(open_page, october):
    page = open_page()
    sign_in(page, "supervisor")
    page.goto("/work/duty/")
    rows = page.locator(".duty-board tbody tr")
    assert rows.count() == 3
    assert "王值班" in rows.nth(0).inner_text() or "李值班" in rows.nth(0).inner_text()
    assert "陈干事" in rows.nth(1).inner_text() and "刘镇长" in rows.nth(1).inner_text()
    screenshot(page, "duty-board")

    page.goto("/work/duty/yjb/2026/10/")
    assert page.locator("td.duty-day-holiday").count() == 7
    assert page.locator("td.duty-day-makeup").count() == 1
    assert page.locator("td.duty-day-gap").count() == 2
    assert "国庆节" in page.locator(".duty-summary").inner_text()
    screenshot(page, "duty-roster-2026-10")

    page.goto("/work/duty/gc/2026/10/")
    assert page.locator("td.duty-day-gap").count() == 31 - 8
    screenshot(page, "duty-roster-2026-10-day-night")

    page.goto(f"/work/duty/shifts/{october.shift.pk}/")
    assert "山体滑坡" in page.locator(".duty-log").first.inner_text()
    screenshot(page, "duty-shift")
    assert page.js_errors == []
