"""The petitions workbench: what waits for me (to route, to accept, in my body's hand, extension
requests, petitions I am in charge of, reviews), each with its statutory limit in words and its
article; the list of the petitions I may see with its filters, search and pages; the navigation.
The search reads the matter and the tracking code, never who petitioned, and the body a
petition is about never sees who petitioned anywhere here."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from anju.lib.tracking import display
from anju.petitions import services
from anju.petitions.tests import flow
from anju.petitions.tests.test_pages_detail import NAMES, page_client, petition_in
from anju.petitions.views import petitions as views
from anju.web.tests.conftest import english_client

URL = "/work/petitions/"


@pytest.fixture
def as_persona(people, petitions):
    return lambda who: page_client(people, petitions, who)


@pytest.fixture
def petition(people, petitions):
    return lambda state, **kwargs: petition_in(people, petitions, state, **kwargs)


def section(html: str, heading_id: str) -> str:
    assert f'id="{heading_id}"' in html, heading_id
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def listed(html: str) -> str:
    return html.split('id="petition-list"', 1)[1]


def codes_in(html: str, cases: dict) -> set[str]:
    return {name for name, case in cases.items() if display(case.tracking_code) in html}


def test_it_sends_anonymous_visitors_to_sign_in_and_refuses_users_without_a_role(people, petitions):
    response = english_client().get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert page_client(people, petitions, "nobody").get(URL).status_code == 404


# ---------------------------------------------------------------------------- what waits for me


def test_the_petition_office_sees_what_waits_to_be_routed_with_fifteen_days(petition, as_persona):
    cases = {"registered": petition("registered"), "routed": petition("routed")}
    html = as_persona("clerk").get(URL).content.decode()
    waiting = section(html, "to-route-title")
    assert codes_in(waiting, cases) == {"registered"}
    assert "第二十二条" in waiting and ("14 days left" in waiting or "15 days left" in waiting)
    # A body's users do not route.
    assert 'id="to-route-title"' not in as_persona("handler").get(URL).content.decode()


def test_the_body_sees_what_was_routed_to_it_with_both_limits(petition, as_persona):
    cases = {"registered": petition("registered"), "routed": petition("routed"), "accepted": petition("accepted")}
    html = as_persona("handler").get(URL).content.decode()
    waiting = section(html, "to-accept-title")
    assert codes_in(waiting, cases) == {"routed"}
    # Fifteen days to say whether it is accepted, five working days to object: both with 第二十三条.
    assert "Tell the petitioner whether it is accepted by" in waiting and "Object that it is not within" in waiting
    row = waiting.split('class="due-list"', 1)[1]
    assert row.count("第二十三条") == 2 and "working days left" in row
    # 复兴's handler has nothing routed to it.
    assert codes_in(as_persona("other_handler").get(URL).content.decode(), cases) == set()


def test_the_body_sees_what_it_has_in_hand_soonest_answer_first(petition, as_persona, people):
    later = petition("accepted")
    sooner = flow.accepted(people, now=timezone.now() - timedelta(days=10))
    routed = petition("routed")
    html = as_persona("handler").get(URL).content.decode()
    in_hand = section(html, "in-hand-title")
    assert codes_in(in_hand, {"later": later, "sooner": sooner, "routed": routed}) == {"later", "sooner"}
    assert in_hand.index(display(sooner.tracking_code)) < in_hand.index(display(later.tracking_code))
    assert "Answer in writing by" in in_hand and "第三十四条" in in_hand
    assert "50 days left" in in_hand or "49 days left" in in_hand


def test_supervisors_see_the_extension_requests_waiting(petition, as_persona):
    cases = {"pending": petition("pending_extension"), "accepted": petition("accepted")}
    html = as_persona("supervisor").get(URL).content.decode()
    waiting = section(html, "extensions-title")
    assert codes_in(waiting, cases) == {"pending"} and "Asks for 10 more days: 需要现场复核测量" in waiting
    assert 'id="extensions-title"' not in as_persona("handler").get(URL).content.decode()


def test_leaders_see_the_petitions_they_are_in_charge_of(petition, as_persona, people, petitions):
    mine, theirs, other = petition("accepted"), petition("accepted"), petition("accepted")
    services.assign_leader(people.leader, mine, leader_id=people.leader.pk)
    services.assign_leader(people.supervisor, theirs, leader_id=petitions.township_leader.pk)
    html = as_persona("leader").get(URL).content.decode()
    assert codes_in(section(html, "leader-title"), {"mine": mine, "theirs": theirs, "other": other}) == {"mine"}
    html = as_persona("township_leader").get(URL).content.decode()
    assert codes_in(section(html, "leader-title"), {"mine": mine, "theirs": theirs, "other": other}) == {"theirs"}
    assert 'id="leader-title"' not in as_persona("dispatcher").get(URL).content.decode()


def test_reviews_and_re_examinations_wait_for_those_who_route_and_answer_them(petition, as_persona, people):
    review = petition("review")
    original = review.petition.parent.case
    cases = {"review": review, "original": original}
    waiting = section(as_persona("county_handler").get(URL).content.decode(), "reviews-title")
    assert codes_in(waiting, cases) == {"review"} and "第三十五条" in waiting and "Review (复查)" in waiting
    # The petition office may route it on: it waits there too; the first body does not see it.
    assert codes_in(section(as_persona("dispatcher").get(URL).content.decode(), "reviews-title"), cases) == {
        "review"}
    assert codes_in(section(as_persona("handler").get(URL).content.decode(), "reviews-title"), cases) == set()


@pytest.mark.parametrize(("persona", "present"), [
    ("clerk", {"to-route", "reviews"}),
    ("handler", {"to-accept", "in-hand", "reviews"}),
    ("supervisor", {"extensions"}),
    ("township_supervisor", {"extensions"}),
    ("leader", {"leader"}),
    ("admin", {"to-route", "extensions", "leader", "reviews"}),
    ("gridworker", set()),
])
def test_each_sees_the_sections_of_their_own_work(as_persona, persona, present):
    html = as_persona(persona).get(URL).content.decode()
    sections = {"to-route", "to-accept", "in-hand", "extensions", "leader", "reviews"}
    assert {name for name in sections if f'id="{name}-title"' in html} == present


def test_it_links_registering_for_the_petition_office_only(as_persona):
    assert 'href="/work/petitions/new/"' in as_persona("clerk").get(URL).content.decode()
    assert 'href="/work/petitions/new/"' not in as_persona("handler").get(URL).content.decode()
    assert 'href="/work/petitions/new/"' not in as_persona("leader").get(URL).content.decode()


# ---------------------------------------------------------------------------- the list


def test_it_lists_only_the_petitions_the_user_may_see_with_the_running_limit(petition, as_persona, new_case):
    case = petition("routed")
    complaint = new_case()
    html = listed(as_persona("dispatcher").get(URL).content.decode())
    assert display(case.tracking_code) in html and display(complaint.tracking_code) not in html
    assert "1 petition" in html and "第二十三条" in html and "days left" in html
    assert display(case.tracking_code) not in as_persona("other_handler").get(URL).content.decode()


def test_an_overdue_petition_says_so_in_words(as_persona, people, petitions):
    case = flow.register(people, now=timezone.now() - timedelta(days=20))
    row = listed(as_persona("clerk").get(URL).content.decode()).split(display(case.tracking_code), 1)[1]
    row = row.split("</tr>", 1)[0]
    assert "Overdue by 4 days" in row or "Overdue by 5 days" in row
    assert "第二十二条" in row and "due-overdue" in row


@pytest.mark.parametrize(("query", "shown"), [
    ("status=submitted", {"registered", "routed", "wrongdoing", "review"}),
    ("status=in_progress", {"accepted"}),
    ("status=open", {"registered", "routed", "accepted", "answered", "wrongdoing", "review"}),
    ("status=resolved", {"answered"}),
    ("level=review", {"review"}),
    ("level=original", {"registered", "routed", "accepted", "answered", "wrongdoing"}),
    ("category=petition.conduct", {"wrongdoing"}),
    ("category=petition", {"registered", "routed", "accepted", "answered", "wrongdoing", "review"}),
    ("township=GECHENG", {"registered", "routed", "accepted", "answered", "wrongdoing", "review"}),
    ("township=FUXING", set()),
    ("office=gc", {"routed", "accepted", "answered"}),
    ("office=xzf", {"review"}),
    ("overdue=yes", set()),
    ("overdue=no", {"registered", "routed", "accepted", "answered", "wrongdoing", "review"}),
    ("leader=LEADER", {"accepted"}),
    ("q=宅基地", {"wrongdoing"}),
    ("q=CODE", {"routed"}),
])
def test_it_filters_the_list(petition, as_persona, people, county, query, shown):
    review = petition("review")
    cases = {
        "registered": petition("registered"), "routed": petition("routed"), "accepted": petition("accepted"),
        "answered": review.petition.parent.case, "review": review,
        "wrongdoing": petition("registered", category="petition.conduct", about="gc", wrongdoing=True,
                               text="村干部违规分配宅基地"),
    }
    services.assign_leader(people.leader, cases["accepted"], leader_id=people.leader.pk)
    query = (query.replace("GECHENG", str(county.gecheng.pk)).replace("FUXING", str(county.fuxing.pk))
             .replace("LEADER", str(people.leader.pk)).replace("CODE", cases["routed"].tracking_code.lower()))
    response = as_persona("dispatcher").get(f"{URL}?{query}")
    assert response.status_code == 200
    assert codes_in(listed(response.content.decode()), cases) == shown


def test_the_search_never_finds_a_petition_by_who_petitioned(petition, as_persona):
    case = petition("routed", text="王秀英反映：征地补偿款至今未足额发放，电话13800005678",
                    request="赵德明请求足额发放")
    client = as_persona("dispatcher")
    assert display(case.tracking_code) in listed(client.get(f"{URL}?q=征地补偿款").content.decode())
    for words in ("王秀英", "赵德明", "13800005678", "5678", "土城社区5组8号", "王"):
        html = listed(client.get(f"{URL}?q={words}").content.decode())
        assert display(case.tracking_code) not in html and "0 petitions" in html, words


def test_it_pages_the_list(people, petitions, as_persona, monkeypatch):
    assert views.PAGE_SIZE == 50
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    cases = [flow.register(people, now=None) for _ in range(3)]
    client = as_persona("dispatcher")
    first = listed(client.get(URL).content.decode())
    second = listed(client.get(f"{URL}?page=2").content.decode())
    # Newest first: two on the first page, the oldest on the second.
    assert display(cases[0].tracking_code) not in first and display(cases[0].tracking_code) in second
    assert all(display(c.tracking_code) in first for c in cases[1:])
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_page_costs_no_query_per_petition(people, petitions, as_persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(who):
        client = as_persona(who)
        client.get(URL)  # sessions and caches settle on the first request
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    for state in ("registered", "routed", "accepted", "pending_extension"):
        petition_in(people, petitions, state)
    before = {who: queries_for(who) for who in ("dispatcher", "handler", "supervisor")}
    for state in ("registered", "routed", "accepted", "pending_extension") * 2:
        petition_in(people, petitions, state)
    assert {who: queries_for(who) for who in before} == before


def test_it_refuses_a_filter_it_does_not_understand_rather_than_ignoring_it(as_persona):
    response = as_persona("dispatcher").get(f"{URL}?level=supreme&page=0")
    assert response.status_code == 400
    assert "Correct the filters marked above to see the list." in response.content.decode()


# ---------------------------------------------------------------------------- the body complained about


@pytest.mark.parametrize("who", ["handler", "township_leader", "township_supervisor"])
def test_the_body_complained_about_never_sees_who_petitioned_nor_a_report_of_wrongdoing(petition, as_persona,
                                                                                       people, petitions, who):
    about = {"routed": petition("routed", about="gc"), "accepted": petition("accepted", about="gc")}
    services.request_petition_extension(people.handler, about["accepted"], days=5, reason="需要核对账目")
    services.assign_leader(people.supervisor, about["accepted"], leader_id=people.leader.pk)
    wrongdoing = petition("registered", category="petition.conduct", about="gc", wrongdoing=True,
                          text="街道干部截留补偿款")
    client = as_persona(who)
    for url in (URL, f"{URL}?q=补偿款", f"{URL}?status=open", f"{URL}?q=王秀英",
                f"{URL}?q={about['routed'].tracking_code}"):
        response = client.get(url)
        # The search box shows what the user typed, and nothing else may name anyone.
        html = response.content.decode().replace('value="王秀英"', "")
        assert response.status_code == 200
        assert not [word for word in NAMES if word in html], url
        assert display(wrongdoing.tracking_code) not in html and "截留" not in html, url
    # The petitions about it are there, without who petitioned.
    html = client.get(URL).content.decode()
    assert codes_in(listed(html), about) == set(about)
    assert client.get(reverse("petitions:detail", args=[wrongdoing.pk])).status_code == 404


# ---------------------------------------------------------------------------- navigation


@pytest.mark.parametrize(("persona", "shown"), [
    ("dispatcher", True),
    ("clerk", True),
    ("supervisor", True),
    ("leader", True),
    ("admin", True),
    ("township_leader", True),
    ("handler", False),
    ("transport_handler", False),
    ("gridworker", False),
])
def test_the_navigation_links_petitions_for_those_who_work_with_them(as_persona, persona, shown):
    html = as_persona(persona).get("/work/").content.decode()
    nav = html.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert ('href="/work/petitions/"' in nav) is shown


def test_a_handler_sees_the_link_once_the_office_holds_a_petition(petition, as_persona):
    def nav():
        return as_persona("handler").get("/work/").content.decode().split('class="mainnav"', 1)[1].split("</nav>")[0]

    petition("registered")
    assert 'href="/work/petitions/"' not in nav()
    petition("routed")
    assert 'href="/work/petitions/"' in nav()


def test_the_workbench_url_names_resolve():
    assert reverse("petitions:workbench") == URL
    assert reverse("petitions:register") == "/work/petitions/new/"
