"""The hazards registers in the admin: site kinds as a tree, checklists published as new versions."""

from django.test import Client
from django.urls import reverse

from anju.hazards.models import ChecklistTemplate


def test_a_checklist_added_in_the_admin_is_the_next_version_and_the_earlier_stays(hazards, people):
    client = Client()
    client.force_login(people.admin)
    people.admin.is_staff = people.admin.is_superuser = True
    people.admin.save()
    url = reverse("admin:hazards_checklisttemplate_add")
    form = {"kind": hazards.building.pk, "title": "房屋建筑安全检查表（2027版）",
            "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000", "items-0-number": "1", "items-0-text": "消防设施完好有效",
            "items-0-basis": "《消防法》第十六条", "items-0-evidence": "检测报告"}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    newest = ChecklistTemplate.objects.get(kind=hazards.building, is_current=True)
    assert newest.version == 2 and newest.items.get().text == "消防设施完好有效"
    earlier = ChecklistTemplate.objects.get(kind=hazards.building, version=1)
    assert not earlier.is_current and earlier.items.count() == 3
    # A published version is read-only.
    change = client.post(reverse("admin:hazards_checklisttemplate_change", args=[earlier.pk]),
                         {"kind": hazards.building.pk, "title": "改"})
    assert change.status_code in (302, 403) and ChecklistTemplate.objects.get(pk=earlier.pk).title != "改"
