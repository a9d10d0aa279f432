"""The workbench home page (counters per persona and scope) and the filtered case list."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from anju.cases import services as s
from anju.cases.models import Case
from anju.cases.tests.test_membership import (
    member_of_fuxing_with_gecheng_in_hand,
    wrongdoing_of_fuxing_handled_by_gecheng,
)
from anju.conftest import at
from anju.lib import tracking
from anju.web.views import workbench

HOME = "/work/"
LIST = "/work/cases/"
FUXING = {"lat": 31.955, "lng": 108.705}


def set_due(case, delta):
    """Move the running deadline relative to the wall clock; hours of margin either side."""
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() + delta)


def tiles(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return {tile["key"]: tile for tile in response.context["tiles"]}


def listed(client, user, query=""):
    client.force_login(user)
    response = client.get(f"{LIST}?{query}" if query else LIST)
    assert response.status_code == 200, response.content[:500]
    return [case.pk for case in response.context["page"].object_list]


def dispatched(new_case, people, **fields):
    case = new_case(**fields)
    s.accept_case(people.dispatcher, case)
    return s.dispatch_case(people.dispatcher, case)


# ---------------------------------------------------------------------------- access


def test_it_sends_staff_to_the_workbench_and_everyone_else_to_the_report_page(client, people):
    assert client.get("/").url == reverse("web:report")
    client.force_login(people.nobody)
    assert client.get("/").url == reverse("web:report")
    client.force_login(people.handler)
    assert client.get("/").url == reverse("web:home")


@pytest.mark.parametrize("url", [HOME, LIST, LIST + "?status=bogus"])
def test_it_sends_anonymous_visitors_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/work/")


@pytest.mark.parametrize("url", [HOME, LIST])
def test_it_is_not_found_for_a_user_without_roles(client, people, url):
    client.force_login(people.nobody)
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------- home counters


def test_it_counts_the_handlers_own_office_only(client, people, new_case):
    mine = [dispatched(new_case, people), dispatched(new_case, people)]
    s.start_case(people.handler, mine[1])
    dispatched(new_case, people, **FUXING)
    new_case()  # submitted: still with the service centre

    handler = tiles(client, people.handler)
    assert handler["mine"]["count"] == 2
    assert "unaccepted" not in handler and "returned" not in handler
    assert tiles(client, people.other_handler)["mine"]["count"] == 1
    assert tiles(client, people.transport_handler)["mine"]["count"] == 0


@pytest.mark.parametrize("membership", ["office role", "township role", "village role"])
def test_a_report_of_wrongdoing_about_an_office_is_never_among_the_cases_in_hand_of_its_members(
        client, people, county, new_case, membership):
    case = wrongdoing_of_fuxing_handled_by_gecheng(people, new_case)
    handler = member_of_fuxing_with_gecheng_in_hand(county, membership)
    assert not workbench.my_cases(handler).filter(pk=case.pk).exists()
    assert tiles(client, handler)["mine"]["count"] == 0
    assert listed(client, handler, "view=mine") == []
    assert listed(client, people.handler, "view=mine") == [case.pk]


def test_it_shows_dispatchers_the_unaccepted_queue_and_returned_cases(client, people, new_case):
    new_case()
    new_case(**FUXING)
    new_case(**FUXING)
    sent_back = dispatched(new_case, people)
    s.return_case(people.handler, sent_back, reason="不属于本单位职责")
    dispatched(new_case, people)

    dispatcher = tiles(client, people.dispatcher)
    assert dispatcher["unaccepted"]["count"] == 3
    assert dispatcher["returned"]["count"] == 1
    # The returned case is accepted and with the centre again, waiting to be dispatched.
    assert dispatcher["mine"]["count"] == 1
    assert tiles(client, people.handler)["mine"]["count"] == 1


def test_it_limits_a_township_dispatcher_to_their_township(client, people, new_case):
    new_case()
    new_case()
    in_fuxing = new_case(**FUXING)

    township = tiles(client, people.township_dispatcher)
    assert township["unaccepted"]["count"] == 1
    assert listed(client, people.township_dispatcher, township["unaccepted"]["query"]) == [in_fuxing.pk]


def test_it_counts_due_soon_and_overdue_in_the_users_scope(client, people, new_case):
    soon, late, later = (dispatched(new_case, people) for _ in range(3))
    elsewhere = dispatched(new_case, people, **FUXING)
    set_due(soon, timedelta(hours=5))
    set_due(late, -timedelta(hours=5))
    set_due(later, timedelta(days=10))
    set_due(elsewhere, -timedelta(days=2))

    handler = tiles(client, people.handler)
    assert (handler["due_soon"]["count"], handler["overdue"]["count"]) == (1, 1)
    supervisor = tiles(client, people.supervisor)
    assert (supervisor["due_soon"]["count"], supervisor["overdue"]["count"]) == (1, 2)


def test_every_tile_links_to_a_list_of_exactly_its_cases(client, people, new_case):
    new_case()
    sent_back = dispatched(new_case, people)
    s.return_case(people.handler, sent_back, reason="错派")
    soon, late = dispatched(new_case, people), dispatched(new_case, people, **FUXING)
    set_due(soon, timedelta(hours=3))
    set_due(late, -timedelta(hours=3))

    for tile in tiles(client, people.dispatcher).values():
        assert tile["url"].startswith(LIST + "?")
        assert len(listed(client, people.dispatcher, tile["query"])) == tile["count"] > 0, tile["key"]


def test_it_lists_the_most_urgent_cases_first(client, people, new_case):
    first, second, third = (dispatched(new_case, people) for _ in range(3))
    set_due(first, -timedelta(days=3))
    set_due(second, timedelta(hours=2))
    set_due(third, timedelta(days=5))
    closed = new_case()
    s.reject_case(people.dispatcher, closed, reply="不属于受理范围")

    client.force_login(people.handler)
    response = client.get(HOME)
    assert [case.pk for case in response.context["urgent"]] == [first.pk, second.pk, third.pk]
    body = response.content.decode()
    assert tracking.display(first.tracking_code) in body
    assert 'class="badge badge-dispatched"' in body


def test_it_shows_an_empty_workbench_without_cases(client, people):
    client.force_login(people.leader)
    response = client.get(HOME)
    assert response.status_code == 200
    assert all(tile["count"] == 0 for tile in response.context["tiles"])
    assert response.context["urgent"] == []


# ---------------------------------------------------------------------------- case list


@pytest.fixture
def variety(new_case, people, county):
    """Cases of different kinds, categories, places, offices and deadlines."""
    c = {}
    c["light"] = dispatched(new_case, people, text="路灯不亮", address="滨河路12号")
    c["road"] = dispatched(new_case, people, category_code="urban.road", text="路面塌陷", kind="report")
    c["noise"] = new_case(category_code="env.noise", text="夜间施工噪声", kind="help", **FUXING)
    c["started"] = dispatched(new_case, people, text="井盖丢失", address="土城街5号")
    s.start_case(people.handler, c["started"])
    c["closed"] = new_case(text="重复反映")
    s.reject_case(people.dispatcher, c["closed"], reply="已答复")
    set_due(c["light"], timedelta(hours=5))
    set_due(c["road"], timedelta(days=2))
    set_due(c["noise"], -timedelta(hours=5))
    set_due(c["started"], timedelta(days=10))
    return c


def ids(variety, *names):
    return {variety[name].pk for name in names}


@pytest.mark.parametrize("query, expected", [
    ("", ["light", "road", "noise", "started", "closed"]),
    ("status=dispatched", ["light", "road"]),
    ("status=open", ["light", "road", "noise", "started"]),
    ("status=closed", ["closed"]),
    ("kind=report", ["road"]),
    ("kind=help", ["noise"]),
    ("due=24h", ["light"]),
    ("due=3d", ["light", "road"]),
    ("overdue=yes", ["noise"]),
    ("overdue=no", ["light", "road", "started", "closed"]),
    ("view=unaccepted", ["noise"]),
    ("view=mine", []),
    ("q=路灯", ["light"]),
    ("q=土城街", ["started"]),
    ("q=没有这样的事", []),
    ("status=open&overdue=no&kind=complaint", ["light", "started"]),
])
def test_each_filter_narrows_the_list(client, people, variety, query, expected):
    assert set(listed(client, people.dispatcher, query)) == ids(variety, *expected)


def test_it_filters_by_category_subtree_township_and_office(client, people, variety, county):
    def by(query):
        return set(listed(client, people.dispatcher, query))

    assert by(f"category={county.urban.pk}") == ids(variety, "light", "road", "started", "closed")
    assert by(f"category={county.road.pk}") == ids(variety, "road")
    assert by(f"township={county.fuxing.pk}") == ids(variety, "noise")
    assert by(f"township={county.gecheng.pk}") == ids(variety, "light", "road", "started", "closed")
    assert by(f"office={county.transport.pk}") == ids(variety, "road")
    assert by(f"office={county.gecheng_office.pk}") == ids(variety, "light", "started")


def test_it_finds_a_case_by_its_tracking_code_as_people_type_it(client, people, variety):
    code = tracking.display(variety["road"].tracking_code).lower()
    assert listed(client, people.dispatcher, f"q={code}") == [variety["road"].pk]


def test_the_handlers_list_stays_in_their_scope(client, people, variety, county):
    assert set(listed(client, people.handler)) == ids(variety, "light", "started")
    assert set(listed(client, people.handler, "view=mine")) == ids(variety, "light", "started")
    assert listed(client, people.handler, f"office={county.transport.pk}") == []


def test_it_offers_only_the_townships_in_the_users_scope(client, people, county):
    client.force_login(people.township_dispatcher)
    response = client.get(LIST)
    assert list(response.context["form"].fields["township"].queryset) == [county.fuxing]
    refused = client.get(f"{LIST}?township={county.gecheng.pk}")
    assert refused.status_code == 400
    assert "township" in refused.context["form"].errors
    client.force_login(people.gridworker)
    assert list(client.get(LIST).context["form"].fields["township"].queryset) == [county.gecheng]


def test_it_sorts_by_the_column_asked_for(client, people, new_case, county):
    cases = [dispatched(new_case, people, now=at(2026, 9, day, 10)) for day in (7, 3, 9)]
    for case, hours in zip(cases, (30, 10, 20), strict=True):
        set_due(case, timedelta(hours=hours))
    Case.objects.filter(pk=cases[1].pk).update(updated_at=timezone.now() + timedelta(minutes=5))

    def order(sort):
        return listed(client, people.dispatcher, f"sort={sort}")

    newest, middle, oldest = cases[2].pk, cases[0].pk, cases[1].pk
    assert order("-submitted") == [newest, middle, oldest]
    assert listed(client, people.dispatcher) == [newest, middle, oldest]
    assert order("submitted") == [oldest, middle, newest]
    assert order("due") == [cases[1].pk, cases[2].pk, cases[0].pk]
    assert order("-due") == [cases[0].pk, cases[2].pk, cases[1].pk]
    assert order("-updated")[0] == cases[1].pk


def test_the_column_headers_toggle_the_sort_and_keep_the_filters(client, people, variety):
    client.force_login(people.dispatcher)
    response = client.get(f"{LIST}?status=open&sort=due")
    columns = response.context["columns"]
    assert columns["due"] == {"url": "?status=open&sort=-due", "state": "ascending"}
    assert columns["submitted"] == {"url": "?status=open&sort=-submitted", "state": "none"}
    body = response.content.decode()
    assert 'aria-sort="ascending"' in body
    assert 'href="?status=open&amp;sort=-due"' in body


def test_it_pages_the_list(client, people, new_case, monkeypatch):
    monkeypatch.setattr(workbench, "PAGE_SIZE", 2)
    made = [new_case() for _ in range(5)]
    newest_first = [case.pk for case in reversed(made)]

    assert listed(client, people.dispatcher) == newest_first[:2]
    assert listed(client, people.dispatcher, "page=2") == newest_first[2:4]
    assert listed(client, people.dispatcher, "page=3") == newest_first[4:]
    # Past the end: the last page.
    assert listed(client, people.dispatcher, "page=99") == newest_first[4:]
    body = client.get(f"{LIST}?status=submitted&page=2").content.decode()
    assert 'href="?status=submitted&amp;page=3"' in body and 'rel="next"' in body and 'rel="prev"' in body
    assert 'aria-current="page">2<' in body


def test_it_caps_the_count_of_very_long_lists(client, people, new_case, monkeypatch):
    monkeypatch.setattr(workbench, "COUNT_CAP", 3)
    monkeypatch.setattr(workbench, "PAGE_SIZE", 2)
    for _ in range(5):
        new_case()
    client.force_login(people.dispatcher)
    response = client.get(LIST)
    assert response.context["paginator"].capped
    assert response.context["paginator"].num_pages == 2


@pytest.mark.parametrize("query, field", [
    ("status=bogus", "status"),
    ("kind=nonsense", "kind"),
    ("category=999999", "category"),
    ("category=abc", "category"),
    ("office=999999", "office"),
    ("township=1'%20OR%201=1", "township"),
    ("due=tomorrow", "due"),
    ("overdue=maybe", "overdue"),
    ("view=everything", "view"),
    ("view=returned", "view"),  # a handler has no returned-cases view
    ("sort=tracking_code", "sort"),
    ("page=abc", "page"),
    ("page=0", "page"),
    ("q=" + "长" * 101, "q"),
])
def test_bad_filter_input_names_the_field_and_never_fails(client, people, variety, query, field):
    client.force_login(people.handler)
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert response.context["page"] is None
    body = response.content.decode()
    if field not in ("sort", "page"):
        assert f'id="id_{field}_error"' in body  # the error stands next to its field
    assert "case-table" not in body


def test_it_says_so_when_nothing_matches(client, people, variety):
    client.force_login(people.dispatcher)
    body = client.get(f"{LIST}?q=不存在的内容").content.decode()
    assert "empty-state" in body
    assert "case-table" not in body


def test_the_list_shows_the_columns_of_a_case(client, people, variety):
    client.force_login(people.dispatcher)
    body = client.get(f"{LIST}?kind=report").content.decode()
    road = variety["road"]
    assert reverse("web:case_detail", args=[road.pk]) in body
    assert tracking.display(road.tracking_code) in body
    assert "道路破损" in body and "县交通局" in body and "葛城街道" in body and "土城第1网格" in body
    assert 'class="due' in body


def test_the_list_never_shows_reporters(client, people, variety):
    client.force_login(people.dispatcher)
    body = client.get(LIST).content.decode()
    assert "13800001234" not in body and "张三" not in body
