"""Campaigns (专项行动): the list, opening one, its live coverage per township with the sites not
inspected yet, and closing it after a confirmation."""

from datetime import timedelta

import pytest
from django.urls import reverse

from anju.hazards import services
from anju.hazards.choices import CampaignStatus
from anju.hazards.models import Campaign
from anju.hazards.tests.test_pages_hazard import client_for, found, today
from anju.web.tests.conftest import english_client

LIST = reverse("hazards:campaigns")
NEW = reverse("hazards:campaign_new")


@pytest.fixture
def as_persona(people, hazards):
    return lambda who: client_for(people, hazards, who)


@pytest.fixture
def campaign(people, county, hazards):
    """A campaign over the county's high-rises (three sites: two in 葛城, one in 复兴)."""
    return services.open_campaign(people.supervisor, title="国庆节前高层建筑消防安全排查", kind="building.highrise",
                                  region=county.county.code, starts_on=today(), ends_on=today() + timedelta(days=14))


def detail(campaign, name="campaign_detail") -> str:
    return reverse(f"hazards:{name}", args=[campaign.pk])


def test_it_sends_anonymous_visitors_to_sign_in_and_refuses_users_without_a_role(people, hazards, campaign):
    for url in (LIST, NEW, detail(campaign)):
        response = english_client().get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url
        assert client_for(people, hazards, "nobody").get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["supervisor", "dispatcher", "gridworker", "township_dispatcher", "leader", "admin"])
def test_the_campaign_is_listed_and_shown_to_those_whose_scope_it_covers(as_persona, campaign, who):
    html = as_persona(who).get(LIST).content.decode()
    assert "国庆节前高层建筑消防安全排查" in html and detail(campaign) in html and "0 / 3" in html
    assert as_persona(who).get(detail(campaign)).status_code == 200


def test_a_campaign_of_another_township_is_not_shown(people, county, hazards, as_persona):
    other = services.open_campaign(people.supervisor, title="复兴街道高层建筑排查", kind="building",
                                   region=county.fuxing.code, starts_on=today(), ends_on=today() + timedelta(days=7))
    assert "复兴街道高层建筑排查" not in as_persona("gridworker").get(LIST).content.decode()
    assert as_persona("gridworker").get(detail(other)).status_code == 404
    assert as_persona("township_dispatcher").get(detail(other)).status_code == 200


def test_the_coverage_counts_each_township_and_names_the_sites_not_inspected(people, hazards, campaign, as_persona):
    found(people, hazards)  # 滨河花园3号楼 inspected during the campaign
    client = as_persona("supervisor")
    html = client.get(detail(campaign)).content.decode()
    gecheng = html.split('data-township="500229001"', 1)[1].split("</tr>", 1)[0]
    fuxing = html.split('data-township="500229002"', 1)[1].split("</tr>", 1)[0]
    assert "1 / 2" in gecheng and "50%" in gecheng and "0 / 1" in fuxing and "0%" in fuxing
    assert "1 of 3 sites inspected (33%)." in html
    never = html.split('id="never-title"', 1)[1].split("</section>", 1)[0]
    assert "滨河花园5号楼" in never and "太和大厦" in never and "滨河花园3号楼" not in never
    assert "土城石场" not in html  # not a high-rise
    assert reverse("hazards:inspect", args=[hazards.tower2.pk]) in never
    # htmx polls for the coverage part alone.
    part = client.get(detail(campaign), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in part and "1 of 3 sites inspected" in part
    # A township's staff see the sites of their own township only.
    never = as_persona("gridworker").get(detail(campaign)).content.decode().split('id="never-title"', 1)[1]
    assert "滨河花园5号楼" in never and "太和大厦" not in never


@pytest.mark.parametrize("who,allowed", [("supervisor", True), ("dispatcher", True), ("township_dispatcher", True),
                                         ("admin", True), ("gridworker", False), ("housing_handler", False),
                                         ("leader", False)])
def test_the_new_campaign_form_is_for_those_who_keep_the_register(as_persona, who, allowed):
    assert as_persona(who).get(NEW).status_code == (200 if allowed else 404)
    assert (f'href="{NEW}"' in as_persona(who).get(LIST).content.decode()) == allowed


def test_it_opens_a_campaign_in_the_users_regions(people, county, as_persona):
    client = as_persona("township_dispatcher")
    html = client.get(NEW).content.decode()
    assert "复兴街道" in html and "葛城街道" not in html and "城口县" not in html
    response = client.post(NEW, {"title": "春节前高层建筑排查", "kind": "building", "region": county.fuxing.code,
                                 "starts_on": today().isoformat(),
                                 "ends_on": (today() + timedelta(days=10)).isoformat()})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == detail(campaign)
    assert campaign.opened_by == people.township_dispatcher and campaign.region == county.fuxing
    assert "1 site is owed an inspection." in client.get(response.url).content.decode()


@pytest.mark.parametrize("changes,field,words", [
    ({"title": ""}, "title", "This field is required."),
    ({"kind": "spaceport"}, "kind", "Select a valid choice."),
    ({"region": "500229001"}, "region", "Select a valid choice."),
    ({"ends_on": "2020-01-01", "starts_on": "2020-02-01"}, "ends_on", "The period must not end before it starts."),
    ({"starts_on": "2020-01-01", "ends_on": "2020-01-10"}, "ends_on", "The period must not end in the past."),
    ({"ends_on": "not a day"}, "ends_on", "Enter a valid date."),
])
def test_a_bad_campaign_is_named_next_to_its_field(county, as_persona, changes, field, words):
    data = {"title": "春节前高层建筑排查", "kind": "building", "region": county.fuxing.code,
            "starts_on": today().isoformat(), "ends_on": (today() + timedelta(days=10)).isoformat(), **changes}
    response = as_persona("township_dispatcher").post(NEW, data)
    html = response.content.decode()
    assert response.status_code == 400 and f'id="id_{field}_error"' in html and words in html
    assert not Campaign.objects.exists()


def test_closing_asks_first_and_then_lists_the_sites_never_inspected(as_persona, campaign):
    client = as_persona("supervisor")
    html = client.get(detail(campaign)).content.decode()
    assert "Close the campaign…" in html and detail(campaign, "campaign_close") in html
    assert client.get(detail(campaign, "campaign_close")).status_code == 405
    response = client.post(detail(campaign, "campaign_close"))
    assert response.status_code == 302 and response.url == detail(campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    html = client.get(response.url).content.decode()
    assert "The campaign was closed." in html and "Sites never inspected" in html and "Close the campaign" not in html
    assert "Inspect now" not in html


def test_only_the_keepers_of_its_region_close_a_campaign(as_persona, campaign):
    for who in ("gridworker", "township_dispatcher", "leader"):
        assert "Close the campaign" not in as_persona(who).get(detail(campaign)).content.decode(), who
        assert as_persona(who).post(detail(campaign, "campaign_close")).status_code == 403, who
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.RUNNING
