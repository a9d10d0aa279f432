"""The body a petition is about never learns who petitioned, through any page, list, export, API
endpoint or search, whatever the role of its users; a report of wrongdoing about it never reaches
it at all. Every response those users can get is read byte by byte."""

import html
import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from anju.cases import services as case_services
from anju.cases import sweep as case_sweep
from anju.cases.services import CaseError
from anju.lib.workdays import LOCAL
from anju.notify.models import Notification
from anju.people.models import RoleAssignment, User
from anju.people.services import issue_token
from anju.petitions import services
from anju.petitions.tests import flow

# Who petitioned, in every form a page could show it: names, masked names, phones, masked
# phones, addresses.
IDENTITY = ["王秀英", "赵德明", "王**", "赵**", "13800005678", "13900004321", "138****5678", "139****4321",
            "土城社区5组8号", "土城社区5组10号"]


@pytest.fixture
def world(petitions, people, county):
    """A petition about 葛城街道办事处 (and one of its officials), handled by that very office, with
    its notices, a reception held today whose record names the petitioner, and a booking to
    come; and a report of wrongdoing about it, handled by 复兴, that has gone overdue and been
    escalated (the sweep told whoever answers for it)."""
    about = flow.accepted(people, now=None, about="gc", official="征收办主任", text="征地补偿款至今未足额发放")
    now = timezone.now()
    start = (now + timedelta(days=3)).astimezone(LOCAL).replace(hour=9, minute=0, second=0, microsecond=0)
    day = services.plan_reception_day(people.supervisor, leader_id=people.leader.pk, region_code="500229",
                                      place="县信访接待中心", starts_at=start, ends_at=start + timedelta(hours=2))
    # Held earlier today (an hour within today whatever the time the test runs), planned a day
    # before and booked just before it began.
    local_now = now.astimezone(LOCAL)
    held_start = max(local_now - timedelta(hours=2), local_now.replace(hour=0, minute=5, second=0, microsecond=0))
    held = services.plan_reception_day(people.supervisor, leader_id=people.leader.pk, region_code="500229",
                                       place="县信访接待中心", starts_at=held_start,
                                       ends_at=held_start + timedelta(minutes=60), now=held_start - timedelta(days=1))
    booking = services.book_reception(people.dispatcher, about, day_id=held.pk, slot_at=held.starts_at,
                                      now=held_start - timedelta(minutes=1))
    services.record_reception(people.leader, booking, summary="王秀英当面反映补偿款问题，留电话13800005678。",
                              now=held_start + timedelta(minutes=10))
    services.book_reception(people.dispatcher, about, day_id=day.pk, slot_at=start)
    wrongdoing = flow.register(people, now=now - timedelta(days=40), category="petition.conduct", about="gc",
                               wrongdoing=True, text="某街道干部索要好处费")
    services.route_petition(people.dispatcher, wrongdoing, office_code="fx", now=now - timedelta(days=40))
    # Overdue for acceptance since about 25 days: the sweep warns, marks it and escalates to the
    # township it lies in (葛城) and the county.
    case_sweep.run_sweep(now=now)
    return {"about": about, "wrongdoing": wrongdoing, "day": day}


@pytest.fixture
def member(county):
    """A user of 葛城街道办事处 by role alone: no office of their own, a handler role scoped to it."""
    user = User.objects.create_user("role_member", password="pw")
    RoleAssignment.objects.create(user=user, role="handler", office=county.gecheng_office)
    return user


def _pages(world) -> list[str]:
    about, day = world["about"], world["day"]
    notice = about.petition.notices.first()
    return [
        "/work/", "/work/cases/", "/work/cases/?q=王秀英", "/work/cases/?q=13800005678", "/work/cases/?q=好处费",
        f"/work/cases/{about.pk}/", "/work/map/cases.json", "/work/notifications/", "/work/dashboard/",
        "/work/petitions/", "/work/petitions/?q=王秀英", "/work/petitions/?q=13800005678",
        f"/work/petitions/{about.pk}/", f"/work/petitions/{about.pk}/notices/{notice.pk}/print/",
        f"/work/petitions/{about.pk}/notices/{notice.pk}/notice.docx", "/work/petitions/stats/",
        "/work/reception/", f"/work/reception/{day.pk}/",
    ]


def _api(world) -> list[str]:
    about, day = world["about"], world["day"]
    return [
        "/api/v1/cases", "/api/v1/cases?q=王秀英", "/api/v1/cases?q=好处费", f"/api/v1/cases/{about.pk}",
        "/api/v1/cases/inbox", "/api/v1/cases/overdue", "/api/v1/cases/due-soon?within_hours=720",
        "/api/v1/petitions", "/api/v1/petitions?q=王秀英", f"/api/v1/petitions/{about.pk}",
        "/api/v1/petitions/stats", "/api/v1/reception-days", f"/api/v1/reception-days/{day.pk}",
    ]


def _text_of(response) -> str:
    """The response as text, an Excel workbook or a Word document unpacked first."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(BytesIO(content)) as archive:
            # openpyxl writes Chinese as character references (&#29579;): read them as text.
            return html.unescape("".join(archive.read(name).decode("utf-8", "replace")
                                         for name in archive.namelist()))
    return content.decode("utf-8", "replace")


def _echo_removed(url: str, text: str) -> str:
    """A search page shows the words searched for in its search box and its own address: that is
    the user's own input, not what the page found."""
    if "?q=" not in url:
        return text
    words = url.split("?q=", 1)[1]
    # The search box, and the page's own address (kept by the language menu to come back to).
    return text.replace(f'value="{words}"', 'value=""').replace(f"?q={words}", "?q=")


def _export(client) -> str:
    response = client.post("/work/cases/export/")
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(BytesIO(response.content)).active
    return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


@pytest.mark.parametrize("who", ["handler", "township_leader", "township_supervisor", "member"])
def test_no_user_of_the_body_complained_about_learns_who_petitioned(world, people, petitions, member, who):
    user = member if who == "member" else getattr(petitions, who, None) or getattr(people, who)
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page.force_login(user)
    _record, raw = issue_token(user)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    wrongdoing = world["wrongdoing"]
    seen = {}
    for url in _pages(world):
        seen[url] = page.get(url)
    for url in _api(world):
        seen[url] = api.get(url)
    texts = {url: _echo_removed(url, _text_of(response)) for url, response in seen.items()}
    texts["export"] = _export(page)
    for url, text in texts.items():
        for identity in IDENTITY:
            assert identity not in text, (url, identity)
        # The report of wrongdoing about this body is not there at all.
        assert wrongdoing.tracking_code not in text and "好处费" not in text, url
    # The body sees the petition it handles, but not who sent it; printing the notices is refused.
    assert seen[f"/work/petitions/{world['about'].pk}/"].status_code == 200
    notice = world["about"].petition.notices.first()
    assert seen[f"/work/petitions/{world['about'].pk}/notices/{notice.pk}/print/"].status_code in (403, 404)
    assert api.post(f"/api/v1/petitions/{world['about'].pk}/petitioners/"
                    f"{world['about'].petition.petitioners.first().pk}/reveal", {},
                    content_type="application/json").status_code in (403, 404)
    assert api.post(f"/api/v1/cases/{world['about'].pk}/reporter", {},
                    content_type="application/json").status_code in (403, 404)
    for url in (f"/work/petitions/{wrongdoing.pk}/", f"/work/cases/{wrongdoing.pk}/"):
        assert page.get(url).status_code == 404
    for url in (f"/api/v1/petitions/{wrongdoing.pk}", f"/api/v1/cases/{wrongdoing.pk}"):
        assert api.get(url).status_code == 404
    # No message about the report of wrongdoing reached this user, not even from the sweep.
    assert Notification.objects.filter(case=wrongdoing).exists()
    assert not Notification.objects.filter(case=wrongdoing, user=user).exists()


def test_no_leader_of_the_body_is_put_in_charge_of_a_petition_about_it(world, people, petitions):
    for case in (world["about"], world["wrongdoing"]):
        with pytest.raises(CaseError):
            services.assign_leader(people.supervisor, case, leader_id=petitions.township_leader.pk)
    assert not Notification.objects.filter(user=petitions.township_leader).exists()


def test_a_report_of_wrongdoing_is_not_merged_into_a_case_of_the_body(world, people, new_case):
    target = new_case()
    target = case_services.accept_case(people.dispatcher, target)
    target = case_services.dispatch_case(people.dispatcher, target, office_code="gc")
    with pytest.raises(CaseError):
        case_services.merge_case(people.dispatcher, world["wrongdoing"], into=target)
    world["wrongdoing"].refresh_from_db()
    assert world["wrongdoing"].status == "submitted"


def test_a_grid_worker_does_not_reach_petitions_of_the_grid(world, people):
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page.force_login(people.gridworker)
    about = world["about"]
    assert page.get(f"/work/petitions/{about.pk}/").status_code == 404
    assert page.get(f"/work/cases/{about.pk}/").status_code == 404
    text = _text_of(page.get("/work/cases/"))
    assert about.tracking_code[:4] not in text.replace("-", "") and "征地补偿款" not in text


def test_the_same_sweep_finds_the_petitioner_for_the_county_supervisor(world, people):
    """The sweep above can fail: for a user who may see the petitioners, the masked name is on
    the petition page and the full name in the printed notice."""
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page.force_login(people.supervisor)
    about = world["about"]
    notice = about.petition.notices.first()
    assert "王**" in _text_of(page.get(f"/work/petitions/{about.pk}/"))
    assert "王秀英" in _text_of(page.get(f"/work/petitions/{about.pk}/notices/{notice.pk}/print/"))
    assert "好处费" in _text_of(page.get("/work/cases/?q=好处费"))
