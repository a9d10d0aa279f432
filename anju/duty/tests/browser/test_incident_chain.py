"""An incident's page in Chromium: the chain of its reports (in time and late, forwarded up and
signed for, the report owed next), with a screenshot for a person to look at
(test-artifacts/screenshots/incident-chain.png), and a report made through its form."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anju.duty import incidents as services
from anju.duty.models import IncidentReport
from anju.web.tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_report_chain_shows_who_knew_what_when(open_page, people, incidents):
    now = timezone.now()
    known = now - timedelta(hours=3)
    case, _created = services.open_incident(people.handler, services.NewIncident(
        type="natural", grade="major", text="土城社区5组山体滑坡，掩埋民房两间，2人被困",
        occurred_at=known - timedelta(minutes=20), known_at=known, lat=31.905, lng=108.605, injured=1, missing=2),
        now=known)

    def report(kind, channel, text, minutes, **figures):
        services.make_report(people.handler, case, services.NewReport(kind=kind, channel=channel, text=text, **figures),
                             now=known + timedelta(minutes=minutes))

    report("first", "phone", "滑坡约2000立方米，2人被困，已组织救援", 20, injured=1, missing=2)
    forward = services.forward_report(people.handler, case, 1, channel="phone", now=known + timedelta(minutes=24))
    services.receive_forward(incidents.county_officer, case, forward.pk, now=known + timedelta(minutes=31))
    report("first", "written", "书面首报：滑坡掩埋民房两间，被困2人，现场已设警戒", 75, injured=1, missing=2)
    services.forward_report(people.handler, case, 2, now=known + timedelta(minutes=80))

    page = open_page()
    sign_in(page, "handler")
    page.goto(f"/work/duty/incidents/{case.pk}/")
    chain = page.locator(".report-chain .chain-step")
    assert chain.count() == 4  # known, two reports, the follow-up owed
    assert page.locator(".report-chain .chain-late").count() == 1  # the written report, 15 minutes late
    assert page.get_by_text("县应急管理局").first.is_visible()
    screenshot(page, "incident-chain")

    page.locator("#act-report summary").click()
    page.locator("#id_report-kind").select_option("follow_up")
    page.locator("#id_report-channel").select_option("written")
    page.locator("#id_report-text").fill("续报：被困2人已救出，送医救治")
    page.locator("#id_report-missing").fill("0")
    page.locator("#act-report button[type=submit]").click()
    page.wait_for_url(f"**/work/duty/incidents/{case.pk}/")
    assert IncidentReport.objects.filter(incident__case=case).count() == 3
    assert page.locator(".report-chain .chain-step").count() == 5
    screenshot(page, "incident-chain-after-follow-up")
    assert page.js_errors == []
