"""The acknowledgement pages: the link's page (no sign-in, nothing personal, one button, the token
good for that one answer), the monitor answering in the app from the warning's page, the duty desk
recording a call from the board, and the board's live part, polled while the warning is in force."""

import re

from django.test import Client

from anju.warnings import lifecycle
from anju.warnings.choices import AckChannel, AckState
from anju.warnings.models import Acknowledgement
from anju.warnings.tests.test_acks import token_sent_to


def signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_link_s_page_acknowledges_with_one_button_and_shows_nothing_personal(make_warning, desk):
    warning = make_warning("orange", [desk.p1])
    url = f"/ack/{token_sent_to('13800001111')}/"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and warning.headline in html and "I have received it" in html
    for personal in ("张大山", "张**", "13800001111", "李小红", "陈大福", "土城社区1组"):
        assert personal not in html
    assert page["Referrer-Policy"] == "same-origin" and "noindex" in page["X-Robots-Tag"]
    # Looking does not acknowledge (a link preview must not answer for the monitor).
    assert Acknowledgement.objects.get().state == AckState.WAITING
    done = client.post(url)
    assert done.status_code == 200 and "Acknowledged. Thank you." in done.content.decode()
    ack = Acknowledgement.objects.get()
    assert (ack.state, ack.channel) == (AckState.ACKNOWLEDGED, AckChannel.LINK)
    assert "acknowledged already" in client.get(url).content.decode()
    again = client.post(url)
    assert again.status_code == 409 and Acknowledgement.objects.get().answered_at == ack.answered_at


def test_a_wrong_link_or_an_ended_warning_acknowledges_nothing(make_warning, desk):
    warning = make_warning("orange", [desk.p1])
    token = token_sent_to("13800001111")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for wrong in ("nope", "A" * 43, Acknowledgement.objects.get().token):
        response = client.post(f"/ack/{wrong}/")
        assert response.status_code == 404 and "not valid" in response.content.decode()
    lifecycle.cancel(desk.gc_leader, warning, reason="误报")
    assert "has ended" in client.get(f"/ack/{token}/").content.decode()
    assert client.post(f"/ack/{token}/").status_code == 409
    assert Acknowledgement.objects.get().state == AckState.WAITING


def test_a_monitor_with_an_account_acknowledges_on_the_warning_s_page(make_warning, desk, people):
    warning = make_warning("orange", [desk.p1, desk.p2])
    mine = Acknowledgement.objects.get(warning=warning, point=desk.p1)
    theirs = Acknowledgement.objects.get(warning=warning, point=desk.p2)
    client = signed_in(desk.monitor)  # an account without any role: the page of what was asked of them
    page = client.get(f"/work/warnings/{warning.pk}/")
    assert page.status_code == 200 and "You are asked to acknowledge this warning" in page.content.decode()
    assert client.post(f"/work/warnings/{warning.pk}/acknowledgements/{theirs.pk}/acknowledge/").status_code == 403
    assert client.post(f"/work/warnings/{warning.pk}/acknowledgements/{mine.pk}/acknowledge/").status_code == 302
    mine.refresh_from_db()
    assert (mine.state, mine.channel) == (AckState.ACKNOWLEDGED, AckChannel.APP)
    assert "You are asked" not in client.get(f"/work/warnings/{warning.pk}/").content.decode()
    # The board is the duty desk's: the monitor's account reaches no other page.
    assert client.get("/work/warnings/").status_code == 404


def test_the_duty_desk_records_a_call_from_the_board(make_warning, desk, people):
    warning = make_warning("orange", [desk.p2])
    ack = Acknowledgement.objects.get()
    url = f"/work/warnings/{warning.pk}/acknowledgements/{ack.pk}/call/"
    assert signed_in(people.gridworker).post(url, {"call-note": ""}).status_code == 403
    assert Acknowledgement.objects.get().state == AckState.WAITING
    response = signed_in(people.handler).post(url, {"call-note": ""})
    assert response.status_code == 302 and response["Location"].endswith("#acks")
    ack.refresh_from_db()
    assert (ack.channel, ack.recorded_by) == (AckChannel.CALL, people.handler)


def test_the_live_part_is_polled_while_the_warning_is_in_force(make_warning, desk, people):
    warning = make_warning("orange", [desk.p1])
    client = signed_in(people.dispatcher)
    html = client.get(f"/work/warnings/{warning.pk}/").content.decode()
    assert re.search(r'id="live" hx-get="/work/warnings/\d+/live/" hx-trigger="every 5s"', html)
    live = client.get(f"/work/warnings/{warning.pk}/live/").content.decode()
    # Issued at T0, months ago by the real clock: the monitor is overdue.
    assert live.lstrip().startswith("<div id=\"live\"") and "<html" not in live and "Not answered: overdue" in live
    lifecycle.cancel(desk.gc_leader, warning, reason="误报")
    live = client.get(f"/work/warnings/{warning.pk}/live/").content.decode()
    assert "hx-get" not in live
