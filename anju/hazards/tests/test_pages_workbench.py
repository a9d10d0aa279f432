"""The hazards workbench: what is due in the user's scope (orders running, re-inspections due,
overdue, major hazards listed), the filtered and paginated list of hazards, and its links to the
sites, the campaigns and the ledger export."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from anju.cases.models import Case
from anju.hazards.choices import HazardLevel
from anju.hazards.models import Hazard
from anju.hazards.tests.test_pages_hazard import client_for, found, hazard_in
from anju.hazards.views import pages
from anju.lib.tracking import display
from anju.web.tests.conftest import english_client

URL = reverse("hazards:workbench")


@pytest.fixture
def as_persona(people, hazards):
    return lambda who: client_for(people, hazards, who)


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def listed_codes(html: str) -> str:
    return html.split('id="hazard-list"', 1)[1]


def test_it_sends_anonymous_visitors_to_sign_in_and_refuses_users_without_a_role(people, hazards):
    response = english_client().get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client_for(people, hazards, "nobody").get(URL).status_code == 404


@pytest.mark.parametrize("who", ["housing_handler", "gridworker", "supervisor", "leader", "dispatcher", "admin",
                                 "handler"])
def test_it_renders_for_every_staff_role_with_the_links_to_sites_campaigns_and_the_ledger(as_persona, who):
    response = as_persona(who).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("sites", "campaigns", "ledger_page"):
        assert f'href="{reverse(f"hazards:{name}")}' in html, name


def test_it_shows_what_is_due_each_in_its_list(people, hazards, as_persona):
    running = hazard_in(people, hazards, "rectifying")
    waiting = hazard_in(people, hazards, "reinspection")
    listed = hazard_in(people, hazards, "listed", HazardLevel.MAJOR)
    late = hazard_in(people, hazards, "rectifying")
    # The order's day went by, as time would make it.
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=2))
    html = as_persona("supervisor").get(URL).content.decode()
    running_html, waiting_html = section(html, "running-title"), section(html, "reinspections-title")
    overdue_html, listed_html = section(html, "overdue-title"), section(html, "listed-title")
    assert display(running.tracking_code) in running_html and display(listed.tracking_code) in running_html
    assert display(late.tracking_code) not in running_html and display(late.tracking_code) in overdue_html
    assert "Overdue by 2 days" in overdue_html
    assert display(waiting.tracking_code) in waiting_html and display(running.tracking_code) not in waiting_html
    assert display(listed.tracking_code) in listed_html and "县应急管理局" in listed_html
    assert display(running.tracking_code) not in listed_html


def test_it_lists_only_the_hazards_in_the_users_scope(people, hazards, as_persona):
    tower = found(people, hazards)
    quarry = found(people, hazards, HazardLevel.MAJOR)
    html = listed_codes(as_persona("housing_handler").get(URL).content.decode())
    assert display(tower.tracking_code) in html and display(quarry.tracking_code) not in html
    html = listed_codes(as_persona("other_handler").get(URL).content.decode())
    assert display(tower.tracking_code) not in html and "There are no hazards in your scope yet." in html


def test_it_filters_by_stage_level_township_kind_office_and_words(people, hazards, county, as_persona):
    tower = hazard_in(people, hazards, "rectifying")
    quarry = found(people, hazards, HazardLevel.MAJOR)
    client = as_persona("supervisor")

    def codes(**query):
        html = listed_codes(client.get(URL, query).content.decode())
        return {c for c in (tower, quarry) if display(c.tracking_code) in html}

    assert codes() == {tower, quarry}
    assert codes(stage="rectifying") == {tower}
    assert codes(level="major") == {quarry}
    assert codes(kind="building") == {tower} and codes(kind="mine") == {quarry}
    assert codes(department="yjj") == {quarry}
    assert codes(q="边坡") == {quarry} and codes(q="滨河花园") == {tower}
    assert codes(township=county.gecheng.pk) == {tower, quarry} and codes(township=county.fuxing.pk) == set()
    html = client.get(URL, {"level": "major"}).content.decode()
    assert "No hazards match these filters." not in html and "1 hazard" in html


def test_a_bad_filter_is_named_and_the_list_is_not_shown(people, hazards, as_persona):
    found(people, hazards)
    response = as_persona("supervisor").get(URL, {"stage": "nonsense", "page": "0"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_stage_error"' in html and "Correct the filters marked above to see the list." in html


def test_it_pages_the_list(people, hazards, as_persona, monkeypatch):
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    cases = [found(people, hazards) for _ in range(3)]
    client = as_persona("supervisor")
    first = listed_codes(client.get(URL).content.decode())
    second = listed_codes(client.get(URL, {"page": 2}).content.decode())
    newest_first = sorted(cases, key=lambda c: -c.pk)
    assert display(newest_first[0].tracking_code) in first and display(newest_first[2].tracking_code) not in first
    assert display(newest_first[2].tracking_code) in second and 'rel="prev"' in second
    assert Hazard.objects.count() == 3


def test_a_hazard_reported_through_the_core_is_listed_until_it_is_linked_to_a_site(people, hazards, as_persona):
    from anju.cases import services as case_services
    from anju.cases.services import NewCase

    case, _created = case_services.create_case(people.dispatcher, NewCase(
        kind="hazard", category_code="hazard.building", text="滨河路18号楼外墙瓷砖脱落", lat=31.905, lng=108.605))
    html = listed_codes(as_persona("dispatcher").get(URL).content.decode())
    row = html.split(display(case.tracking_code), 1)[1].split("</tr>", 1)[0]
    assert "Not linked to a site yet" in row and "滨河路18号楼外墙瓷砖脱落" in row
