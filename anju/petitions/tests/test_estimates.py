"""A deadline counted over 2027, whose holiday arrangement the State Council has not announced yet,
is marked as an estimate everywhere it is shown: the petition page, the case page, the tracking
page, the API and the written notice. Entering the arrangement (its days off and make-up working
days as overrides, and the notice recorded) counts the stored deadline again, on the timeline,
and clears every mark."""

from datetime import date, datetime

from django.test import Client

from anju.cases.models import CalendarOverride, HolidayNotice
from anju.conftest import at
from anju.people.services import issue_token
from anju.petitions.choices import NoticeKind
from anju.petitions.notices import ESTIMATE_NOTE
from anju.petitions.tests import flow
from anju.petitions.tests.test_pages_resident import tracked

MARK = "badge-estimate"
TRACK_NOTE = "(estimated: the holiday arrangement of that year is not announced yet)"


def _views(case, user):
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(user)
    _record, raw = issue_token(user)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    petition_page = page.get(f"/work/petitions/{case.pk}/").content.decode()
    limits = petition_page.split('id="limits-title"', 1)[1].split("</section>", 1)[0]
    answer_row = limits.split('class="limit-answer', 1)[1].split("</tr>", 1)[0]
    case_page = page.get(f"/work/cases/{case.pk}/").content.decode()
    handle_row = case_page.split('id="deadlines-title"', 1)[1].split("Reply by", 1)[0].split("Handle by", 1)[1]
    shown = api.get(f"/api/v1/petitions/{case.pk}").json()
    [answer] = [limit for limit in shown["petition"]["limits"] if limit["key"] == "answer"]
    _client, track = tracked(case)
    return {"petition page": MARK in answer_row, "case page": MARK in handle_row,
            "case page note": "deadline-estimate" in case_page,
            "API case": shown["deadline_estimated"], "API limit": answer["estimated"],
            "tracking page": TRACK_NOTE in track.content.decode()}


def test_a_2027_deadline_is_an_estimate_everywhere_until_the_arrangement_is_entered(
        petitions, people, django_capture_on_commit_callbacks):
    # Accepted on Monday 7 December 2026: the 60th day is 除夕, 5 February 2027.
    case = flow.accepted(people, now=at(2026, 12, 7, 9))
    assert case.handle_due_at.date() >= date(2027, 2, 9)  # past the statutory holidays (5–8 February)
    views = _views(case, people.supervisor)
    assert all(views.values()), views
    notice = case.petition.notices.get(kind=NoticeKind.ACCEPTANCE)
    assert ESTIMATE_NOTE in " ".join(notice.content["paragraphs"])

    # A made-up 2027 arrangement: 5–11 February off, Saturday 20 February a make-up working day.
    with django_capture_on_commit_callbacks(execute=True):
        for day in (9, 10, 11):
            CalendarOverride.objects.create(date=date(2027, 2, day), is_workday=False, note="春节调休")
        CalendarOverride.objects.create(date=date(2027, 2, 20), is_workday=True, note="春节调休上班")
        HolidayNotice.objects.create(year=2027, title="国务院办公厅关于2027年部分节假日安排的通知")
    case.refresh_from_db()
    # The period now ends on the first working day after 11 February: Friday 12 February.
    assert case.handle_due_at == case.due_at == at(2027, 2, 12, 23, 59, 59)
    assert not case.deadline_estimated
    views = _views(case, people.supervisor)
    assert not any(views.values()), views
    moved = case.events.get(action="recount").data["deadlines"]["handle_due_at"]
    assert datetime.fromisoformat(moved["to"]) == at(2027, 2, 12, 23, 59, 59) and moved["estimated"] is False
