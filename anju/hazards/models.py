"""Safety hazards (安全隐患排查整治): the sites register, versioned checklists, inspections, hazards
found (each a case of kind ``hazard`` with its record here), rectification rounds, the plan of a
major hazard, listed supervision (挂牌督办) and campaigns (专项行动).

A site's responsible unit has no account in Anju: its responsible person is a contact, masked
like every person, and orders reach the unit on paper and by SMS."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.cases.redaction import RedactedTexts
from anju.hazards.choices import CampaignStatus, HazardLevel, HazardStage, ItemResult, ListingStatus, RoundResult
from anju.lib.redact import Person


class SiteKind(models.Model):
    """A kind of site (高层建筑, 非煤矿山, 学校, 农贸市场, 建筑工地 …), an editable tree. ``category``
    is the case category of the hazards found at sites of this kind (its routing rules send them
    to the supervising department, 行业, or the township, 属地)."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    category = models.ForeignKey("cases.Category", verbose_name=_("category of its hazards"),
                                 on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("site kind")
        verbose_name_plural = _("site kinds")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        self.depth = self.parent.depth + 1 if self.parent else 0
        super().save(*args, **kwargs)


class Site(RedactedTexts, models.Model):
    """A place hazards are looked for: where it is, its grid, the unit responsible for it and its
    contact (masked wherever shown), the department that supervises it (行业监管), and notes on its
    risks, kept whole and redacted of the contact like every text that may name a person."""

    kind = models.ForeignKey(SiteKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    region = models.ForeignKey("geo.Region", verbose_name=_("grid or region"), on_delete=models.PROTECT,
                               related_name="+")
    area_path = models.CharField(max_length=255, editable=False)
    unit = models.CharField(_("responsible unit"), max_length=200)
    contact_name = models.CharField(_("responsible person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("their phone"), max_length=30, blank=True)
    department = models.ForeignKey("people.Office", verbose_name=_("supervising department (行业)"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    risk_notes = models.TextField(_("risk notes"), blank=True)
    risk_notes_whole = models.TextField(blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # The Idempotency-Key it was created with (and a fingerprint of that request): sent again by
    # the same user, the same site is answered instead of a second one.
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["area_path", "name", "id"]
        indexes = [models.Index(fields=["area_path"], name="site_area")]
        constraints = [models.UniqueConstraint(fields=["created_by", "idempotency_key"],
                                               condition=~Q(idempotency_key=""), name="site_created_once")]

    REDACTED = {"risk_notes": "risk_notes_whole"}

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.area_path = self.region.path
        super().save(*args, **kwargs)

    def people_for_redaction(self) -> list[Person]:
        """The site's contact: a register's entry belongs to no case."""
        if not (self.contact_name or self.contact_phone):
            return []
        return [Person(name=self.contact_name, phone=self.contact_phone)]


class ChecklistTemplate(models.Model):
    """A checklist for a kind of site, versioned: publishing a change makes a new version, and an
    inspection keeps the version it used."""

    kind = models.ForeignKey(SiteKind, verbose_name=_("site kind"), on_delete=models.PROTECT,
                             related_name="templates")
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("in use"), default=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["kind__path", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="one_checklist_version_per_kind"),
            models.UniqueConstraint(fields=["kind"], condition=Q(is_current=True), name="one_current_checklist"),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"


class ChecklistItem(models.Model):
    """One thing to check, with its legal basis and the evidence an inspector is expected to see."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.CharField(_("what to check"), max_length=500)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    evidence = models.CharField(_("evidence expected"), max_length=300, blank=True)

    class Meta:
        ordering = ["template", "number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="one_item_per_number")]

    def __str__(self):
        return f"{self.number}. {self.text}"


class Campaign(models.Model):
    """A campaign (专项行动) over a kind of site (and its children) in a region for a period: every
    active site of that kind there is owed an inspection."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.ForeignKey(SiteKind, verbose_name=_("site kind"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("geo.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.RUNNING)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["opened_by", "idempotency_key"],
                                               condition=~Q(idempotency_key=""), name="campaign_opened_once")]

    def __str__(self):
        return self.title


class Inspection(RedactedTexts, models.Model):
    """One inspection of a site with a checklist version, item by item, signed by the inspector
    and sent once (``idempotency_key``). Its notes are redacted of the site's contact."""

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="inspections")
    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("checklist"), on_delete=models.PROTECT,
                                 related_name="inspections")
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="inspections")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT,
                                  related_name="+")
    signed_as = models.CharField(_("signed"), max_length=50)
    inspected_at = models.DateTimeField(_("inspected at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    note_whole = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_at", "-id"]
        indexes = [models.Index(fields=["site", "inspected_at"], name="inspection_site_time")]

    REDACTED = {"note": "note_whole"}

    def __str__(self):
        return f"{self.site} {self.inspected_at:%Y-%m-%d}"

    def people_for_redaction(self) -> list[Person]:
        return self.site.people_for_redaction()


class InspectionPhoto(models.Model):
    """A photo taken at an inspection (of an item, or of the site)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    item_number = models.PositiveSmallIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="hazards/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Hazard(RedactedTexts, models.Model):
    """The record of a case of kind ``hazard``: the site, the level, what was found and where in
    its loop it is. A major hazard's unit stops the affected work and submits a rectification
    plan with the six parts the rules ask for."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="hazard")
    site = models.ForeignKey(Site, verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="hazards")
    level = models.CharField(_("level"), max_length=10, choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    stage = models.CharField(_("stage"), max_length=15, choices=HazardStage.choices, default=HazardStage.FOUND)
    inspection = models.ForeignKey(Inspection, verbose_name=_("found at"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="hazards")
    item_number = models.PositiveSmallIntegerField(null=True, blank=True)
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    # The unit's responsible person named in a text is hidden like every person (``cases.redaction``).
    description = models.TextField(_("what was found"), blank=True)
    description_whole = models.TextField(blank=True)
    work_stopped_on = models.DateField(_("affected work stopped on"), null=True, blank=True)
    # The rectification plan of a major hazard: its six parts.
    plan_goals = models.TextField(_("goals and tasks"), blank=True)
    plan_methods = models.TextField(_("methods and measures"), blank=True)
    plan_resources = models.TextField(_("money and materials"), blank=True)
    plan_responsible = models.TextField(_("responsible body and people"), blank=True)
    plan_timeline = models.TextField(_("time limit and requirements"), blank=True)
    plan_safety = models.TextField(_("safety measures and emergency plan"), blank=True)
    plan_received_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed (销号) at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    REDACTED = {"description": "description_whole"}

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        indexes = [models.Index(fields=["stage", "level"], name="hazard_stage_level")]

    def __str__(self):
        return str(self.case)

    @property
    def has_plan(self) -> bool:
        return self.plan_received_at is not None


class RectificationRound(RedactedTexts, models.Model):
    """One round of rectification: the order (整改通知书) with its measures and deadline, and its
    re-inspection within a set time after that deadline. A failed re-inspection opens the next
    round inside the same hazard."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    order_number = models.CharField(_("order number"), max_length=40, unique=True)
    measures = models.TextField(_("measures required"))
    measures_whole = models.TextField(blank=True)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The office that issued the order (the hazard's owner then): a reprint names it even after
    # the hazard moved to another office.
    office = models.ForeignKey("people.Office", verbose_name=_("issued by"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    ordered_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("rectify by"))
    reinspect_by = models.DateTimeField(_("re-inspect by"))
    rectified_at = models.DateTimeField(_("reported rectified at"), null=True, blank=True)
    result = models.CharField(_("re-inspection"), max_length=10, choices=RoundResult.choices, blank=True)
    reinspected_at = models.DateTimeField(null=True, blank=True)
    reinspected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    evidence = models.TextField(_("evidence seen"), blank=True)
    evidence_whole = models.TextField(blank=True)

    REDACTED = {"measures": "measures_whole", "evidence": "evidence_whole"}

    class Meta:
        verbose_name = _("rectification round")
        verbose_name_plural = _("rectification rounds")
        ordering = ["hazard", "number"]
        constraints = [models.UniqueConstraint(fields=["hazard", "number"], name="one_round_per_number")]

    def case_for_redaction(self):
        return self.hazard.case

    @property
    def on_time(self) -> bool | None:
        """Whether the unit reported the rectification done by its deadline (None while open)."""
        if self.rectified_at is None:
            return None
        return self.rectified_at <= self.due_at


class Listing(RedactedTexts, models.Model):
    """Listed supervision (挂牌督办) of a major hazard by the county: who answers for it, by when,
    weekly progress, and the acceptance record (验收) that delists it."""

    hazard = models.OneToOneField(Hazard, on_delete=models.CASCADE, related_name="listing")
    owner = models.ForeignKey("people.Office", verbose_name=_("answers for it"), on_delete=models.PROTECT,
                              related_name="+")
    due_on = models.DateField(_("rectified by"))
    status = models.CharField(_("status"), max_length=10, choices=ListingStatus.choices,
                              default=ListingStatus.LISTED)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    listed_at = models.DateTimeField(default=timezone.now)
    acceptance = models.TextField(_("acceptance record (验收)"), blank=True)
    acceptance_whole = models.TextField(blank=True)
    delisted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    delisted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("listed supervision")
        verbose_name_plural = _("listed supervision")
        ordering = ["due_on", "id"]

    REDACTED = {"acceptance": "acceptance_whole"}

    def case_for_redaction(self):
        return self.hazard.case


class ListingProgress(RedactedTexts, models.Model):
    """A weekly progress entry of a listed hazard."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="progress")
    week_of = models.DateField(_("week of"))
    note = models.TextField(_("progress"))
    note_whole = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["listing", "week_of", "id"]
        constraints = [models.UniqueConstraint(fields=["listing", "week_of"], name="one_progress_entry_per_week")]

    REDACTED = {"note": "note_whole"}

    def case_for_redaction(self):
        return self.listing.hazard.case


class InspectionAnswer(RedactedTexts, models.Model):
    """The answer to one checklist item; a hazard found there is linked to its hazard record."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=10, choices=ItemResult.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    note_whole = models.CharField(max_length=500, blank=True)
    hazard = models.ForeignKey(Hazard, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["inspection", "item__number"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="one_answer_per_item")]

    REDACTED = {"note": "note_whole"}

    def people_for_redaction(self) -> list[Person]:
        return self.inspection.site.people_for_redaction()
