"""The Django admin as the administrator's tool: every page opens, the registers validate, the
grid upload checks before it changes anything, and the records written by the services (cases,
the log of looks at personal data) cannot be changed here by anyone."""

import json
from datetime import date

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anju.cases import services
from anju.cases.models import (
    CalendarOverride,
    Case,
    Category,
    DeadlinePolicy,
    ExtensionRequest,
    HolidayNotice,
    PersonalDataAccess,
    RoutingRule,
    SupervisionNotice,
)
from anju.conftest import square
from anju.geo.models import Region
from anju.lib.workdays import covered_until
from anju.people.models import ApiToken, Office, RoleAssignment, User
from anju.people.services import issue_token

BOWTIE = {"type": "Polygon", "coordinates": [[[108.6, 31.9], [108.61, 31.91], [108.61, 31.9], [108.6, 31.91],
                                              [108.6, 31.9]]]}


def url(model, view="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def errors_of(response):
    """The main form's errors by field."""
    return response.context["adminform"].form.errors


# ---------------------------------------------------------------------------- every page


@pytest.fixture
def records(county, people, new_case):
    """One of everything, so that every changelist and change page has a row to show."""
    case = new_case()
    services.reveal_reporter(people.dispatcher, case, reason="回访核实")
    ExtensionRequest.objects.create(case=case, requested_by=people.handler, amount=5, unit="working_days",
                                    reason="需要现场勘查")
    SupervisionNotice.objects.create(case=case, kind="manual", level=1, office=county.gecheng_office,
                                     issued_by=people.supervisor, note="请加快办理")
    CalendarOverride.objects.create(date="2027-02-08", is_workday=False, note="2027 春节")
    return case


def test_it_opens_every_changelist_add_form_and_change_page(staff, records):
    assert len(admin.site._registry) >= 12
    for model, model_admin in admin.site._registry.items():
        response = staff.get(url(model))
        assert response.status_code == 200, model
        assert staff.get(url(model) + "?q=500229").status_code == 200, model
        add = staff.get(url(model, "add"))
        assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403), model
        first = model.objects.first()
        if first is not None:
            assert staff.get(url(model, "change", first.pk)).status_code == 200, model


@pytest.mark.parametrize("persona", ["dispatcher", "admin", "nobody"])
def test_it_sends_a_persona_without_staff_status_to_the_admin_login(client, people, persona):
    client.force_login(getattr(people, persona))
    for path in [reverse("admin:index"), url(Region), reverse("admin:geo_region_import_grids"), url(Case)]:
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), path


def test_it_sends_an_anonymous_visitor_to_the_admin_login(client, county):
    response = client.get(reverse("admin:geo_region_import_grids"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_staff_without_permissions_cannot_upload_grids(people):
    people.nobody.is_staff = True
    people.nobody.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(people.nobody)
    assert client.get(reverse("admin:geo_region_import_grids")).status_code == 403


# ---------------------------------------------------------------------------- grid upload


def feature(code, geometry, name="土城第9网格", parent="500229001001"):
    properties = {"code": code, "parent_code": parent}
    if name is not None:
        properties["name"] = name
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def geojson(*features, name="grids.geojson"):
    text = json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)
    return SimpleUploadedFile(name, text.encode(), content_type="application/geo+json")


def upload(client, parent, file, dry_run=True):
    data = {"parent": parent.pk, "file": file}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("admin:geo_region_import_grids"), data)


def grid_codes():
    return set(Region.objects.filter(level="grid").values_list("code", flat=True))


NEW = [feature("500229001001009", square(108.62, 31.90)), feature("500229001001010", square(108.63, 31.90), "第10网格")]


def test_the_region_list_links_to_the_grid_upload(staff, county):
    response = staff.get(url(Region))
    assert reverse("admin:geo_region_import_grids") in response.content.decode()
    assert staff.get(reverse("admin:geo_region_import_grids")).status_code == 200


def test_a_dry_run_changes_nothing_and_the_confirmation_imports(staff, county):
    before = grid_codes()
    response = upload(staff, county.tucheng, geojson(*NEW))
    assert response.status_code == 200
    assert len(response.context["result"].created) == 2
    assert grid_codes() == before
    token = response.context["token"]

    confirmed = staff.post(reverse("admin:geo_region_import_grids"), {"token": token}, follow=True)
    assert grid_codes() == before | {"500229001001009", "500229001001010"}
    grid = Region.objects.get(code="500229001001010")
    assert grid.name == "第10网格" and grid.parent == county.tucheng and grid.lat is not None
    assert "2 new, 0 replaced" in confirmed.content.decode()
    # The staged file is used once.
    again = staff.post(reverse("admin:geo_region_import_grids"), {"token": token}, follow=True)
    assert "Upload it again" in again.content.decode()


def test_without_check_only_new_grids_are_imported_at_once(staff, county):
    response = upload(staff, county.tucheng, geojson(*NEW), dry_run=False)
    assert response.status_code == 302
    assert {"500229001001009", "500229001001010"} <= grid_codes()


def test_replacing_grids_is_always_confirmed_first(staff, county):
    replacing = geojson(feature("500229001001001", square(108.60, 31.90), name="土城第1网格（新）"), NEW[0])
    response = upload(staff, county.tucheng, replacing, dry_run=False)
    assert response.status_code == 200
    assert [c.code for c in response.context["result"].updated] == ["500229001001001"]
    assert "will be replaced" in response.content.decode()
    county.grid1.refresh_from_db()
    assert county.grid1.name == "土城第1网格" and "500229001001009" not in grid_codes()

    staff.post(reverse("admin:geo_region_import_grids"), {"token": response.context["token"]})
    county.grid1.refresh_from_db()
    assert county.grid1.name == "土城第1网格（新）" and "500229001001009" in grid_codes()


def test_a_bad_file_reports_each_feature_and_creates_nothing(staff, county):
    before = grid_codes()
    bad = geojson(NEW[0], NEW[1], feature("500229001001011", BOWTIE),
                  feature("500229001001012", square(108.64, 31.90), name=None),
                  feature("500229001001013", {"type": "Point", "coordinates": [108.6, 31.9]}))
    response = upload(staff, county.tucheng, bad, dry_run=False)
    assert response.status_code == 400
    problems = {p.line: p.reason for p in response.context["problems"]}
    assert set(problems) == {3, 4, 5}
    assert "invalid" in problems[3] and "name" in problems[4] and "Polygon" in problems[5]
    page = response.content.decode()
    assert "feature 3" in page and "Nothing was changed" in page
    assert grid_codes() == before


def test_grids_must_lie_under_the_chosen_parent(staff, county):
    response = upload(staff, county.fuxing, geojson(NEW[0]))
    assert response.status_code == 400
    assert "does not lie in" in response.context["problems"][0].reason


def test_a_village_parent_is_used_for_features_without_parent_code(staff, county):
    orphan = feature("500229002001009", square(108.72, 31.95), parent="")
    response = upload(staff, county.taihe, geojson(orphan), dry_run=False)
    assert response.status_code == 302
    assert Region.objects.get(code="500229002001009").parent == county.taihe


@pytest.mark.parametrize("file,message", [
    (SimpleUploadedFile("grids.csv", b"code,name\n"), ".geojson"),
    (SimpleUploadedFile("grids.geojson", b'{"type": "FeatureCollection",\n "features": [}'), "line 2"),
    (SimpleUploadedFile("grids.geojson", "{}".encode("utf-16")), "UTF-8"),
])
def test_a_file_that_is_not_geojson_is_refused_on_the_form(staff, county, file, message):
    response = upload(staff, county.tucheng, file)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])


def test_a_missing_parent_is_refused_on_the_form(staff, county):
    response = staff.post(reverse("admin:geo_region_import_grids"), {"file": geojson(NEW[0])})
    assert response.status_code == 400 and "parent" in response.context["form"].errors


def test_an_unknown_or_foreign_token_imports_nothing(staff, county, people):
    response = upload(staff, county.tucheng, geojson(*NEW))
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    people.supervisor.is_staff = people.supervisor.is_superuser = True
    people.supervisor.save()
    other.force_login(people.supervisor)
    refused = other.post(reverse("admin:geo_region_import_grids"), {"token": response.context["token"]})
    assert refused.status_code == 302
    staff.post(reverse("admin:geo_region_import_grids"), {"token": "made-up"})
    assert "500229001001009" not in grid_codes()


# ---------------------------------------------------------------------------- regions


def region_data(**overrides):
    data = {"code": "500229001002", "name": "新村", "level": "village", "parent": "", "boundary": "",
            "lat": "", "lng": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("overrides,field", [
    ({"code": "510101001002"}, "code"),
    ({"code": "5002X9"}, "code"),
    ({"level": "grid"}, "level"),
    ({"boundary": json.dumps(square(108.6, 31.9))}, "boundary"),
    ({"parent": "grid1", "level": "grid", "code": "500229001001001001"}, "parent"),
    ({"parent": "", "level": "village"}, "parent"),
])
def test_a_region_must_fit_the_tree(staff, county, overrides, field):
    overrides.setdefault("parent", "gecheng")
    if overrides["parent"]:
        overrides["parent"] = getattr(county, overrides["parent"]).pk
    response = staff.post(url(Region, "add"), region_data(**overrides))
    assert response.status_code == 200
    assert field in errors_of(response)
    assert not Region.objects.filter(code=overrides.get("code", "500229001002")).exists()


def test_a_grid_outline_must_be_a_valid_polygon(staff, county):
    data = region_data(code="500229001001009", level="grid", parent=county.tucheng.pk, boundary=json.dumps(BOWTIE))
    response = staff.post(url(Region, "add"), data)
    assert "invalid" in " ".join(errors_of(response)["boundary"])
    data["boundary"] = "{not json"
    assert "boundary" in errors_of(staff.post(url(Region, "add"), data))


def test_a_valid_grid_is_added_with_its_centre(staff, county):
    data = region_data(code="500229001001009", level="grid", parent=county.tucheng.pk,
                       boundary=json.dumps(square(108.62, 31.90)))
    assert staff.post(url(Region, "add"), data).status_code == 302
    grid = Region.objects.get(code="500229001001009")
    assert grid.path == county.tucheng.path + "500229001001009/" and round(grid.lat, 3) == 31.905


def test_a_regions_code_and_parent_cannot_change(staff, county):
    data = region_data(code="500229009", name="葛城街道（改）", level="township", parent=county.fuxing.pk)
    assert staff.post(url(Region, "change", county.gecheng.pk), data).status_code == 302
    county.gecheng.refresh_from_db()
    assert (county.gecheng.code, county.gecheng.parent, county.gecheng.name) == ("500229001", county.county,
                                                                                 "葛城街道（改）")


def test_the_region_parent_autocomplete_leaves_out_grids(staff, county):
    response = staff.get(reverse("admin:autocomplete"), {"term": "土城", "app_label": "geo", "model_name": "region",
                                                          "field_name": "parent"})
    assert [r["text"] for r in response.json()["results"]] == ["土城社区 (500229001001)"]


# ---------------------------------------------------------------------------- routing rules


def rule_data(county, **overrides):
    data = {"category": county.light.pk, "region": county.gecheng.pk, "office": county.gecheng_office.pk,
            "basis": "territorial"}
    data.update(overrides)
    return {k: ("" if v is None else v) for k, v in data.items()}


@pytest.mark.parametrize("overrides,field,words", [
    ({"office": "fuxing_office"}, "office", "does not include"),
    ({"category": None}, "region", "already"),
    ({"category": None, "basis": "sector"}, "category", "sector"),
    ({"office": "inactive"}, "office", "no longer active"),
])
def test_a_routing_rule_is_checked_field_by_field(staff, county, overrides, field, words):
    county.inactive = Office.objects.create(code="old", name="旧办", kind="township", jurisdiction=county.gecheng,
                                            is_active=False)
    if isinstance(overrides.get("office"), str):
        overrides["office"] = getattr(county, overrides["office"]).pk
    before = RoutingRule.objects.count()
    response = staff.post(url(RoutingRule, "add"), rule_data(county, **overrides))
    assert response.status_code == 200
    assert words in " ".join(errors_of(response)[field])
    assert RoutingRule.objects.count() == before


def test_a_rule_to_a_department_needs_its_category(staff, county):
    county.transport.categories.add(county.road)
    response = staff.post(url(RoutingRule, "add"), rule_data(county, office=county.transport.pk, basis="sector"))
    assert "does not answer for" in " ".join(errors_of(response)["office"])
    response = staff.post(url(RoutingRule, "add"),
                          rule_data(county, category=county.road.pk, region=county.fuxing.pk,
                                    office=county.transport.pk, basis="sector"))
    assert response.status_code == 302
    assert RoutingRule.objects.filter(category=county.road, region=county.fuxing, office=county.transport).exists()


# ---------------------------------------------------------------------------- deadline policies


def policy_data(**overrides):
    data = {"name": "紧急", "kind": "", "category": "", "priority": "urgent", "accept_amount": 2,
            "accept_unit": "hours", "handle_amount": 3, "handle_unit": "working_days", "reply_amount": 1,
            "reply_unit": "working_days", "warn_before_hours": 4, "escalate_after_hours": 4}
    data.update(overrides)
    return data


@pytest.mark.parametrize("overrides,field,words", [
    ({"accept_amount": 0}, "accept_amount", "at least 1"),
    ({"handle_amount": 400, "handle_unit": "calendar_days"}, "handle_amount", "At most 366"),
    ({"reply_unit": "fortnights"}, "reply_unit", "valid choice"),
    ({"priority": ""}, "category", "covers this kind"),
])
def test_a_deadline_policy_is_checked_field_by_field(staff, county, overrides, field, words):
    response = staff.post(url(DeadlinePolicy, "add"), policy_data(**overrides))
    assert response.status_code == 200
    assert words in " ".join(errors_of(response)[field])
    assert DeadlinePolicy.objects.count() == 1


def test_a_valid_deadline_policy_is_saved(staff, county):
    assert staff.post(url(DeadlinePolicy, "add"), policy_data()).status_code == 302
    assert DeadlinePolicy.objects.filter(priority="urgent", accept_unit="hours").exists()


# ---------------------------------------------------------------------------- calendar overrides


def test_a_date_is_overridden_once_and_with_a_note(staff, county):
    CalendarOverride.objects.create(date="2027-02-08", is_workday=False, note="春节")
    response = staff.post(url(CalendarOverride, "add"), {"date": "2027-02-08", "is_workday": "on", "note": "调休"})
    assert "date" in errors_of(response)
    response = staff.post(url(CalendarOverride, "add"), {"date": "2027-02-09", "note": ""})
    assert "note" in errors_of(response)
    assert CalendarOverride.objects.count() == 1


def test_the_calendar_list_says_which_years_are_counted_from_what(staff, county):
    this_year = timezone.localdate().year
    coming = max(this_year, covered_until() + 1)  # a year the official calendar does not cover
    page = staff.get(url(CalendarOverride)).content.decode()
    assert f"{coming}: the statutory holidays only" in page
    if this_year <= covered_until():
        assert f"{this_year}: the State Council&#x27;s notice (official calendar package)" in page
    CalendarOverride.objects.create(date=date(coming, 2, 1), is_workday=False, note="调休")
    HolidayNotice.objects.create(year=coming, title="国务院办公厅关于部分节假日安排的通知")
    page = staff.get(url(HolidayNotice)).content.decode()
    assert f"{coming}: the State Council&#x27;s notice, entered here · 1 override" in page


# ---------------------------------------------------------------------------- users, roles, offices


def user_data(user, roles):
    data = {"username": user.username, "display_name": user.display_name, "office": user.office_id or "",
            "first_name": "", "last_name": "", "email": "", "is_active": "on",
            "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00", "last_login_0": "", "last_login_1": "",
            "roles-TOTAL_FORMS": len(roles), "roles-INITIAL_FORMS": 0, "roles-MIN_NUM_FORMS": 0,
            "roles-MAX_NUM_FORMS": 1000}
    existing = list(user.roles.all())
    data["roles-TOTAL_FORMS"] += len(existing)
    data["roles-INITIAL_FORMS"] = len(existing)
    rows = [{"id": r.pk, "user": user.pk, "role": r.role, "region": r.region_id or "", "office": r.office_id or ""}
            for r in existing] + [{"user": user.pk, **r} for r in roles]
    for number, row in enumerate(rows):
        for key, value in row.items():
            data[f"roles-{number}-{key}"] = "" if value is None else value
    return data


def role_errors(response):
    return [form.errors for form in response.context["inline_admin_formsets"][0].formset.forms]


@pytest.mark.parametrize("role,scope,field,words", [
    ("dispatcher", {}, "region", "region or the office"),
    ("handler", {"region": "gecheng"}, "office", "works for an office"),
])
def test_a_role_needs_its_scope(staff, county, people, role, scope, field, words):
    scope = {k: getattr(county, v).pk for k, v in scope.items()}
    response = staff.post(url(User, "change", people.nobody.pk), user_data(people.nobody, [{"role": role, **scope}]))
    assert response.status_code == 200
    assert words in " ".join(role_errors(response)[0][field])
    assert not people.nobody.roles.exists()


def test_an_administrator_role_may_cover_everything_and_a_role_is_given_once(staff, county, people):
    response = staff.post(url(User, "change", people.nobody.pk),
                          user_data(people.nobody, [{"role": "admin"}, {"role": "dispatcher",
                                                                        "region": county.fuxing.pk}]))
    assert response.status_code == 302
    assert {(r.role, r.region_id) for r in people.nobody.roles.all()} == {("admin", None),
                                                                          ("dispatcher", county.fuxing.pk)}
    response = staff.post(url(User, "change", people.nobody.pk),
                          user_data(people.nobody, [{"role": "dispatcher", "region": county.fuxing.pk}]))
    assert "already" in " ".join(role_errors(response)[2]["role"])
    assert people.nobody.roles.count() == 2


def test_a_new_user_gets_a_display_name_and_an_office(staff, county):
    response = staff.post(url(User, "add"), {"username": "zhangsan", "usable_password": "true",
                                             "password1": "a-long-password-1", "password2": "a-long-password-1",
                                             "display_name": "张三", "office": county.gecheng_office.pk,
                                             "roles-TOTAL_FORMS": 1, "roles-INITIAL_FORMS": 0,
                                             "roles-0-role": "handler", "roles-0-office": county.gecheng_office.pk})
    assert response.status_code == 302
    user = User.objects.get(username="zhangsan")
    assert user.display_name == "张三" and user.office == county.gecheng_office
    assert RoleAssignment.objects.filter(user=user, role="handler", office=county.gecheng_office).exists()


def test_an_offices_jurisdiction_fits_its_kind(staff, county):
    data = {"code": "tc", "name": "土城社区居委会", "kind": "village", "jurisdiction": county.gecheng.pk,
            "is_active": "on"}
    response = staff.post(url(Office, "add"), data)
    assert "jurisdiction" in errors_of(response)
    data["jurisdiction"] = county.tucheng.pk
    assert staff.post(url(Office, "add"), data).status_code == 302


def test_an_office_page_lists_its_members(staff, county, people):
    page = staff.get(url(Office, "change", county.gecheng_office.pk)).content.decode()
    assert url(User, "change", people.handler.pk) in page
    assert url(User, "change", people.other_handler.pk) not in page


# ---------------------------------------------------------------------------- categories


def test_the_public_flag_is_edited_in_the_category_list(staff, county):
    categories = list(Category.objects.order_by("path"))
    data = {"form-TOTAL_FORMS": len(categories), "form-INITIAL_FORMS": len(categories), "_save": "Save"}
    for number, category in enumerate(categories):
        data[f"form-{number}-id"] = category.pk
        data[f"form-{number}-is_active"] = "on"
        if category != county.noise:
            data[f"form-{number}-is_public"] = "on"
    assert staff.post(url(Category), data).status_code == 302
    county.noise.refresh_from_db()
    county.road.refresh_from_db()
    assert county.noise.is_public is False and county.road.is_public is True


def test_a_parent_category_keeps_its_place_and_code(staff, county):
    data = {"code": "x", "name": "城建", "parent": county.noise.pk, "is_public": "on", "public_location": "hidden",
            "is_active": "on"}
    assert staff.post(url(Category, "change", county.urban.pk), data).status_code == 302
    county.urban.refresh_from_db()
    assert (county.urban.code, county.urban.parent, county.urban.name) == ("urban", None, "城建")


# ---------------------------------------------------------------------------- read-only records


def test_the_personal_data_log_cannot_be_written_or_erased(staff, records, people):
    entry = PersonalDataAccess.objects.get()
    assert staff.get(url(PersonalDataAccess, "add")).status_code == 403
    assert staff.post(url(PersonalDataAccess, "add"), {"reason": "x", "granted": "on"}).status_code == 403
    assert staff.post(url(PersonalDataAccess, "change", entry.pk), {"reason": "改过"}).status_code == 403
    assert staff.get(url(PersonalDataAccess, "delete", entry.pk)).status_code == 403
    assert staff.post(url(PersonalDataAccess, "delete", entry.pk), {"post": "yes"}).status_code == 403
    staff.post(url(PersonalDataAccess), {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    entry.refresh_from_db()
    assert entry.reason == "回访核实" and PersonalDataAccess.objects.count() == 1


@pytest.mark.parametrize("term,found", [("tracking_code", True), ("dispatcher", True), ("supervisor", False)])
def test_the_personal_data_log_is_searched_by_tracking_code_and_user(staff, records, term, found):
    query = records.tracking_code if term == "tracking_code" else term
    response = staff.get(url(PersonalDataAccess), {"q": query})
    assert response.context["cl"].result_count == (1 if found else 0)


def test_a_case_cannot_be_changed_added_or_deleted_here(staff, records):
    case = records
    page = staff.get(url(Case, "change", case.pk)).content.decode()
    assert 'name="status"' not in page and "Read-only" in page
    response = staff.post(url(Case, "change", case.pk), {"status": "closed", "text": "改了", "kind": "complaint"})
    assert response.status_code == 403
    assert staff.get(url(Case, "add")).status_code == 403
    assert staff.post(url(Case, "delete", case.pk), {"post": "yes"}).status_code == 403
    case.refresh_from_db()
    assert case.status == "submitted" and case.text != "改了"


@pytest.mark.parametrize("model", [ExtensionRequest, SupervisionNotice])
def test_the_services_records_are_read_only(staff, records, model):
    row = model.objects.get()
    assert staff.get(url(model, "change", row.pk)).status_code == 200
    assert staff.post(url(model, "change", row.pk), {"note": "x", "reason": "x"}).status_code == 403
    assert staff.post(url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_api_tokens_are_not_made_here(staff, people):
    assert staff.get(reverse("admin:people_apitoken_add")).status_code == 403


def test_an_api_token_is_revoked_from_the_list(staff, people):
    token, _raw = issue_token(people.handler, "手机")
    staff.post(reverse("admin:people_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not ApiToken.objects.usable().exists()


def test_a_new_outline_moves_the_grid_centre(staff, county):
    data = region_data(code=county.grid1.code, name=county.grid1.name, level="grid", parent=county.tucheng.pk,
                       boundary=json.dumps(square(108.80, 31.90)), lat=county.grid1.lat, lng=county.grid1.lng)
    assert staff.post(url(Region, "change", county.grid1.pk), data).status_code == 302
    county.grid1.refresh_from_db()
    assert round(county.grid1.lng, 3) == 108.805 and county.grid1.boundary == square(108.80, 31.90)
