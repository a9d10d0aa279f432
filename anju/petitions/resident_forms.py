"""Forms of the petitioner's pages: the online petition (网上信访, no account), and on the
tracking page of a petition the booking of a reception slot, its cancelling, and the request
for review or re-examination. Every change on the tracking page needs the petition's rating
code (``CaseChangeByReporterForm``): its tracking code only looks it up."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.cases.choices import Channel
from anju.cases.models import Case
from anju.cases.services import CaseError, NewCase
from anju.geo import gridindex
from anju.geo.choices import Level as RegionLevel
from anju.geo.models import Region
from anju.lib.workdays import LOCAL
from anju.people.models import Office
from anju.petitions import queries, services
from anju.petitions.choices import PETITION, Level
from anju.web import humancheck
from anju.web.fields import category_choices
from anju.web.intake_forms import CaseChangeByReporterForm, CaseErrorsMixin, rating_code_field, township_choices

MAX_GROUP = 100_000


def petition_category_choices() -> list:
    """The active categories of petitions (the ``petition`` subtree), in tree order."""
    return category_choices(PETITION)


def village_choices() -> list:
    """Villages and communities grouped under their township."""
    townships = {r.path: r.name for r in Region.objects.filter(level=RegionLevel.TOWNSHIP)}
    groups: dict[str, list] = {}
    for village in Region.objects.filter(level=RegionLevel.VILLAGE).order_by("path").only("code", "name", "path"):
        township_path = "/".join(village.path.split("/")[:2]) + "/"
        groups.setdefault(townships.get(township_path, ""), []).append((village.code, village.name))
    return [("", "---------")] + list(groups.items())


def office_choices() -> list:
    return [("", gettext_lazy("(no body: the petition is not about one)"))] + [
        (o.code, o.name) for o in Office.objects.filter(is_active=True).order_by("name")
    ]


def _phone_ok(phone: str) -> bool:
    return len(phone) <= 20 and all(c.isdigit() or c in "+- " for c in phone)


class OnlinePetitionForm(CaseErrorsMixin, forms.Form):
    """网上信访: a petition sent by the petitioner, no account. Name and phone are optional (an
    anonymous petition is answered on the tracking page); a human check instead of a login."""

    field_map = {"region_code": "township", "lat": "township", "petitioners": "name", "petitioners.0.name": "name",
                 "petitioners.0.phone": "phone", "reporter_phone": "phone", "reporter_name": "name"}

    category = forms.ChoiceField(label=gettext_lazy("What is the petition about?"))
    text = forms.CharField(
        label=gettext_lazy("The matter"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What happened, where, since when, and what you did about it so far."),
    )
    request = forms.CharField(
        label=gettext_lazy("What do you ask for?"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example: that the compensation is paid in full. If you leave it empty, the "
                               "matter itself is read as your request."),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    address = forms.CharField(label=gettext_lazy("Address or landmark (optional)"), max_length=200, required=False)
    township = forms.ChoiceField(
        label=gettext_lazy("Township or street"), required=False,
        help_text=gettext_lazy("Choose it if you do not pick the place on the map."),
    )
    village = forms.ChoiceField(label=gettext_lazy("Village or community (optional)"), required=False)
    about_office = forms.ChoiceField(
        label=gettext_lazy("The body you complain about (optional)"), required=False,
        help_text=gettext_lazy("If your petition is about a government body, choose it. That body never sees who "
                               "petitioned: your name and phone are hidden from all of its staff."),
    )
    reports_wrongdoing = forms.BooleanField(
        label=gettext_lazy("I report wrongdoing by that body (举报)"), required=False,
        help_text=gettext_lazy("By law a report of wrongdoing is kept from the body it is about: that body does not "
                               "see it and does not handle it."),
    )
    group_size = forms.IntegerField(
        label=gettext_lazy("How many people petition together?"), min_value=1, max_value=MAX_GROUP, initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=gettext_lazy("1 if you petition alone."),
    )
    name = forms.CharField(label=gettext_lazy("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=gettext_lazy("Your phone (optional)"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy("Only to tell you about this petition by text message."),
    )
    human_token = forms.CharField(widget=forms.HiddenInput, required=False)
    human_answer = forms.CharField(
        label=gettext_lazy("Human check"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = petition_category_choices()
        self.fields["township"].choices = township_choices()
        self.fields["village"].choices = village_choices()
        self.fields["about_office"].choices = office_choices()
        self.human_check_failure: str | None = None

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not _phone_ok(phone):
            raise forms.ValidationError(_("Phone may hold only digits, spaces, + and -."), code="invalid")
        return phone

    def clean(self):
        cleaned = super().clean()
        try:
            humancheck.verify(cleaned.get("human_token", ""), cleaned.get("human_answer", ""))
        except humancheck.HumanCheckFailed as failure:
            self.human_check_failure = failure.code
            self.add_error("human_answer", failure.message)
        self._clean_place(cleaned)
        if cleaned.get("reports_wrongdoing") and not cleaned.get("about_office") and "about_office" not in self.errors:
            self.add_error("about_office", _("Choose the body whose wrongdoing you report, so that it is kept from "
                                             "that body."))
        return cleaned

    def _clean_place(self, cleaned: dict) -> None:
        lat, lng = cleaned.get("lat"), cleaned.get("lng")
        township, village = cleaned.get("township"), cleaned.get("village")
        if village and township and not village.startswith(township):
            self.add_error("village", _("This village or community lies in another township."))
        if "lat" in self.errors or "lng" in self.errors or (lat is None) != (lng is None):
            self.add_error("township", _("The place picked on the map was not understood; please pick it again "
                                         "or choose the township."))
        elif not (township or village) and "township" not in self.errors:
            if lat is None:
                self.add_error("township", _("Pick the place on the map, or choose the township or street."))
            elif gridindex.find_grid_id(lat, lng) is None:
                self.add_error("township", _("The place picked lies outside the county's grids; please choose "
                                             "the township or street too."))

    def new_case(self) -> NewCase:
        d = self.cleaned_data
        name = d["name"].strip()
        return NewCase(
            kind=PETITION, category_code=d["category"], text=d["text"], channel=Channel.WEB, lat=d["lat"],
            lng=d["lng"], address=d["address"], region_code=d["village"] or d["township"],
            # Without a name the phone alone is how the petitioner is told; with one it goes with the name.
            reporter_phone="" if name else d["phone"], about_office_code=d["about_office"],
            reports_wrongdoing=d["reports_wrongdoing"],
        )

    def facts(self) -> services.PetitionFacts:
        d = self.cleaned_data
        name = d["name"].strip()
        petitioners = [services.NewPetitioner(name, d["phone"], is_representative=True)] if name else []
        return services.PetitionFacts(request=d["request"], group_size=d["group_size"], petitioners=petitioners)


# ---------------------------------------------------------------------------- the tracking page


def slot_value(day_id: int, slot_at: datetime) -> str:
    """A slot as the form sends it: the day and the local time (2026-12-09T09:00:00+08:00)."""
    return f"{day_id}|{slot_at.astimezone(LOCAL).isoformat()}"


class SlotSelect(forms.Select):
    """A select whose full slots are shown but cannot be chosen."""

    def __init__(self, *args, full=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.full = set(full)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.full:
            option["attrs"]["disabled"] = True
        return option


def bookable_days(case: Case, now: datetime | None = None) -> list[tuple]:
    """The planned reception days for the place of ``case`` (a day for the whole county or the
    petition's township), each with its slots still to come: ``[(day, [slot, ...]), ...]``."""
    now = now or timezone.now()
    days = []
    for day in queries.upcoming_days(now):
        if not case.area_path.startswith(day.region.path) or not services.may_meet(case, day):
            continue
        slots = [slot for slot in services.slots_of(day) if slot["at"] > now]
        if slots:
            days.append((day, slots))
    return days


def set_slot_choices(field, days) -> None:
    """Offer the slots of ``days`` (from ``bookable_days``) on a choice field, grouped by day,
    each with its free places; full slots shown but not to be chosen."""
    choices, full = [("", "---------")], []
    for day, slots in days:
        options = []
        for slot in slots:
            value = slot_value(day.pk, slot["at"])
            time = slot["at"].astimezone(LOCAL).strftime("%H:%M")
            if slot["free"]:
                label = _("%(time)s (%(n)s free)") % {"time": time, "n": slot["free"]}
            else:
                label = _("%(time)s (full)") % {"time": time}
                full.append(value)
            options.append((value, label))
        choices.append((_day_label(day), options))
    field.choices = choices
    field.widget = SlotSelect(full=full, choices=choices)


def parse_slot(value: str) -> tuple[int, datetime]:
    """The (day id, slot time) a slot choice names."""
    day_id, _bar, moment = value.partition("|")
    try:
        return int(day_id), datetime.fromisoformat(moment)
    except ValueError:
        raise forms.ValidationError(_("Choose one of the day's slots."), code="invalid") from None


def _day_label(day) -> str:
    start = day.starts_at.astimezone(LOCAL)
    return f"{date_format(start.date(), 'Y-m-d')} · {day.leader} · {day.place}"


class BookingForm(CaseChangeByReporterForm):
    """A slot of a leader reception day for the petition, booked by the petitioner."""

    id_pattern = "id_book_%s"
    field_map = {"slot_at": "slot", "day": "slot"}

    slot = forms.ChoiceField(label=gettext_lazy("Day and time"))
    rating_code = rating_code_field()

    def __init__(self, *args, case=None, days=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.days = days if days is not None else (bookable_days(case) if case is not None else [])
        set_slot_choices(self.fields["slot"], self.days)

    def clean_slot(self):
        return parse_slot(self.cleaned_data["slot"])

    def add_case_error(self, error: CaseError) -> None:
        name = self.field_map.get(error.field or "", error.field)
        self.add_error(name if name in self.fields else None, error.message)


class CancelBookingForm(CaseChangeByReporterForm):
    """Cancelling one booking of the petition; the place is free again."""

    booking = forms.IntegerField(widget=forms.HiddenInput)
    rating_code = rating_code_field()

    def __init__(self, *args, booking_id: int | None = None, **kwargs):
        bound_id = None
        if args and args[0] is not None:
            bound_id = args[0].get("booking")
        key = booking_id if booking_id is not None else bound_id
        # One form per booking on the page: their ids must differ.
        kwargs.setdefault("auto_id", f"id_cancel_{key}_%s" if key else "id_cancel_%s")
        super().__init__(*args, **kwargs)
        if booking_id is not None:
            self.initial["booking"] = booking_id

    def add_case_error(self, error: CaseError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


class ReviewForm(CaseChangeByReporterForm):
    """The petitioner asks for review (复查) of the written answer, or for re-examination (复核)
    of a review decision."""

    id_pattern = "id_review_%s"

    reason = forms.CharField(
        label=gettext_lazy("Why do you disagree with the decision?"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The facts or reasons the decision got wrong, and what you ask for now."),
    )
    rating_code = rating_code_field()

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        level = getattr(getattr(case, "petition", None), "level", Level.ORIGINAL) if case is not None else ""
        if level == Level.REVIEW:
            self.fields["reason"].label = gettext_lazy("Why do you disagree with the review decision?")

    def add_case_error(self, error: CaseError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)
