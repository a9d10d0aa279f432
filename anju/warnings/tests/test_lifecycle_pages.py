"""The warnings' pages: the board with its sections and filters, drafting a warning, a warning's
page offering exactly the actions allowed now (and refusing the others), its messages and log;
who sees what, and persons masked."""

import pytest
from django.test import Client

from anju.warnings.choices import WarningStatus
from anju.warnings.models import Warning


def signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def action_ids(html: str) -> set[str]:
    import re

    return set(re.findall(r'<details class="action" id="([a-z_]+)"', html))


def test_the_board_shows_the_warnings_in_force_and_those_awaiting_approval(make_warning, desk, people, county):
    issued = make_warning("orange", [desk.p1])
    make_warning("yellow", [desk.p2], status="draft", headline="黄色预警草稿")
    cancelled = make_warning("blue", [desk.p1], headline="已取消的蓝色预警")
    cancelled.status = WarningStatus.CANCELLED
    cancelled.save(update_fields=["status"])
    page = signed_in(people.dispatcher).get("/work/warnings/")
    assert page.status_code == 200
    html = page.content.decode()
    assert issued.headline in html and "黄色预警草稿" in html and "已取消的蓝色预警" in html
    assert "Acknowledged at 0 of 1 points" in html and "Draft a warning" in html
    # Filters narrow it; a bad filter is a 400 with the form.
    html = signed_in(people.dispatcher).get("/work/warnings/?status=pending").content.decode()
    assert "黄色预警草稿" in html and issued.headline not in html
    assert signed_in(people.dispatcher).get("/work/warnings/?level=purple").status_code == 400
    html = signed_in(people.dispatcher).get(f"/work/warnings/?area={county.fuxing.code}").content.decode()
    assert issued.headline not in html


def test_the_board_is_for_staff_and_each_sees_their_scope(make_warning, desk, people, county):
    make_warning("orange", [desk.p1])
    assert Client().get("/work/warnings/").status_code == 302
    assert signed_in(people.nobody).get("/work/warnings/").status_code == 404
    # A grid worker of 复兴 does not see 葛城's warning; 葛城's grid worker does, and drafts none.
    assert "葛城街道地质灾害橙色预警" not in signed_in(desk.fx_gridworker).get("/work/warnings/").content.decode()
    html = signed_in(people.gridworker).get("/work/warnings/").content.decode()
    assert "葛城街道地质灾害橙色预警" in html and "Draft a warning" not in html


def test_staff_draft_a_warning_on_the_page(desk, people, county):
    client = signed_in(people.dispatcher)
    form = client.get("/work/warnings/new/")
    assert form.status_code == 200 and "DZ001 土城滑坡" in form.content.decode()
    data = {"level": "orange", "hazard_type": "landslide", "area": county.gecheng.code, "points": ["DZ001", "DZ002"],
            "headline": "葛城街道橙色预警", "description": "强降雨", "idempotency_key": "page-1"}
    response = client.post("/work/warnings/new/", data)
    warning = Warning.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/work/warnings/{warning.pk}/"
    assert client.post("/work/warnings/new/", data).status_code == 302 and Warning.objects.count() == 1
    bad = client.post("/work/warnings/new/", {**data, "points": ["DZ003"], "idempotency_key": "page-2"})
    assert bad.status_code == 400 and "outside the warning" in bad.content.decode()
    assert signed_in(people.gridworker).get("/work/warnings/new/").status_code == 404


def test_the_page_offers_exactly_the_actions_allowed_now(make_warning, desk, people):
    warning = make_warning("orange", [desk.p1], status="draft")
    url = f"/work/warnings/{warning.pk}/"
    assert action_ids(signed_in(people.dispatcher).get(url).content.decode()) == set()  # the drafter
    assert action_ids(signed_in(desk.gc_supervisor).get(url).content.decode()) == set()  # orange needs a leader
    leader = signed_in(desk.gc_leader)
    assert action_ids(leader.get(url).content.decode()) == {"approve", "reject"}
    # Another's action is refused with the page and nothing done.
    refused = signed_in(desk.gc_supervisor).post(f"{url}act/approve/", {})
    assert refused.status_code == 409 and Warning.objects.get().status == WarningStatus.DRAFT
    assert leader.post(f"{url}act/approve/", {"approve-note": "同意"}).status_code == 302
    assert action_ids(signed_in(people.dispatcher).get(url).content.decode()) == {"issue"}
    assert signed_in(people.dispatcher).post(f"{url}act/issue/", {}).status_code == 302
    html = leader.get(url).content.decode()
    assert action_ids(html) == {"update", "cancel", "all_clear", "open_incident"}
    assert "STANDIN" in html or "/cap/" in html
    # A missing reason comes back next to its field.
    back = leader.post(f"{url}act/cancel/", {"cancel-reason": ""})
    assert back.status_code == 400 and "cancel-reason" in back.content.decode()
    assert leader.post(f"{url}act/nonsense/", {}).status_code == 404
    assert leader.post(f"{url}act/cancel/", {"cancel-reason": "误报"}).status_code == 302
    html = leader.get(url).content.decode()
    assert action_ids(html) == set() and "Cancelled" in html


def test_the_page_masks_the_monitors_and_is_hidden_from_others(make_warning, desk, people):
    warning = make_warning("orange", [desk.p1, desk.p2])
    html = signed_in(people.handler).get(f"/work/warnings/{warning.pk}/").content.decode()
    assert "张**" in html and "138****1111" in html and "张大山" not in html and "13800001111" not in html
    assert "Record a call" in html
    assert signed_in(desk.fx_gridworker).get(f"/work/warnings/{warning.pk}/").status_code == 404
    assert signed_in(people.nobody).get("/work/warnings/999999/").status_code == 404


@pytest.mark.parametrize("level,evacuates", [("orange", True), ("yellow", False)])
def test_the_issue_form_asks_about_the_households_only_below_orange(make_warning, desk, people, level, evacuates):
    warning = make_warning(level, [desk.p1], status="approved")
    html = signed_in(people.dispatcher).get(f"/work/warnings/{warning.pk}/").content.decode()
    assert ('name="issue-evacuate"' in html) is not evacuates
