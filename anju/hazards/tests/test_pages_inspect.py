"""The inspection form on a phone: the site's checklist item by item, photos and the signature,
sent once (the Idempotency-Key made when the page is served), and the page that says which
hazards were opened."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anju.cases.models import Case
from anju.hazards import services
from anju.hazards.models import Hazard, Inspection, InspectionPhoto
from anju.hazards.tests.test_pages_hazard import client_for
from anju.lib.tracking import display
from anju.web.tests.conftest import english_client, png


@pytest.fixture
def as_persona(people, hazards):
    return lambda who: client_for(people, hazards, who)


def url(site) -> str:
    return reverse("hazards:inspect", args=[site.pk])


def served(client, site) -> dict:
    """The hidden fields of the form as served: the checklist version and the Idempotency-Key."""
    html = client.get(url(site)).content.decode()
    return {name: re.search(rf'name="{name}" value="([^"]+)"', html).group(1)
            for name in ("template", "idempotency_key")}


def answers(*results, notes=None, levels=None) -> dict:
    data = {}
    for number, result in enumerate(results, start=1):
        data[f"item_{number}_result"] = result
        data[f"item_{number}_note"] = (notes or {}).get(number, "")
        data[f"item_{number}_level"] = (levels or {}).get(number, "general")
    return data


def test_it_sends_anonymous_visitors_to_sign_in(hazards):
    response = english_client().get(url(hazards.tower))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["gridworker", "housing_handler", "supervisor", "dispatcher", "admin"])
def test_it_serves_the_checklist_item_by_item_to_those_who_inspect(as_persona, hazards, who):
    response = as_persona(who).get(url(hazards.tower))
    html = response.content.decode()
    assert response.status_code == 200
    assert "房屋建筑安全检查表" in html and "v1" in html
    for text in ("消防通道畅通，无占用堵塞", "外墙、阳台无空鼓脱落风险", "电气线路无私拉乱接", "《消防法》第二十八条"):
        assert text in html
    for number in (1, 2, 3):
        for value in ("pass", "hazard", "na"):
            assert f'name="item_{number}_result" value="{value}"' in html
    assert 'name="idempotency_key"' in html and 'type="file"' in html and 'name="signed_as"' in html
    assert 'enctype="multipart/form-data"' in html


def test_each_serving_carries_a_new_key(as_persona, hazards):
    client = as_persona("gridworker")
    assert served(client, hazards.tower)["idempotency_key"] != served(client, hazards.tower)["idempotency_key"]


@pytest.mark.parametrize("who", ["nobody", "other_handler", "township_dispatcher", "emergency_handler"])
def test_it_answers_404_to_those_who_may_not_inspect_the_site(as_persona, hazards, who):
    assert as_persona(who).get(url(hazards.tower)).status_code == 404
    assert as_persona(who).post(url(hazards.tower), {}).status_code == 404
    assert not Inspection.objects.exists()


def test_a_retired_site_is_not_inspected(people, as_persona, hazards):
    services.retire_site(people.admin, hazards.tower)
    assert as_persona("gridworker").get(url(hazards.tower)).status_code == 404


def test_it_stores_the_inspection_opens_the_hazards_and_says_which(people, as_persona, hazards):
    client = as_persona("gridworker")
    data = {**served(client, hazards.tower), "signed_as": "网格员 王五", "note": "",
            **answers("hazard", "pass", "hazard", notes={1: "一楼消防通道堆放电动车", 3: "配电箱私拉电线"},
                      levels={3: "major"}),
            "photos": [SimpleUploadedFile("a.png", png(), content_type="image/png"),
                       SimpleUploadedFile("b.png", png(), content_type="image/png")]}
    response = client.post(url(hazards.tower), data)
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("hazards:inspection_detail", args=[inspection.pk])
    assert inspection.inspector == people.gridworker and inspection.signed_as == "网格员 王五"
    assert InspectionPhoto.objects.filter(inspection=inspection).count() == 2
    hazards_opened = list(Hazard.objects.order_by("item_number"))
    assert [(h.item_number, h.level) for h in hazards_opened] == [(1, "general"), (3, "major")]
    html = client.get(response.url).content.decode()
    assert "The inspection was recorded; 2 hazards were opened." in html
    assert "2 hazards opened" in html and "2 photos" in html
    for hazard in hazards_opened:
        assert display(hazard.case.tracking_code) in html
        assert reverse("hazards:detail", args=[hazard.case_id]) in html
    assert "一楼消防通道堆放电动车" in html and "Major hazard (重大隐患)" in html


def test_the_photos_show_to_those_who_see_the_inspection_and_to_no_one_else(people, as_persona, hazards):
    client = as_persona("gridworker")
    image = png()
    data = {**served(client, hazards.tower), "signed_as": "网格员 王五", **answers("pass", "pass", "na"),
            "photos": [SimpleUploadedFile("a.png", image, content_type="image/png")]}
    inspection_url = client.post(url(hazards.tower), data).url
    photo = InspectionPhoto.objects.get()
    photo_url = reverse("hazards:inspection_photo", args=[photo.inspection_id, photo.pk])
    assert photo_url in client.get(inspection_url).content.decode()
    shown = as_persona("housing_handler").get(photo_url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content) == image
    assert "attachment" not in shown.get("Content-Disposition", "")
    # The emergency bureau supervises no high-rise: the inspection and its photo are not its own.
    assert as_persona("emergency_handler").get(inspection_url).status_code == 404
    assert as_persona("emergency_handler").get(photo_url).status_code == 404
    assert client.get(reverse("hazards:inspection_photo", args=[photo.inspection_id, photo.pk + 1])).status_code == 404
    assert english_client().get(photo_url).status_code == 302


def test_a_double_submission_with_the_same_key_stores_one_inspection(as_persona, hazards):
    client = as_persona("gridworker")
    data = {**served(client, hazards.tower), "signed_as": "网格员", **answers("hazard", "pass", "na",
                                                                              notes={1: "楼梯间堆放杂物"})}
    first = client.post(url(hazards.tower), data)
    second = client.post(url(hazards.tower), data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Inspection.objects.count() == 1 and Hazard.objects.count() == 1 and Case.objects.count() == 1
    html = client.get(second.url).content.decode()
    assert "The inspection was sent more than once and recorded once; 1 hazard was opened." in html
    # Served again, the form carries a new key: a second inspection is a new one.
    again = {**data, **served(client, hazards.tower)}
    assert client.post(url(hazards.tower), again).status_code == 302
    assert Inspection.objects.count() == 2


@pytest.mark.parametrize("change,field,words", [
    ({"item_2_result": ""}, "item_2_result", "Choose a result for this item."),
    ({"item_1_note": ""}, "item_1_note", "Say what was found."),
    ({"item_1_level": "tiny"}, "item_1_level", "Select a valid choice."),
    ({"item_3_result": "maybe"}, "item_3_result", "Select a valid choice."),
    ({"signed_as": ""}, "signed_as", "This field is required."),
    ({"photos": "x"}, "photos", "Only JPEG, PNG, GIF, WebP and PDF files are accepted."),
])
def test_bad_input_comes_back_named_with_the_same_key_and_nothing_stored(as_persona, hazards, change, field, words):
    client = as_persona("gridworker")
    hidden = served(client, hazards.tower)
    data = {**hidden, "signed_as": "网格员", **answers("hazard", "pass", "na", notes={1: "楼梯间堆放杂物"}), **change}
    if field == "photos":
        data["photos"] = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = client.post(url(hazards.tower), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in html or (field.endswith("_result") and words in html)
    assert words in html
    assert f'value="{hidden["idempotency_key"]}"' in html
    assert not Inspection.objects.exists() and not Case.objects.exists()


def test_the_form_keeps_the_checklist_version_it_was_served_with(people, as_persona, hazards):
    client = as_persona("gridworker")
    hidden = served(client, hazards.tower)
    # A new version is published while the inspector fills in the old one.
    services.publish_checklist(people.admin, kind="building", title="房屋建筑安全检查表（修订）",
                               items=[services.NewItem("消防设施完好有效")])
    data = {**hidden, "signed_as": "网格员", **answers("pass", "pass", "na")}
    assert client.post(url(hazards.tower), data).status_code == 302
    assert Inspection.objects.get().template == hazards.building_checklist


def test_an_inspection_for_a_running_campaign_counts_for_it(people, as_persona, hazards, county):
    from datetime import timedelta

    from anju.hazards.tests.test_pages_hazard import today

    campaign = services.open_campaign(people.supervisor, title="汛期前高层建筑排查", kind="building.highrise",
                                      region=county.gecheng.code, starts_on=today(),
                                      ends_on=today() + timedelta(days=10))
    client = as_persona("gridworker")
    html = client.get(url(hazards.tower)).content.decode()
    assert "汛期前高层建筑排查" in html and f'<option value="{campaign.pk}" selected>' in html
    data = {**served(client, hazards.tower), "signed_as": "网格员", "campaign": str(campaign.pk),
            **answers("pass", "pass", "pass")}
    assert client.post(url(hazards.tower), data).status_code == 302
    assert Inspection.objects.get().campaign == campaign
    # The quarry is not a high-rise: no campaign to choose there.
    assert 'name="campaign"' in client.get(url(hazards.quarry)).content.decode()
    assert "汛期前高层建筑排查" not in client.get(url(hazards.quarry)).content.decode()


def test_the_inspection_page_refuses_those_who_may_not_see_the_site(people, as_persona, hazards):
    inspection, _created = services.submit_inspection(people.gridworker, services.NewInspection(
        site=hazards.tower.pk, answers=[services.Answer(1, "pass"), services.Answer(2, "pass"),
                                        services.Answer(3, "na")], signed_as="网格员"), idempotency_key="k")
    target = reverse("hazards:inspection_detail", args=[inspection.pk])
    for who in ("gridworker", "housing_handler", "supervisor", "leader"):
        response = as_persona(who).get(target)
        assert response.status_code == 200, who
        assert "No hazard found" in response.content.decode()
    for who in ("nobody", "other_handler", "township_dispatcher", "emergency_handler"):
        assert as_persona(who).get(target).status_code == 404, who
