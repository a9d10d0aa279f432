"""Routing precedence: the deepest category first, then the deepest region."""

from anju.cases.models import Category, RoutingRule
from anju.cases.services import route
from anju.people.models import Office


def test_a_township_rule_covers_every_category_there(new_case, county):
    assert route(new_case(category_code="env.noise")) == (county.gecheng_office, "territorial")


def test_a_sector_rule_on_a_category_wins_over_the_township(new_case, county):
    assert route(new_case(category_code="urban.road")) == (county.transport, "sector")


def test_a_rule_on_a_parent_category_covers_its_children(new_case, county):
    housing = Office.objects.create(code="zjw", name="县住房城乡建委", kind="department", jurisdiction=county.county)
    RoutingRule.objects.create(category=county.urban, region=county.county, office=housing, basis="sector")
    assert route(new_case(category_code="urban.light")) == (housing, "sector")
    # …but the rule on the child category (roads → transport) is deeper and still wins.
    assert route(new_case(category_code="urban.road")) == (county.transport, "sector")


def test_with_equal_categories_the_deeper_region_wins(new_case, county):
    urban_mgmt = Office.objects.create(code="cgj", name="县城市管理局", kind="department", jurisdiction=county.county)
    RoutingRule.objects.create(category=county.road, region=county.gecheng, office=urban_mgmt, basis="sector")
    assert route(new_case(category_code="urban.road")) == (urban_mgmt, "sector")
    # In 复兴 the county-wide rule still applies.
    assert route(new_case(category_code="urban.road", lat=31.955, lng=108.705)) == (county.transport, "sector")


def test_an_inactive_office_is_never_routed_to(new_case, county):
    Office.objects.filter(pk=county.transport.pk).update(is_active=False)
    assert route(new_case(category_code="urban.road")) == (county.gecheng_office, "territorial")


def test_no_rule_means_no_route(new_case, county):
    RoutingRule.objects.all().delete()
    orphan = Category.objects.create(code="misc", name="其他")
    assert route(new_case(category_code=orphan.code)) is None
