"""The public map of open cases: only listed cases, each located only as precisely as its category
allows, and nothing that points at a person: no reporter, no tracking code, no text, no notes."""

import pytest
from django.test import Client
from django.urls import reverse

from anju.cases import services as s
from anju.cases.choices import LocationPrecision
from anju.cases.models import Case, Category
from anju.conftest import at
from anju.petitions.tests import flow as petition_flow
from anju.publicstats import views

GEOJSON = reverse("publicstats:cases_geojson")
MAP = reverse("publicstats:map")
NOTE = "内部备注：已电话联系反映人"


@pytest.fixture
def public(county):
    """路灯 exact, 道路 approximate, 噪声 grid centre, 异味 township only; 城乡建设 (the parent) and
    内部分类 hidden. 葛城 has a centre point, 复兴 has none."""
    for category, precision in ((county.light, LocationPrecision.EXACT), (county.road, LocationPrecision.APPROXIMATE),
                                (county.noise, LocationPrecision.GRID)):
        category.public_location = precision
        category.save()
    county.smell = Category.objects.create(code="env.smell", name="异味", public_location=LocationPrecision.TOWNSHIP)
    county.secret = Category.objects.create(code="env.secret", name="内部分类")
    county.gecheng.lat, county.gecheng.lng = 31.93, 108.63
    county.gecheng.save()
    return county


def features(client=None, **params) -> list[dict]:
    response = (client or Client()).get(GEOJSON, params)
    assert response.status_code == 200, response.content
    return response.json()["features"]


def by_category(found: list[dict]) -> dict[str, dict]:
    return {f["properties"]["category"]: f for f in found}


@pytest.fixture
def mapped(public, new_case, people):
    """One open, accepted case per precision in 葛城, and cases that must never be shown (accepted
    too, so that each is left out for its own reason)."""
    d = people.dispatcher
    made = {
        "exact": new_case(lat=31.90734, lng=108.60281, now=at(2026, 6, 1, 9)),
        "approximate": new_case(category_code="urban.road", lat=31.90567, lng=108.61789, now=at(2026, 6, 2, 9)),
        "grid": new_case(category_code="env.noise", lat=31.90123, lng=108.61987, now=at(2026, 6, 3, 9)),
        "township": new_case(category_code="env.smell", lat=31.90444, lng=108.60444, now=at(2026, 6, 4, 23, 30)),
    }
    for key, case in made.items():
        made[key] = s.accept_case(d, case, note=NOTE)
    s.dispatch_case(d, made["exact"], note=NOTE)
    never = [
        new_case(confidential=True, text="机密：投诉邻居"),
        new_case(category_code="env.secret"),
        new_case(category_code="urban"),
        new_case(kind="report"),
        new_case(kind="petition"),
        new_case(about_office_code="gc"),
        new_case(category_code="env.smell", lat=31.955, lng=108.705),  # 复兴 has no point to show
    ]
    never = [petition_flow.accept(people, case) for case in never]
    # Nothing is shown before a person has accepted it.
    never.append(new_case(text="还没有受理的路灯"))
    closed = s.reject_case(d, new_case(), reply="不属于受理范围")
    merged = s.merge_case(d, new_case(text="滨河路又一处路灯坏了"), into=made["grid"], note=NOTE)
    return {"made": made, "never": never + [closed, merged]}


def test_it_shows_each_listed_case_as_precisely_as_its_category_allows(client, mapped, county):
    found = by_category(features(client))
    assert set(found) == {"路灯故障", "道路破损", "噪声扰民", "异味"}
    assert found["路灯故障"]["geometry"] == {"type": "Point", "coordinates": [108.60281, 31.90734]}
    assert found["道路破损"]["geometry"]["coordinates"] == [108.618, 31.906]
    assert found["噪声扰民"]["geometry"]["coordinates"] == [county.grid2.lng, county.grid2.lat]
    assert found["异味"]["geometry"]["coordinates"] == [108.63, 31.93]


def test_each_pin_says_only_topic_status_day_and_township(client, mapped):
    found = by_category(features(client))
    assert found["路灯故障"]["properties"] == {
        "category": "路灯故障", "status": "dispatched", "status_label": "已派单", "submitted": "2026-06-01",
        "township": "葛城街道", "precision": "exact",
    }
    # Submitted at 23:30 in Shanghai (15:30 UTC): the day is Shanghai's.
    assert found["异味"]["properties"]["submitted"] == "2026-06-04"
    for feature in found.values():
        assert set(feature) == {"type", "geometry", "properties"}


def test_it_never_shows_a_personal_detail_a_tracking_code_a_text_or_a_note(client, mapped):
    body = client.get(GEOJSON).content.decode() + client.get(MAP).content.decode()
    for case in Case.objects.all():
        assert case.tracking_code not in body
        assert case.text not in body
    for secret in ("张三", "13800001234", "张*", "1234", NOTE, "机密", "投诉邻居"):
        assert secret not in body


def test_it_leaves_out_confidential_hidden_closed_and_merged_cases(client, mapped):
    assert len(features(client)) == len(mapped["made"])


def test_it_filters_by_category_and_the_categories_under_it(client, mapped):
    assert set(by_category(features(client, category="urban.road"))) == {"道路破损"}
    # 城乡建设 itself is hidden, but the shown categories under it are not.
    assert set(by_category(features(client, category="urban"))) == {"路灯故障", "道路破损"}
    assert features(client, category="env.secret") == []


def test_an_unknown_category_is_400_in_the_api_error_shape(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(GEOJSON, {"category": "nope"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Unknown or inactive category.",
                               "errors": [{"field": "category", "message": "Unknown or inactive category."}]}


def test_newest_first_and_at_most_the_limit(client, mapped, monkeypatch):
    """The newest listed case (异味 in 复兴, which has no point to show) takes no place in the limit."""
    monkeypatch.setattr(views, "MAX_FEATURES", 2)
    body = client.get(GEOJSON).json()
    assert [f["properties"]["category"] for f in body["features"]] == ["异味", "噪声扰民"]
    assert (body["total"], body["truncated"]) == (5, True)
    monkeypatch.setattr(views, "MAX_FEATURES", 4)
    assert client.get(GEOJSON).json()["truncated"] is False


def test_it_costs_the_same_few_queries_for_many_cases(client, public, new_case, people,
                                                      django_assert_max_num_queries):
    for _ in range(12):
        s.accept_case(people.dispatcher, new_case(category_code="env.smell"))
    with django_assert_max_num_queries(4):
        assert len(features(client)) == 12


def test_browsers_and_proxies_may_keep_it_for_five_minutes(client, mapped):
    response = client.get(GEOJSON)
    assert response["Content-Type"].startswith("application/geo+json")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]


def test_the_map_page_offers_the_shown_categories_and_the_outlines(mapped):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(MAP)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="urban.road"' in page and 'value="env.smell"' in page
    assert 'value="env.secret"' not in page and 'value="urban"' not in page
    assert reverse("web:map_grids") in page
    assert "vendor/leaflet/leaflet.js" in page


def test_the_map_page_passes_the_chosen_category_to_the_pins(mapped):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(MAP, {"category": "urban.road"}).content.decode()
    assert f"{GEOJSON}?category=urban.road" in page


def test_the_map_page_refuses_an_unknown_category(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(MAP, {"category": "nope"})
    assert response.status_code == 400
    assert "Unknown or inactive category." in response.content.decode()
