"""The campaigns API (/api/v1/campaigns): a campaign opened once per Idempotency-Key, the list,
the detail with its live coverage per township and the sites never inspected, and closing it;
every endpoint's permission (401/403/404) and bad input (a 4xx naming the field, nothing
written)."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from anju.conftest import openapi_schema
from anju.hazards import services
from anju.hazards.models import Campaign
from anju.lib.workdays import LOCAL
from anju.people.services import issue_token


def client(user, **headers):
    _record, raw = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **headers)


def post(client, url, body=None, **headers):
    data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return client.post(url, data, content_type="application/json", **headers)


def errors(response):
    return [e["field"] for e in response.json()["errors"]]


def today():
    return timezone.now().astimezone(LOCAL).date()


def day(offset: int) -> str:
    return (today() + timedelta(days=offset)).isoformat()


def new(**change):
    return {"title": "汛前高层建筑安全隐患排查", "kind": "building", "region": "500229", "starts_on": day(-5),
            "ends_on": day(25), **change}


def campaigns():
    """Everything a refused request must leave as it was."""
    return list(Campaign.objects.order_by("id").values_list("title", "kind_id", "region_id", "starts_on", "ends_on",
                                                            "status", "closed_at"))


def opened(people, *, region="500229", kind="building", title="汛前排查"):
    return services.open_campaign(people.dispatcher, title=title, kind=kind, region=region,
                                  starts_on=today() - timedelta(days=5), ends_on=today() + timedelta(days=25))


def inspect(people, site, *, campaign=None, key, now=None):
    answers = [services.Answer(n, "pass") for n in range(1, 4 if site.kind.code != "mine" else 3)]
    services.submit_inspection(people.dispatcher, services.NewInspection(
        site=site.pk, signed_as="检查员", answers=answers, campaign=campaign.pk if campaign else None),
        idempotency_key=key, now=now)


# ---------------------------------------------------------------------------- authentication


@pytest.mark.parametrize("method,path", [(m.upper(), p) for p, ms in openapi_schema()["paths"].items()
                                         if p.startswith("/api/v1/campaigns") for m in ms])
def test_it_requires_a_token_on_every_campaign_endpoint(method, path, people, hazards):
    campaign = opened(people)
    before = campaigns()
    response = Client().generic(method, re.sub(r"\{[^}]+\}", str(campaign.pk), path), json.dumps(new()),
                                content_type="application/json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert campaigns() == before


# ---------------------------------------------------------------------------- opening


def test_a_campaign_opens_over_the_sites_of_its_kind_and_region(people, hazards):
    response = post(client(people.supervisor), "/api/v1/campaigns", new())
    assert response.status_code == 201, response.content
    body = response.json()
    campaign = Campaign.objects.get()
    assert (campaign.title, campaign.kind, campaign.region.code, campaign.opened_by, campaign.status) == (
        "汛前高层建筑安全隐患排查", hazards.building, "500229", people.supervisor, "running")
    assert (body["id"], body["status"], body["can_close"], body["owed"], body["inspected"], body["rate"]) == (
        campaign.pk, "running", True, 3, 0, 0.0)
    assert [(r["code"], r["owed"], r["inspected"]) for r in body["coverage"]] == [
        ("500229001", 2, 0), ("500229002", 1, 0)]
    assert {s["id"] for s in body["never_inspected"]} == {hazards.tower.pk, hazards.tower2.pk, hazards.far_tower.pk}


def test_an_idempotency_key_makes_a_retry_return_the_same_campaign(people, hazards):
    dispatcher = client(people.dispatcher)
    first = post(dispatcher, "/api/v1/campaigns", new(), HTTP_IDEMPOTENCY_KEY="c-1")
    again = post(dispatcher, "/api/v1/campaigns", new(), HTTP_IDEMPOTENCY_KEY="c-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Campaign.objects.count() == 1
    other = post(dispatcher, "/api/v1/campaigns", new(kind="mine"), HTTP_IDEMPOTENCY_KEY="c-1")
    assert other.status_code == 422 and errors(other) == ["Idempotency-Key"]
    assert post(dispatcher, "/api/v1/campaigns", new(), HTTP_IDEMPOTENCY_KEY="c\x00").status_code == 422
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("who,region", [
    # The grid worker and the leader reach 土城, the township's dispatcher 复兴: none opens
    # campaigns there (or, for the dispatcher, anywhere but 复兴).
    ("gridworker", "500229001001"), ("leader", "500229"), ("township_dispatcher", "500229001"),
    ("handler", "500229001"), ("nobody", "500229"),
])
def test_a_campaign_is_opened_only_by_those_who_keep_the_register_there(people, hazards, who, region):
    response = post(client(getattr(people, who)), "/api/v1/campaigns", new(region=region))
    assert response.status_code == 403 and response.json()["detail"]
    assert not Campaign.objects.exists()


BAD = [
    ({"kind": "nope"}, "kind"), ({"kind": 5}, "kind"), ({"region": "999999"}, "region"), ({"region": ""}, "region"),
    ({"title": ""}, "title"), ({"title": "   "}, "title"), ({"title": "x" * 201}, "title"),
    ({"starts_on": "spring"}, "starts_on"), ({"ends_on": "2026-02-30"}, "ends_on"),
    ({"ends_on": day(-10)}, "ends_on"), ({"ends_on": day(-1), "starts_on": day(-3)}, "ends_on"),
    ({"starts_on": day(0), "ends_on": day(400)}, "ends_on"), ({"starts_on": "1999-01-01"}, "starts_on"),
    ({"title": "bad\x00byte"}, "title"),
]


def test_bad_input_names_the_field_and_opens_nothing(people, hazards):
    dispatcher = client(people.dispatcher)
    for change, field in BAD:
        response = post(dispatcher, "/api/v1/campaigns", new(**change))
        assert response.status_code == 422, (change, response.content)
        assert errors(response)[0] == field, (change, response.json())
    for field in ("title", "kind", "region", "starts_on", "ends_on"):
        response = post(dispatcher, "/api/v1/campaigns", {k: v for k, v in new().items() if k != field})
        assert response.status_code == 422 and errors(response) == [field]
    malformed = post(dispatcher, "/api/v1/campaigns", '{"title": "x", ')
    assert malformed.status_code == 400 and errors(malformed) == ["body"]
    assert post(dispatcher, "/api/v1/campaigns", "[]").status_code == 422
    assert not Campaign.objects.exists()


# ---------------------------------------------------------------------------- the list


def test_the_list_shows_the_campaigns_over_or_around_your_regions_and_pages(people, hazards):
    county_wide = opened(people, title="全县高层建筑排查")
    gecheng = opened(people, region="500229001", title="葛城排查")
    fuxing = opened(people, region="500229002", kind="mine", title="复兴矿山排查")
    services.close_campaign(people.dispatcher, fuxing)

    def ids(who, query=""):
        response = client(who).get(f"/api/v1/campaigns?{query}")
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()["items"]]

    assert ids(people.dispatcher) == [fuxing.pk, gecheng.pk, county_wide.pk]
    assert ids(people.gridworker) == [gecheng.pk, county_wide.pk]
    assert ids(people.township_dispatcher) == [fuxing.pk, county_wide.pk]
    assert ids(people.leader) == [fuxing.pk, gecheng.pk, county_wide.pk]
    assert ids(people.nobody) == [] and ids(people.handler) == []
    assert ids(people.dispatcher, "status=closed") == [fuxing.pk]
    assert ids(people.dispatcher, "status=running") == [gecheng.pk, county_wide.pk]
    page = client(people.dispatcher).get("/api/v1/campaigns?limit=2").json()
    assert [c["id"] for c in page["items"]] == [fuxing.pk, gecheng.pk]
    assert ids(people.dispatcher, f"limit=2&cursor={page['next_cursor']}") == [county_wide.pk]
    item = page["items"][0]
    assert (item["title"], item["kind"], item["region_code"], item["status"], item["opened_by"]) == (
        "复兴矿山排查", "mine", "500229002", "closed", "dispatcher")


@pytest.mark.parametrize("query,field", [
    ("status=paused", "status"), ("cursor=0", "cursor"), ("cursor=x", "cursor"), ("limit=0", "limit"),
    ("limit=201", "limit"),
])
def test_bad_list_parameters_name_the_field(people, hazards, query, field):
    response = client(people.dispatcher).get(f"/api/v1/campaigns?{query}")
    assert response.status_code == 422 and errors(response)[0] == field


# ---------------------------------------------------------------------------- coverage and closing


def test_the_coverage_counts_the_sites_inspected_for_it_or_during_it_per_township(people, hazards):
    h = hazards
    campaign = opened(people)
    inspect(people, h.tower, campaign=campaign, key="a")
    inspect(people, h.far_tower, key="b")
    # Before the campaign began: it does not count.
    inspect(people, h.tower2, key="c", now=timezone.now() - timedelta(days=30))
    inspect(people, h.quarry, key="d")
    body = client(people.gridworker).get(f"/api/v1/campaigns/{campaign.pk}").json()
    assert [(r["code"], r["name"], r["owed"], r["inspected"], r["rate"]) for r in body["coverage"]] == [
        ("500229001", "葛城街道", 2, 1, 50.0), ("500229002", "复兴街道", 1, 1, 100.0)]
    assert (body["owed"], body["inspected"], body["rate"]) == (3, 2, 66.7)
    assert [s["id"] for s in body["never_inspected"]] == [h.tower2.pk]
    assert body["never_inspected"][0]["name"] == "滨河花园5号楼" and body["can_close"] is False
    # A site retired is no longer owed.
    services.retire_site(people.dispatcher, h.tower2)
    body = client(people.dispatcher).get(f"/api/v1/campaigns/{campaign.pk}").json()
    assert (body["owed"], body["inspected"], body["never_inspected"], body["can_close"]) == (2, 2, [], True)


def test_a_campaign_is_closed_once_with_the_sites_never_inspected(people, hazards):
    campaign = opened(people)
    inspect(people, hazards.tower, campaign=campaign, key="a")
    dispatcher = client(people.dispatcher)
    response = post(dispatcher, f"/api/v1/campaigns/{campaign.pk}/close")
    assert response.status_code == 200, response.content
    body = response.json()
    campaign.refresh_from_db()
    assert campaign.status == "closed" and campaign.closed_at is not None
    assert (body["status"], body["can_close"]) == ("closed", False) and body["closed_at"]
    assert {s["id"] for s in body["never_inspected"]} == {hazards.tower2.pk, hazards.far_tower.pk}
    again = post(dispatcher, f"/api/v1/campaigns/{campaign.pk}/close")
    assert again.status_code == 409 and again.json()["detail"]
    # An inspection for a closed campaign is refused.
    refused = services.NewInspection(site=hazards.tower2.pk, signed_as="检查员", campaign=campaign.pk,
                                     answers=[services.Answer(n, "pass") for n in (1, 2, 3)])
    with pytest.raises(services.CaseError):
        services.submit_inspection(people.dispatcher, refused, idempotency_key="late")


@pytest.mark.parametrize("who", ["gridworker", "leader", "township_dispatcher"])
def test_a_campaign_is_closed_only_by_those_who_keep_the_register_over_its_region(people, hazards, who):
    # Each sees the county's campaign (their regions lie in it) but does not keep its register.
    campaign = opened(people)
    before = campaigns()
    user = client(getattr(people, who))
    assert user.get(f"/api/v1/campaigns/{campaign.pk}").status_code == 200
    response = post(user, f"/api/v1/campaigns/{campaign.pk}/close")
    assert response.status_code == 403 and response.json()["detail"]
    assert campaigns() == before


@pytest.mark.parametrize("method,path", [("GET", ""), ("POST", "/close")])
def test_a_campaign_out_of_sight_is_404_and_so_is_a_missing_one(people, hazards, method, path):
    campaign = opened(people, region="500229001")
    before = campaigns()
    for who in (people.township_dispatcher, people.handler, people.nobody, hazards.housing_handler):
        response = client(who).generic(method, f"/api/v1/campaigns/{campaign.pk}{path}")
        assert response.status_code == 404 and response.json()["detail"] == "未找到。"
    for missing in ("999999", "99999999999999999999"):
        assert client(people.dispatcher).generic(method, f"/api/v1/campaigns/{missing}{path}").status_code == 404
    assert campaigns() == before
