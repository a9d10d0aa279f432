"""The mediator's workbench: what is due in my organisation, and the list of the disputes I may
see with its filters, search and pages; the navigation links to it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from anju.disputes import services
from anju.disputes.choices import AgreementStatus
from anju.disputes.models import FollowUpVisit, MediationAgreement
from anju.disputes.tests.flow import dispute_in, today
from anju.disputes.tests.test_pages_dispute import page_client
from anju.disputes.views import disputes as views
from anju.lib.tracking import display
from anju.web.tests.conftest import english_client

URL = "/work/disputes/"


@pytest.fixture
def as_persona(people, mediation):
    return lambda who: page_client(people, mediation, who)


@pytest.fixture
def dispute(people, mediation):
    return lambda state, **kwargs: dispute_in(people, mediation, state, **kwargs)


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_it_sends_anonymous_visitors_to_sign_in_and_refuses_users_without_a_role(people, mediation):
    response = english_client().get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert page_client(people, mediation, "nobody").get(URL).status_code == 404


def test_it_shows_the_disputes_in_hand_with_their_deadline_in_words(dispute, as_persona):
    case = dispute("mediating")
    html = as_persona("mediator").get(URL).content.decode()
    in_hand = section(html, "in-hand-title")
    assert display(case.tracking_code) in in_hand
    assert 'class="due' in in_hand and ("left" in in_hand or "Overdue" in in_hand or "Due today" in in_hand)
    # The other office's mediators do not have it in hand, and do not see it at all.
    html = as_persona("justice_mediator").get(URL).content.decode()
    assert display(case.tracking_code) not in html


def test_it_lists_sessions_visits_transfers_and_judicial_windows_that_are_due(people, mediation, dispute,
                                                                              as_persona):
    session_case = dispute("session_due")
    signed_case = dispute("signed")
    visit = FollowUpVisit.objects.filter(dispute__case=signed_case).order_by("due_on").first()
    # The first visit falls due in 15 days; move it into the next week through the data, as time would.
    FollowUpVisit.objects.filter(pk=visit.pk).update(due_on=today() + timedelta(days=2))
    transferred = dispute("transferred")
    # An agreement that took effect 26 days ago: its window for judicial confirmation ends in 4 days
    # or, when that day is a rest day, on the first working day after it.
    start = timezone.now() - timedelta(days=30)
    old = dispute_in(people, mediation, "mediating", start=start)
    draft = services.draft_agreement(mediation.mediator, old, services.AgreementText(
        facts="事实", matters="争议", responsibilities="责任", terms="条款", performance_manner="当面",
        performance_deadline=today() + timedelta(days=10)), now=start)
    services.sign_agreement(mediation.mediator, old, agreement_id=draft.pk, effective_on=today() - timedelta(days=26),
                            now=timezone.now() - timedelta(days=26))

    html = as_persona("mediator").get(URL).content.decode()
    assert f"#session-{session_case.dispute.sessions.get().pk}" in section(html, "sessions-title")
    assert f"#visit-{visit.pk}" in section(html, "visits-title")
    windows = section(html, "windows-title")
    agreement = MediationAgreement.objects.get(dispute__case=old, status=AgreementStatus.EFFECTIVE)
    # Four days from today, or the first working day after when that is a rest day (Art. 85).
    left = (agreement.judicial_window_ends_on - today()).days
    assert 4 <= left <= 4 + 9 and f"#agreement-{agreement.pk}" in windows and f"{left} days left" in windows
    assert display(signed_case.tracking_code) not in windows  # 30 days left: not soon
    assert display(transferred.tracking_code) not in section(html, "transfers-title")

    html = as_persona("justice_mediator").get(URL).content.decode()
    transfers = section(html, "transfers-title")
    assert display(transferred.tracking_code) in transfers and "葛城街道人民调解委员会" in transfers


def test_it_links_registering_and_the_statistics(as_persona):
    html = as_persona("dispatcher").get(URL).content.decode()
    assert 'href="/work/disputes/new/"' in html and 'href="/work/disputes/stats/"' in html
    html = as_persona("mediator").get(URL).content.decode()
    assert 'href="/work/disputes/new/"' not in html and 'href="/work/disputes/stats/"' in html


# ---------------------------------------------------------------------------- the list


def listed(html: str) -> str:
    return html.split('id="dispute-list"', 1)[1]


def test_it_lists_only_the_disputes_the_user_may_see(dispute, as_persona, people, mediation, new_case):
    case = dispute("mediating")
    complaint = new_case()
    html = listed(as_persona("dispatcher").get(URL).content.decode())
    assert display(case.tracking_code) in html and display(complaint.tracking_code) not in html
    assert "1 dispute" in html
    assert display(case.tracking_code) not in as_persona("other_handler").get(URL).content.decode()


@pytest.mark.parametrize(("query", "shown"), [
    ("risk_level=high", {"high"}),
    ("risk_level=low", {"low", "wages", "ended"}),
    ("status=resolved", {"ended"}),
    ("status=open", {"low", "high", "wages", "ended"}),
    ("category=dispute.wages", {"wages"}),
    ("category=dispute", {"low", "high", "wages", "ended"}),
    ("outcome=no_agreement", {"ended"}),
    ("outcome=none", {"low", "high", "wages"}),
    ("mediation_type=judicial", set()),
    ("township=TOWNSHIP", {"low", "high", "wages", "ended"}),
    ("q=欠薪", {"wages"}),
    ("q=CODE:high", {"high"}),
])
def test_it_filters_the_list(people, mediation, county, as_persona, query, shown):
    cases = {
        "low": dispute_in(people, mediation, "mediating"),
        "high": dispute_in(people, mediation, "mediating"),
        "wages": dispute_in(people, mediation, "dispatched", category_code="dispute.wages", text="工地欠薪三个月"),
        "ended": dispute_in(people, mediation, "ended"),
    }
    services.update_dispute(mediation.mediator, cases["high"], scale=30, facts="", risk_level="high",
                            risk_reason="人数众多，情绪激动")
    query = query.replace("TOWNSHIP", str(county.gecheng.pk)).replace(
        "CODE:high", cases["high"].tracking_code.lower())
    response = as_persona("dispatcher").get(f"{URL}?{query}")
    assert response.status_code == 200
    html = listed(response.content.decode())
    assert {name for name, case in cases.items() if display(case.tracking_code) in html} == shown


def test_it_pages_the_list(people, mediation, as_persona, monkeypatch):
    assert views.PAGE_SIZE == 50
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    cases = [dispute_in(people, mediation, "submitted") for _ in range(3)]
    client = as_persona("dispatcher")
    first = listed(client.get(URL).content.decode())
    second = listed(client.get(f"{URL}?page=2").content.decode())
    # Newest first: two on the first page, the oldest on the second.
    assert display(cases[0].tracking_code) not in first and display(cases[0].tracking_code) in second
    assert all(display(c.tracking_code) in first for c in cases[1:])
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_it_refuses_a_filter_it_does_not_understand_rather_than_ignoring_it(as_persona):
    response = as_persona("dispatcher").get(f"{URL}?risk_level=extreme&page=0")
    assert response.status_code == 400
    assert "Correct the filters marked above to see the list." in response.content.decode()


# ---------------------------------------------------------------------------- navigation


@pytest.mark.parametrize(("persona", "disputes", "screening"), [
    ("mediator", True, False),
    ("dispatcher", True, False),
    ("supervisor", True, True),
    ("gridworker", True, True),
    ("leader", True, True),
    ("transport_handler", False, False),
    ("handler", False, False),
])
def test_the_navigation_links_disputes_and_screening_for_the_roles_that_use_them(as_persona, persona, disputes,
                                                                                screening):
    html = as_persona(persona).get("/work/").content.decode()
    nav = html.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert ('href="/work/disputes/"' in nav) is disputes
    assert ('href="/work/screening/"' in nav) is screening


def test_the_justice_bureau_sees_the_link_once_it_holds_a_dispute(dispute, as_persona):
    nav = as_persona("justice_mediator").get("/work/").content.decode().split('class="mainnav"', 1)[1]
    assert 'href="/work/disputes/"' not in nav.split("</nav>", 1)[0]
    dispute("transferred")
    nav = as_persona("justice_mediator").get("/work/").content.decode().split('class="mainnav"', 1)[1]
    assert 'href="/work/disputes/"' in nav.split("</nav>", 1)[0]


def test_the_workbench_url_names_resolve():
    assert reverse("disputes:workbench") == URL
    assert reverse("disputes:stats") == "/work/disputes/stats/"
