"""Forms for registering a case (staff intake) and for residents (report, track, rate)."""

import uuid

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.cases import modules, services
from anju.cases.access import CREATE, actions_of
from anju.cases.choices import Channel, Kind, Priority
from anju.cases.models import Category
from anju.geo import gridindex
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib import tracking
from anju.people.access import is_global, roles_of
from anju.web import humancheck
from anju.web.fields import coordinate_field

MAX_FILES = 10
# Kinds a resident chooses from; the domain kinds (dispute, petition ...) are set by staff.
RESIDENT_KINDS = [Kind.COMPLAINT, Kind.HELP, Kind.CONSULTATION, Kind.SUGGESTION, Kind.REPORT]
# Channels through which staff register a case; web, app and API cases come in by themselves.
STAFF_CHANNELS = [Channel.HOTLINE, Channel.WALK_IN, Channel.GRID_WORKER, Channel.LETTER]


# ---------------------------------------------------------------------------- choices


def category_choices(*, public_only: bool) -> list:
    """Active categories grouped under their top-level category, in tree order."""
    rows = Category.objects.filter(is_active=True)
    if public_only:
        rows = rows.filter(is_public=True)
    rows = list(rows.order_by("path"))
    roots = {c.code: c.name for c in Category.objects.filter(parent__isnull=True)}
    groups: dict[str, list] = {}
    for category in rows:
        root_code = category.path.split("/", 1)[0]
        indent = "\u00a0\u00a0" * max(0, category.depth - 1) + ("· " if category.depth > 1 else "")
        groups.setdefault(root_code, []).append((category.code, indent + category.name))
    return [("", "---------")] + [(roots.get(code, code), options) for code, options in groups.items()]


def creation_scopes(user) -> list[Region] | None:
    """The regions in which ``user`` may register cases; None means everywhere."""
    if is_global(user):
        return None
    return [a.region for a in roles_of(user) if a.region_id and CREATE in actions_of(a)]


def can_create_somewhere(user) -> bool:
    scopes = creation_scopes(user)
    return scopes is None or bool(scopes)


def region_choices(user) -> list:
    """Townships, villages and grids the user may register cases in, grouped by township."""
    scopes = creation_scopes(user)
    rows = Region.objects.exclude(level=Level.COUNTY)
    if scopes is not None:
        condition = Q(pk__in=[])
        for region in scopes:
            condition |= Q(path__startswith=region.path)
        rows = rows.filter(condition)
    rows = list(rows.order_by("path").only("code", "name", "level", "path"))
    townships = {r.code: r.name for r in Region.objects.filter(level=Level.TOWNSHIP)}
    groups: dict[str, list] = {}
    prefix = {Level.TOWNSHIP: "", Level.VILLAGE: "\u00a0\u00a0", Level.GRID: "\u00a0\u00a0\u00a0\u00a0· "}
    for region in rows:
        codes = [c for c in region.path.split("/") if c]
        township = codes[1] if len(codes) > 1 else region.code
        groups.setdefault(township, []).append((region.code, prefix.get(region.level, "") + region.name))
    return [("", "---------")] + [(townships.get(code, code), options) for code, options in groups.items()]


def township_choices() -> list:
    rows = Region.objects.filter(level=Level.TOWNSHIP).order_by("path")
    return [("", "---------")] + [(r.code, r.name) for r in rows]


# ---------------------------------------------------------------------------- fields


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one <input type=file multiple>, each checked by content and size
    before anything is created."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        attrs = {"accept": "image/*", "capture": "environment"}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("At most %(n)s files at a time.") % {"n": MAX_FILES}, code="too_many")
        errors = []
        for upload in files:
            try:
                services.check_upload(upload)
            except services.CaseError as error:
                errors.append(forms.ValidationError("%(name)s: %(reason)s",
                                                    params={"name": upload.name, "reason": error.message}))
        if errors:
            raise forms.ValidationError(errors)
        return files


class CaseErrorsMixin:
    """Show a service's CaseError next to the field it names."""

    field_map: dict[str, str] = {}

    def add_case_error(self, error: services.CaseError) -> None:
        name = self.field_map.get(error.field or "", error.field)
        self.add_error(name if name in self.fields else None, error.message)


class ContactMixin:
    """Reporter details, ignored when the reporter stays anonymous."""

    def clean_contact(self, cleaned: dict) -> None:
        if cleaned.get("anonymous"):
            for name in ("reporter_name", "reporter_phone", "reporter_email"):
                cleaned[name] = ""


def _contact_fields() -> dict:
    return {
        "reporter_name": forms.CharField(label=gettext_lazy("Name"), max_length=50, required=False),
        "reporter_phone": forms.CharField(
            label=gettext_lazy("Phone"), max_length=20, required=False,
            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        ),
        "reporter_email": forms.EmailField(label=gettext_lazy("E-mail"), max_length=254, required=False),
    }


# ---------------------------------------------------------------------------- staff intake


class IntakeForm(CaseErrorsMixin, ContactMixin, forms.Form):
    """Registering a case at the hotline, at the front desk, or by a grid worker on patrol."""

    field_map = {"region_code": "region", "file": "attachments", "Idempotency-Key": ""}

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=lambda: [("", "---------"), *modules.kind_choices()])
    category = forms.ChoiceField(label=gettext_lazy("Category"))
    text = forms.CharField(label=gettext_lazy("What is the concern?"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    channel = forms.ChoiceField(label=gettext_lazy("Received through"))
    priority = forms.ChoiceField(label=gettext_lazy("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    lat = coordinate_field(gettext_lazy("Latitude"), 90)
    lng = coordinate_field(gettext_lazy("Longitude"), 180)
    address = forms.CharField(label=gettext_lazy("Address or place description"), max_length=200, required=False)
    region = forms.ChoiceField(
        label=gettext_lazy("Grid, village or township"), required=False,
        help_text=gettext_lazy("Needed when no point is picked on the map, or the point lies outside every grid."),
    )
    anonymous = forms.BooleanField(label=gettext_lazy("The reporter wants to stay anonymous"), required=False)
    confidential = forms.BooleanField(
        label=gettext_lazy("Confidential"), required=False,
        help_text=gettext_lazy("The reporter's name and phone are hidden from the office the concern is about "
                               "and from the office that handles it."),
    )
    attachments = PhotosField(label=gettext_lazy("Photos"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_contact_fields())
        self.user = user
        self.fields["category"].choices = category_choices(public_only=False)
        self.fields["channel"].choices = [(c.value, c.label) for c in STAFF_CHANNELS]
        self.fields["region"].choices = region_choices(user)
        self.order_fields(["kind", "category", "text", "channel", "priority", "lat", "lng", "address", "region",
                           "reporter_name", "reporter_phone", "reporter_email", "anonymous", "confidential",
                           "attachments", "idempotency_key"])

    def clean(self):
        cleaned = super().clean()
        lat, lng = cleaned.get("lat"), cleaned.get("lng")
        if "lat" in self.errors or "lng" in self.errors:
            return cleaned
        if (lat is None) != (lng is None):
            self.add_error("lat", _("Give both latitude and longitude, or neither."))
        elif lat is None and not cleaned.get("region") and "region" not in self.errors:
            self.add_error("lat", _("Pick the place on the map, or choose the grid, village or township."))
        self.clean_contact(cleaned)
        return cleaned

    def new_case(self) -> services.NewCase:
        d = self.cleaned_data
        return services.NewCase(
            kind=d["kind"], category_code=d["category"], text=d["text"], channel=d["channel"],
            priority=d["priority"], lat=d["lat"], lng=d["lng"], address=d["address"], region_code=d["region"],
            reporter_name=d["reporter_name"], reporter_phone=d["reporter_phone"],
            reporter_email=d["reporter_email"], confidential=d["confidential"],
        )


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


# ---------------------------------------------------------------------------- residents


class ReportForm(CaseErrorsMixin, ContactMixin, forms.Form):
    """A resident's report: no account, contact optional, a human check instead of a login."""

    field_map = {"region_code": "township", "lat": "township", "file": "photos"}

    category = forms.ChoiceField(label=gettext_lazy("What is it about?"))
    kind = forms.ChoiceField(
        label=gettext_lazy("Type of concern"), choices=[(k.value, k.label) for k in RESIDENT_KINDS],
        initial=Kind.COMPLAINT,
    )
    text = forms.CharField(
        label=gettext_lazy("Describe the concern"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What happened, where exactly, since when. Please do not write other people's "
                               "phone numbers or ID numbers here."),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    address = forms.CharField(
        label=gettext_lazy("Address or landmark"), max_length=200, required=False,
        help_text=gettext_lazy("For example: 滨河路 12 号对面 / opposite No. 12 Binhe Road."),
    )
    township = forms.ChoiceField(
        label=gettext_lazy("Township or street"), required=False,
        help_text=gettext_lazy("Choose it if you do not pick the place on the map."),
    )
    photos = PhotosField(label=gettext_lazy("Photos (optional)"))
    anonymous = forms.BooleanField(
        label=gettext_lazy("Stay anonymous"), required=False,
        help_text=gettext_lazy("We will not keep any name, phone or e-mail. You can still follow your case with "
                               "the tracking code, but nobody can call you back."),
    )
    confidential = forms.BooleanField(
        label=gettext_lazy("Keep my name and phone confidential"), required=False,
        help_text=gettext_lazy("Your name and phone will not be shown to the office or unit you complain "
                               "about, nor to the office that handles the case. Only the service centre sees them."),
    )
    human_token = forms.CharField(widget=forms.HiddenInput, required=False)
    human_answer = forms.CharField(
        label=gettext_lazy("Human check"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_contact_fields())
        self.fields["reporter_name"].label = gettext_lazy("Your name (optional)")
        self.fields["reporter_phone"].label = gettext_lazy("Your phone (optional)")
        self.fields["reporter_phone"].help_text = gettext_lazy("Only to call you back about this concern.")
        self.fields["reporter_email"].label = gettext_lazy("Your e-mail (optional)")
        self.fields["category"].choices = category_choices(public_only=True)
        self.fields["township"].choices = township_choices()
        self.order_fields(["category", "kind", "text", "lat", "lng", "address", "township", "photos",
                           "reporter_name", "reporter_phone", "reporter_email", "anonymous", "confidential",
                           "human_token", "human_answer"])
        self.human_check_failure: str | None = None

    def clean(self):
        cleaned = super().clean()
        try:
            humancheck.verify(cleaned.get("human_token", ""), cleaned.get("human_answer", ""))
        except humancheck.HumanCheckFailed as failure:
            self.human_check_failure = failure.code
            self.add_error("human_answer", failure.message)
        lat, lng = cleaned.get("lat"), cleaned.get("lng")
        if "lat" in self.errors or "lng" in self.errors or (lat is None) != (lng is None):
            self.add_error("township", _("The place picked on the map was not understood; please pick it again "
                                         "or choose the township."))
        elif not cleaned.get("township") and "township" not in self.errors:
            if lat is None:
                self.add_error("township", _("Pick the place on the map, or choose the township or street."))
            elif gridindex.find_grid_id(lat, lng) is None:
                self.add_error("township", _("The place picked lies outside the county's grids; please choose "
                                             "the township or street too."))
        self.clean_contact(cleaned)
        return cleaned

    def new_case(self) -> services.NewCase:
        d = self.cleaned_data
        return services.NewCase(
            kind=d["kind"], category_code=d["category"], text=d["text"], channel=Channel.WEB,
            lat=d["lat"], lng=d["lng"], address=d["address"], region_code=d["township"],
            reporter_name=d["reporter_name"], reporter_phone=d["reporter_phone"],
            reporter_email=d["reporter_email"], confidential=d["confidential"],
        )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Tracking code"), max_length=30,
        help_text=gettext_lazy("Nine letters and digits, like K7M2-9QXPA. Capitals, spaces and dashes do not "
                               "matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self):
        code = tracking.normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("This is not a valid tracking code: one character seems to be mistyped. Please check it "
                  "against your note."), code="malformed",
            )
        return code


SATISFACTION_CHOICES = [
    ("5", gettext_lazy("★★★★★ Very satisfied")),
    ("4", gettext_lazy("★★★★☆ Satisfied")),
    ("3", gettext_lazy("★★★☆☆ Neither satisfied nor dissatisfied")),
    ("2", gettext_lazy("★★☆☆☆ Dissatisfied")),
    ("1", gettext_lazy("★☆☆☆☆ Very dissatisfied")),
]


def rating_code_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Rating code"), max_length=20,
        help_text=gettext_lazy("Six letters and digits, shown with your tracking code on the page after you "
                               "reported and in the text messages or e-mails we sent you."),
        error_messages={"required": gettext_lazy("Please enter the rating code of your case.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class CaseChangeByReporterForm(forms.Form):
    """A resident's change to a case (rating, "not solved") needs the case's rating code: the
    tracking code alone is a public reference (Open311 lists it), so it may only look the case up."""

    id_pattern = "id_%s"

    def __init__(self, *args, case=None, **kwargs):
        # Both forms sit on one page with a rating code each: their ids must differ.
        kwargs.setdefault("auto_id", self.id_pattern)
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_rating_code(self):
        typed = self.cleaned_data["rating_code"]
        if self.case is None or not tracking.check_rating_code(self.case.tracking_code, typed):
            raise forms.ValidationError(
                _("This is not the rating code of this case. Please check it against your note or the message "
                  "we sent you."), code="wrong",
            )
        return typed


class RatingForm(CaseChangeByReporterForm):
    id_pattern = "id_rate_%s"

    satisfaction = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you with the answer?"), choices=SATISFACTION_CHOICES, coerce=int,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Comment (optional)"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    rating_code = rating_code_field()


class NotSolvedForm(CaseChangeByReporterForm):
    id_pattern = "id_not_solved_%s"

    reason = forms.CharField(
        label=gettext_lazy("What is still wrong?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
    )
    rating_code = rating_code_field()


def kept_data(form_class, data, *, exclude=("human_token", "human_answer", "idempotency_key")) -> dict:
    """The values a person typed, as initial data for an unbound form (shown again without
    error messages, e.g. when the rate limit stops a submission)."""
    initial = {}
    for name, field in form_class.base_fields.items():
        if name in exclude or name not in data:
            continue
        if isinstance(field, forms.BooleanField):
            initial[name] = data.get(name) in ("on", "true", "1", "True")
        else:
            initial[name] = data.get(name)
    for name in ("reporter_name", "reporter_phone", "reporter_email"):
        if name in data:
            initial[name] = data.get(name)
    return initial
