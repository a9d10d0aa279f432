"""Staff are told of new assignments (dispatch, transfer) and of deadlines coming up, missed
and escalated; their messages name the case, never the reporter."""

from datetime import timedelta

import pytest

from anju.cases import services as s
from anju.cases import sweep
from anju.cases.models import Case
from anju.conftest import at, user_with_roles
from anju.lib.tracking import display
from anju.notify.models import Notification


def staff_rows(case, event=None):
    rows = Notification.objects.filter(case=case, user__isnull=False)
    if event:
        rows = rows.filter(event=event)
    return rows


def recipients(case, event):
    return sorted({row.user.username for row in staff_rows(case, event).select_related("user")})


@pytest.fixture
def accepted(new_case, people):
    case = new_case(now=at(2026, 9, 1, 10))
    return s.accept_case(people.dispatcher, case, now=at(2026, 9, 1, 11))


def test_the_office_handlers_are_told_of_a_dispatch(accepted, people):
    people.handler.email = "handler@gc.example.cn"
    people.handler.save(update_fields=["email"])
    case = s.dispatch_case(people.dispatcher, accepted, now=at(2026, 9, 1, 12))
    assert recipients(case, "dispatch") == ["handler"]
    rows = {row.channel: row for row in staff_rows(case, "dispatch")}
    assert set(rows) == {"in_app", "email"}
    assert rows["in_app"].status == "sent" and rows["in_app"].read_at is None
    assert rows["email"].status == "pending" and rows["email"].address == "handler@gc.example.cn"
    body = rows["in_app"].body
    assert display(case.tracking_code) in body and "路灯故障" in body and "葛城街道办事处" in body
    assert "2026" in body  # the deadline


def test_the_new_office_is_told_of_a_transfer(accepted, people):
    case = s.dispatch_case(people.dispatcher, accepted)
    case = s.transfer_case(people.dispatcher, case, office_code="jtj")
    assert recipients(case, "transfer") == ["transport_handler"]
    assert recipients(case, "dispatch") == ["handler"]


def test_a_handler_of_another_office_or_another_role_is_not_told(accepted, people):
    case = s.dispatch_case(people.dispatcher, accepted)
    told = {row.user_id for row in staff_rows(case)}
    assert told == {people.handler.pk}


def test_an_inactive_handler_is_not_told(accepted, people):
    people.handler.is_active = False
    people.handler.save(update_fields=["is_active"])
    case = s.dispatch_case(people.dispatcher, accepted)
    assert not staff_rows(case).exists()


def test_staff_messages_carry_nothing_about_the_reporter(new_case, people):
    case = new_case(confidential=True, about_office_code="gc", reporter_name="王五", reporter_phone="13912345678",
                    reporter_email="wangwu@example.cn")
    case = s.dispatch_case(people.dispatcher, s.accept_case(people.dispatcher, case))
    rows = list(staff_rows(case))
    assert rows
    for row in rows:
        text = row.subject + row.body + row.address
        for secret in ("王五", "王*", "13912345678", "139****5678", "5678", "wangwu", case.text):
            assert secret not in text, (secret, text)
        assert row.reporter_id is None


def test_the_sweep_tells_the_handlers_when_a_case_is_due_soon_then_overdue(accepted, people):
    case = s.dispatch_case(people.dispatcher, accepted, now=at(2026, 9, 1, 12))
    case.refresh_from_db()
    due = case.due_at
    sweep.run_sweep(now=case.sweep_at)
    assert recipients(case, "due_soon") == ["handler"]
    assert not staff_rows(case, "overdue").exists()
    sweep.run_sweep(now=due)
    assert recipients(case, "overdue") == ["handler"]
    overdue = staff_rows(case, "overdue").get(channel="in_app")
    assert display(case.tracking_code) in overdue.subject and "路灯故障" in overdue.body
    # A second sweep at the same moment issues nothing twice.
    sweep.run_sweep(now=due)
    assert staff_rows(case, "overdue").count() == 1 and staff_rows(case, "due_soon").count() == 1


def test_an_escalation_also_tells_the_supervisors_of_the_region_it_goes_to(accepted, people, county):
    township_supervisor = user_with_roles("gc_supervisor", county.gecheng_office, supervisor=[(county.gecheng, None)])
    user_with_roles("fx_supervisor", county.fuxing_office, supervisor=[(county.fuxing, None)])
    case = s.dispatch_case(people.dispatcher, accepted, now=at(2026, 9, 1, 12))
    case.refresh_from_db()
    sweep.run_sweep(now=case.due_at + timedelta(hours=24))
    assert recipients(case, "escalate") == sorted(["handler", township_supervisor.username])
    # The county's supervisor hears when it reaches county level.
    sweep.run_sweep(now=case.due_at + timedelta(hours=48))
    assert Case.objects.get(pk=case.pk).supervision_level == 3
    assert "supervisor" in recipients(case, "escalate")


def test_a_case_not_yet_dispatched_tells_the_centres_dispatchers(new_case, people):
    case = new_case(now=at(2026, 9, 1, 10))
    sweep.run_sweep(now=case.sweep_at)
    # The county dispatcher works at the centre that owns the case; the township dispatcher of
    # 复兴 neither works there nor reaches 葛城.
    assert recipients(case, "due_soon") == ["dispatcher"]


def test_synthetic_cases_tell_no_one(county, people):
    data = s.NewCase(kind="complaint", category_code="urban.light", text="演示数据", lat=31.905, lng=108.605,
                     reporter_name="演示", reporter_phone="13800000000", reporter_email="demo@example.cn")
    case, _created = s.create_case(people.dispatcher, data, now=at(2026, 9, 1, 10), synthetic=True)
    case = s.dispatch_case(people.dispatcher, s.accept_case(people.dispatcher, case))
    case.refresh_from_db()
    sweep.run_sweep(now=case.due_at + timedelta(days=3))
    assert not Notification.objects.filter(case=case).exists()
