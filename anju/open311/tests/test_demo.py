"""The demo's Open311 seed: the published demo key works, and running it again changes nothing."""

from anju.open311.demo import DEMO_KEY, seed_demo
from anju.open311.models import Application, ServiceAttribute
from anju.open311.tests.conftest import BASE, post, spec_example


def test_the_seed_is_idempotent_and_its_key_posts(english, county):
    seed_demo()
    seed_demo()
    assert Application.objects.count() == 1
    [attribute] = ServiceAttribute.objects.all()
    assert attribute.category.code == "urban.road" and attribute.description == "路面类型"
    definition = english.get(f"{BASE}/services/urban.road.json").json()
    assert [v["key"] for v in definition["attributes"][0]["values"]] == ["asphalt", "concrete", "gravel", "other"]
    body = spec_example({"api_key": DEMO_KEY, "attribute[SURFACE]": "gravel"}, drop=["attribute[DAMAGE][]"])
    assert post(english, "json", body).status_code == 200


def test_the_seed_leaves_a_revoked_demo_key_revoked(county):
    seed_demo()
    Application.objects.update(revoked_at="2026-11-01T00:00:00+08:00")
    seed_demo()
    assert not Application.objects.get().is_active


def test_the_seed_needs_no_demo_category(db):
    seed_demo()
    assert Application.objects.count() == 1 and ServiceAttribute.objects.count() == 0
