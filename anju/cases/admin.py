"""Administration of the case registers (categories, routing rules, deadline policies, calendar
overrides) and read-only views of cases and their records.

Cases change only through the lifecycle services, so every case record here is read-only, and
the log of looks at personal data can be neither written nor erased by anyone.
"""

import re

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import display_for_value
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from anju.cases import modules
from anju.cases.choices import ClockUnit, RoutingBasis
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
from anju.geo.admin import labelled, titled
from anju.lib.workdays import NOTICE, OFFICIAL, STATUTORY, Calendar

CATEGORY_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# A time allowed of more than about a year is a typo, not a policy.
MAX_AMOUNT = {ClockUnit.WORKING_DAYS: 250, ClockUnit.CALENDAR_DAYS: 366, ClockUnit.HOURS: 24 * 366}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the services: anyone with the view permission may look, no one,
    superusers included, may add, change or delete them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------------------- categories


def _kind_choices():
    # The core's kinds and the registered modules' (``modules``), not database choices.
    return [("", "---------"), *modules.kind_choices()]


class CategoryAdminForm(forms.ModelForm):
    default_kind = forms.ChoiceField(label=_("default kind"), choices=_kind_choices, required=False)

    class Meta:
        model = Category
        fields = ["code", "name", "parent", "gbt31000_code", "default_kind", "is_public", "public_location",
                  "is_active"]
        help_texts = {
            "code": _("Letters, digits, dots, dashes and underscores, e.g. urban.road. Cannot be changed later."),
            "is_public": _("Residents may choose it on the public form, and Open311 applications as a service."),
            "public_location": _("Whether its open cases appear on the public map and in Open311 request lists, "
                                 "and how precisely. Confidential cases never do."),
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not CATEGORY_CODE.match(code):
            raise forms.ValidationError(gettext("Use letters, digits, dots, dashes and underscores only."))
        return code

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk and parent.path.startswith(self.instance.path):
            raise forms.ValidationError(gettext("A category cannot lie under itself."))
        return parent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """The category tree, indented by depth. A category's code is fixed once it exists, and so is
    its parent once it has children: the paths below it are built from them."""

    form = CategoryAdminForm
    list_display = ["tree_name", "code", "parent", "gbt31000_code", "get_default_kind_display", "is_public",
                    "public_location", "is_active"]
    list_display_links = ["tree_name", "code"]
    list_editable = ["is_public", "is_active"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter), "is_public", "public_location", "is_active",
                   "default_kind"]
    search_fields = ["code", "name", "gbt31000_code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]
    list_per_page = 200

    @admin.display(description=_("name"), ordering="path")
    def tree_name(self, category):
        return format_html('<span style="padding-left:{}em">{}</span>', 1.5 * category.depth, category.name)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["code", "parent"] if obj.children.exists() else ["code"]


# ---------------------------------------------------------------------------- routing rules


class RoutingRuleForm(forms.ModelForm):
    """A routing rule that can take effect: an active office whose jurisdiction covers the region
    and which answers for the category, one rule per (category, region)."""

    class Meta:
        model = RoutingRule
        fields = ["category", "region", "office", "basis"]
        labels = {"category": _("category"), "region": _("region"), "office": _("office")}
        help_texts = {
            "category": _("Empty: every category in the region (属地). A rule on a category also covers its "
                          "subcategories."),
            "region": _("The rule covers this region and everything under it; the deepest category wins, "
                        "then the deepest region."),
        }

    def clean(self):
        cleaned = super().clean()
        category, region, office = cleaned.get("category"), cleaned.get("region"), cleaned.get("office")
        if cleaned.get("basis") == RoutingBasis.SECTOR and "category" in cleaned and category is None:
            self.add_error("category", gettext("A sector rule (行业) is about one category: choose it."))
        if office is not None:
            if not office.is_active:
                self.add_error("office", gettext("This office is no longer active; routing skips it."))
            elif region is not None and not region.path.startswith(office.jurisdiction.path):
                self.add_error("office", gettext("%(office)s answers for %(jurisdiction)s, which does not include "
                                                 "%(region)s.")
                               % {"office": office, "jurisdiction": office.jurisdiction.name, "region": region.name})
            elif category is not None and office.categories.exists():
                # The office answers for the category, a category above it, or some below it.
                related = Q(code__in=category.path.split("/")) | Q(path__startswith=category.path)
                if not office.categories.filter(related).exists():
                    self.add_error("office", gettext("%(office)s does not answer for %(category)s: add the "
                                                     "category to the office, or choose another office.")
                                   % {"office": office, "category": category})
        if region is not None and "category" in cleaned:
            clash = RoutingRule.objects.filter(region=region, category=category).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("region", gettext("There is a rule for this category in this region already."))
        return cleaned


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    form = RoutingRuleForm
    list_display = ["region_name", "category_or_all", labelled("office", _("office")), "basis"]
    list_filter = [
        "basis",
        ("office__kind", titled(admin.ChoicesFieldListFilter, _("office kind"))),
        ("office", titled(admin.RelatedOnlyFieldListFilter, _("office"))),
        ("category", titled(admin.RelatedOnlyFieldListFilter, _("category"))),
    ]
    search_fields = ["region__name", "region__code", "office__name", "office__code", "category__name",
                     "category__code"]
    list_select_related = ["category", "region", "office"]
    autocomplete_fields = ["category", "region", "office"]
    ordering = ["region__path", "category__path"]

    @admin.display(description=_("region"), ordering="region__path")
    def region_name(self, rule):
        return rule.region

    @admin.display(description=_("category"), ordering="category__path")
    def category_or_all(self, rule):
        return rule.category or gettext("every category")


# ---------------------------------------------------------------------------- deadline policies


class DeadlinePolicyForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("kind"), choices=_kind_choices, required=False, help_text=_("Empty: any kind."))

    class Meta:
        model = DeadlinePolicy
        fields = ["name", "kind", "category", "priority", "accept_amount", "accept_unit", "handle_amount",
                  "handle_unit", "reply_amount", "reply_unit", "warn_before_hours", "escalate_after_hours"]
        labels = {"category": _("category"), "accept_unit": _("unit"), "handle_unit": _("unit"),
                  "reply_unit": _("unit")}
        help_texts = {
            "kind": _("Empty: any kind."),
            "category": _("Empty: any category. A policy on a category also covers its subcategories."),
            "priority": _("Empty: any priority. The most specific policy wins: priority first, then the "
                          "deeper category, then kind."),
        }

    def clean(self):
        cleaned = super().clean()
        for stage in ("accept", "handle", "reply"):
            amount, unit = cleaned.get(f"{stage}_amount"), cleaned.get(f"{stage}_unit")
            if amount is None or not unit:
                continue
            if amount < 1:
                self.add_error(f"{stage}_amount", gettext("Allow at least 1."))
            elif amount > MAX_AMOUNT[unit]:
                self.add_error(f"{stage}_amount", gettext("At most %(n)s %(unit)s.")
                               % {"n": MAX_AMOUNT[unit], "unit": ClockUnit(unit).label})
        if "category" in cleaned and "kind" in cleaned and "priority" in cleaned:
            clash = DeadlinePolicy.objects.filter(
                kind=cleaned["kind"] or "", category=cleaned["category"], priority=cleaned["priority"] or ""
            ).exclude(pk=self.instance.pk)
            if (other := clash.first()) is not None:
                self.add_error("category", gettext("The policy “%(name)s” covers this kind, category and priority "
                                                   "already.") % {"name": other.name})
        return cleaned


def _time_allowed(stage: str, label):
    @admin.display(description=label)
    def column(policy):
        return f"{getattr(policy, f'{stage}_amount')} {getattr(policy, f'get_{stage}_unit_display')()}"

    column.__name__ = f"{stage}_time"
    return column


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    form = DeadlinePolicyForm
    list_display = ["name", "kind", labelled("category", _("category")), "priority",
                    _time_allowed("accept", _("time to accept")), _time_allowed("handle", _("time to handle")),
                    _time_allowed("reply", _("time to reply")), "warn_before_hours", "escalate_after_hours"]
    list_filter = ["kind", "priority", ("category", titled(admin.RelatedOnlyFieldListFilter, _("category")))]
    search_fields = ["name", "category__name", "category__code"]
    list_select_related = ["category"]
    autocomplete_fields = ["category"]
    ordering = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "category", "priority"]}),
        (_("Time allowed"), {"fields": [("accept_amount", "accept_unit"), ("handle_amount", "handle_unit"),
                                        ("reply_amount", "reply_unit")]}),
        (_("Supervision"), {"fields": ["warn_before_hours", "escalate_after_hours"]}),
    ]


# ---------------------------------------------------------------------------- calendar overrides


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "is_workday", "note"]
        help_texts = {
            "is_workday": _("Ticked: a working day (e.g. a make-up working day on a weekend). Not ticked: a day off."),
            "note": _("Why, e.g. “2027 Spring Festival (State Council notice)”."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True


@admin.display(description=_("without this override"))
def official_calendar(override):
    workday, guessed = Calendar(notice_years=HolidayNotice.objects.values_list("year", flat=True)).is_workday(
        override.date)
    status = gettext("working day") if workday else gettext("day off")
    return gettext("%(status)s (estimated from the statutory holidays)") % {"status": status} if guessed else status


@admin.display(description=_("weekday"), ordering="date")
def weekday(override):
    return date_format(override.date, "l")


def coverage_note() -> str:
    """What this year and the next three are counted from: the official calendar, a State
    Council notice entered here, or the statutory holidays alone (estimates)."""
    this_year = timezone.localdate().year
    notices = set(HolidayNotice.objects.values_list("year", flat=True))
    calendar = Calendar(notice_years=notices)
    words = {
        OFFICIAL: gettext("the State Council's notice (official calendar package)"),
        NOTICE: gettext("the State Council's notice, entered here"),
        STATUTORY: gettext("the statutory holidays only: deadlines are estimates until the notice is entered"),
    }
    lines = []
    for year in range(this_year, this_year + 4):
        count = CalendarOverride.objects.filter(date__year=year).count()
        line = f"{year}: {words[calendar.coverage(year)]}"
        if count:
            line += " · " + ngettext("%(count)d override", "%(count)d overrides", count) % {"count": count}
        lines.append(line)
    return gettext("Which years the deadlines are counted from: %(years)s. Periods that end on a day off end on "
                   "the next working day. For a year not covered yet, enter the extra days off and make-up "
                   "working days of the State Council's notice here, then record the notice under “holiday "
                   "notices”: deadlines counted over that year are then no longer estimates and are counted "
                   "again.") % {"years": "; ".join(lines)}


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Days whose working status the administrator sets: they win over the official calendar
    (the chinesecalendar package), which stops at the last year the State Council announced."""

    form = CalendarOverrideForm
    change_list_template = "admin/anju/change_list_with_note.html"
    list_display = ["date", weekday, "is_workday", official_calendar, "note"]
    list_filter = ["is_workday"]
    search_fields = ["note"]
    date_hierarchy = "date"
    ordering = ["date"]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"note": coverage_note(), **(extra_context or {})})

    def get_fieldsets(self, request, obj=None):
        return [(None, {"description": coverage_note(), "fields": ["date", "is_workday", "note"]})]


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(admin.ModelAdmin):
    """The State Council's notices entered for years the official calendar does not cover yet."""

    change_list_template = "admin/anju/change_list_with_note.html"
    list_display = ["year", "title", "published_on", "entered_at"]
    ordering = ["year"]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"note": coverage_note(), **(extra_context or {})})


# ---------------------------------------------------------------------------- cases (read-only)

READ_ONLY_CASES = _("Read-only. A case changes only through its page in the workbench, where every step is "
                    "checked and written to the timeline.")


@admin.display(description=_("timeline"))
def timeline(case):
    """The case's timeline as a table: events are never edited, so no form is needed."""
    events = case.events.select_related("actor").order_by("at", "id")
    rows = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
        (display_for_value(e.at, "-"), e.actor or "-", e.get_action_display(),
         f"{e.get_from_status_display()} → {e.get_to_status_display()}" if e.to_status else "",
         e.note, gettext("yes") if e.public else gettext("no"))
        for e in events
    ))
    return format_html(
        '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
        gettext("time"), gettext("by"), gettext("action"), gettext("status"), gettext("note"),
        gettext("shown to the reporter"), rows,
    )


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Read-only: cases change only through the lifecycle services. The reporter is not shown
    here; looking at a reporter goes through the logged reveal on the case page."""

    list_display = ["tracking_code", "kind", "category", "status", "priority", "office", "due_at", "submitted_at"]
    list_filter = ["status", "kind", "priority", "channel", "confidential"]
    search_fields = ["=tracking_code"]
    search_help_text = _("Search by tracking code.")
    list_select_related = ["category", "office"]
    # No date hierarchy: listing a million cases' years scans them all; the workbench has the case lists.
    ordering = ["-submitted_at"]
    show_full_result_count = False
    change_list_template = "admin/anju/change_list_with_note.html"
    fieldsets = [
        (None, {"description": READ_ONLY_CASES,
                "fields": ["tracking_code", "status", "kind", "category", "priority", "channel", "text"]}),
        (_("Place"), {"fields": ["region", "grid", "address", "lat", "lng"]}),
        (_("Handling"), {"fields": ["office", "about_office", "confidential", "returned_reason",
                                    labelled("merged_into", _("merged into")),
                                    labelled("created_by", _("registered by"))]}),
        (_("Deadlines"), {"fields": ["submitted_at", labelled("accepted_at", _("accepted at")), "accept_due_at",
                                     "handle_due_at", "reply_due_at", "due_at",
                                     labelled("resolved_at", _("resolved at")),
                                     labelled("closed_at", _("closed at"))]}),
        (_("Reply"), {"fields": ["reply", "satisfaction"]}),
        (_("Timeline"), {"classes": ["wide"], "fields": [timeline]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field for _name, options in self.fieldsets for field in options["fields"]]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"note": READ_ONLY_CASES, **(extra_context or {})})


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = [labelled("case", _("case")), labelled("requested_at", _("requested at")),
                    labelled("requested_by", _("requested by")), labelled("amount", _("amount")),
                    labelled("unit", _("unit")), labelled("status", _("status")),
                    labelled("decided_at", _("decided at")), labelled("reason", _("reason"))]
    list_filter = [("status", titled(admin.ChoicesFieldListFilter, _("status")))]
    search_fields = ["=case__tracking_code"]
    search_help_text = _("Search by tracking code.")
    list_select_related = ["case", "requested_by"]
    date_hierarchy = "requested_at"
    ordering = ["-requested_at"]
    fields = [labelled("case", _("case")), labelled("requested_at", _("requested at")),
              labelled("requested_by", _("requested by")), labelled("amount", _("amount")),
              labelled("unit", _("unit")), labelled("reason", _("reason")), labelled("status", _("status")),
              labelled("decided_by", _("decided by")), labelled("decided_at", _("decided at")),
              labelled("decision_note", _("decision note"))]
    readonly_fields = fields


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(ReadOnlyAdmin):
    list_display = [labelled("case", _("case")), labelled("created_at", _("issued at")), labelled("kind", _("kind")),
                    labelled("level", _("level")), labelled("office", _("office")), labelled("region", _("region")),
                    labelled("issued_by", _("issued by")), labelled("due_at", _("deadline"))]
    list_filter = [("kind", titled(admin.ChoicesFieldListFilter, _("kind"))),
                   ("level", titled(admin.AllValuesFieldListFilter, _("level")))]
    search_fields = ["=case__tracking_code"]
    search_help_text = _("Search by tracking code.")
    list_select_related = ["case", "office", "region", "issued_by"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    fields = [labelled("case", _("case")), labelled("created_at", _("issued at")), labelled("kind", _("kind")),
              labelled("level", _("level")), labelled("office", _("office")), labelled("region", _("region")),
              labelled("issued_by", _("issued by")), labelled("due_at", _("deadline")), labelled("note", _("note"))]
    readonly_fields = fields


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    """The log of looks at reporters' personal data: searchable, never editable."""

    list_display = [labelled("at", _("time")), labelled("user", _("user")), labelled("case", _("case")),
                    labelled("granted", _("granted"), boolean=True), labelled("reason", _("reason"))]
    list_filter = [("granted", titled(admin.BooleanFieldListFilter, _("granted")))]
    search_fields = ["=case__tracking_code", "user__username", "user__display_name"]
    search_help_text = _("Search by tracking code or user.")
    list_select_related = ["user", "case"]
    date_hierarchy = "at"
    ordering = ["-at"]
    fields = readonly_fields = [labelled("at", _("time")), labelled("user", _("user")), labelled("case", _("case")),
                                labelled("granted", _("granted"), boolean=True), labelled("reason", _("reason"))]
