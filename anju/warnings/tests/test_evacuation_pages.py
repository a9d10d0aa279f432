"""The evacuation's phone page: a grid worker sees the households of the points in their grid
(masked), enters one as moved, refused (the reason required) or returned; the all-clear closes it."""

from django.test import Client

from anju.warnings import lifecycle
from anju.warnings.choices import EvacuationState
from anju.warnings.models import Evacuation


def signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_a_grid_worker_enters_the_households_of_their_grid_on_a_phone(make_warning, desk, people, county):
    warning = make_warning("orange", [desk.p1, desk.p2])
    make_warning("orange", [desk.p3], area=county.fuxing, headline="复兴预警")
    chen, liu, _zhou = desk.households["DZ001"]
    client = signed_in(desk.grid1_worker)
    page = client.get(f"/work/warnings/{warning.pk}/evacuation/")
    html = page.content.decode()
    assert page.status_code == 200
    # Masked: the family name, the phone's ends, the start of the address.
    assert "陈**" in html and "138****0001" in html and "陈大福" not in html and "13811110001" not in html
    assert "土城社区…" in html and "土城社区1组12号" not in html
    assert html.count('class="household"') == 5  # 土城滑坡's three and 土城沟's two (kept at village level)
    row = Evacuation.objects.get(warning=warning, household=chen)
    url = f"/work/warnings/{warning.pk}/evacuation/{row.pk}/"
    done = client.post(url, {f"e{row.pk}-state": "moved", f"e{row.pk}-people_moved": "2"})
    assert done.status_code == 302 and done["Location"].endswith(f"#h{row.pk}")
    row.refresh_from_db()
    assert (row.state, row.people_moved, row.updated_by) == (EvacuationState.MOVED, 2, desk.grid1_worker)
    # A refusal without its reason comes back with the error; with it, it is entered.
    other = Evacuation.objects.get(warning=warning, household=liu)
    url = f"/work/warnings/{warning.pk}/evacuation/{other.pk}/"
    back = client.post(url, {f"e{other.pk}-state": "refused", f"e{other.pk}-reason": ""})
    assert back.status_code == 400 and "Say why the household refused" in back.content.decode()
    assert client.post(url, {f"e{other.pk}-state": "refused", f"e{other.pk}-reason": "坚持留守"}).status_code == 302
    assert Evacuation.objects.get(pk=other.pk).state == EvacuationState.REFUSED
    # The duty officer's board on the warning's page counts them.
    html = signed_in(people.handler).get(f"/work/warnings/{warning.pk}/").content.decode()
    assert "1 of 5 households moved, 2 people" in html


def test_others_cannot_enter_and_the_all_clear_closes_the_page(make_warning, desk, people):
    warning = make_warning("orange", [desk.p1])
    row = Evacuation.objects.filter(warning=warning).first()
    url = f"/work/warnings/{warning.pk}/evacuation/{row.pk}/"
    assert signed_in(desk.fx_gridworker).get(f"/work/warnings/{warning.pk}/evacuation/").status_code == 404
    assert signed_in(desk.fx_gridworker).post(url, {f"e{row.pk}-state": "moved"}).status_code == 404
    # 土城第2网格's grid worker sees the warning but no household of 土城第1网格's point.
    html = signed_in(desk.grid2_worker).get(f"/work/warnings/{warning.pk}/evacuation/").content.decode()
    assert 'class="household"' not in html
    assert signed_in(desk.grid2_worker).post(url, {f"e{row.pk}-state": "moved"}).status_code == 403
    lifecycle.all_clear(desk.gc_leader, warning)
    client = signed_in(desk.grid1_worker)
    html = client.get(f"/work/warnings/{warning.pk}/evacuation/").content.decode()
    assert "closed by the all-clear" in html and "<button" not in html.split('class="household"', 1)[-1]
    closed = client.post(url, {f"e{row.pk}-state": "moved"})
    assert closed.status_code == 400 and Evacuation.objects.get(pk=row.pk).state == EvacuationState.TO_MOVE
